import Foundation
import Hummingbird
import ZhaocaiAnalytics
import ZhaocaiExchange
import ZhaocaiWeb

/// The red flags as a reader sees them: the list of flagged processes and parties, and each
/// process's flags on its page, in words, with the parties named.
extension PortalPages {
  func redFlags(_ request: Request, _ visit: PageVisit) async throws -> Response {
    let flags = try await hub.redFlags()
    let report = flags.report
    let processes = HubAPI.flaggedProcesses(flags).prefix(200)
    let parties = HubAPI.flaggedParties(report, only: nil).prefix(200)
    let names = try await partyNames(
      processes.flatMap { $0.flags.flatMap(\.evidence) } + parties.map(\.party))
    let language = visit.language
    let words = RedFlagWords(names: names, language: language)
    return try render(
      "red-flags", visit, title: "风险预警指标", english: "Red flags",
      values: [
        "processCount": report.processCount, "flaggedCount": report.processes.count,
        "processes": processes.map { process in
          [
            "href": "/processes/\(process.platform)/\(process.section)",
            "section": process.section, "platform": process.platform,
            "flags": process.flags.compactMap(words.row),
          ] as [String: Any]
        },
        "noProcesses": processes.isEmpty,
        "parties": parties.map { party in
          [
            "party": words.party(party.party), "role": words.role(party.role.rawValue),
            "flags": party.flags.compactMap(words.row),
          ] as [String: Any]
        },
        "noParties": parties.isEmpty, "noFences": report.fences.isEmpty,
        "fences": report.fences.sorted { $0.key < $1.key }.map {
          [
            "code": $0.key.rawValue, "name": words.name($0.key),
            "q1": Self.decimal($0.value.q1), "q3": Self.decimal($0.value.q3),
            "lower": Self.decimal($0.value.lower), "upper": Self.decimal($0.value.upper),
          ]
        },
      ])
  }

  /// The flags of one process and of its parties, for its page.
  func processRedFlags(platform: String, section: String, language: PageLanguage)
    async throws -> [String: Any]
  {
    let flags = try await hub.redFlags()
    let ocid = OpenData.ocid(platform: platform, section: section)
    let own = flags.report.processes[ocid] ?? []
    let parties = HubAPI.flaggedParties(flags.report, only: flags.places[ocid]?.parties ?? [])
    let names = try await partyNames(
      own.flatMap(\.evidence) + parties.map(\.party))
    let words = RedFlagWords(names: names, language: language)
    let partyRows: [[String: Any]] = parties.flatMap { party in
      party.flags.compactMap(words.row).map {
        var row = $0
        row["party"] = words.party(party.party)
        return row
      }
    }
    let screening = flags.screening[ocid]
    let pattern = screening?.pattern.map { language == .zh ? $0.chinese : $0.english }
    return [
      "screens": (screening?.screens.named ?? []).map {
        ["name": $0.name, "value": Self.decimal($0.value)]
      },
      "hasScreens": !(screening?.screens.named.isEmpty ?? true),
      "score": screening?.score.map { String(format: "%.2f", $0) } ?? false,
      "scoreFlagged": screening?.flagged ?? false,
      "threshold": String(format: "%.2f", hub.screenModel.flagThreshold),
      "pattern": pattern.map { "\($0)（\(PricePattern.article)）" } ?? false,
      "redFlags": own.compactMap { words.row(HubAPI.view($0)) },
      "partyFlags": partyRows,
      "hasRedFlags": !own.isEmpty || !partyRows.isEmpty,
      "noRedFlags": own.isEmpty && partyRows.isEmpty,
    ]
  }

  static func decimal(_ value: Double) -> String { String(format: "%.4g", value) }
}

/// A red flag in words: its code and name, its value as the indicator means it, and its
/// evidence with parties named.
struct RedFlagWords {
  let names: [String: String]
  let language: PageLanguage

  func name(_ code: RedFlagCode) -> String { language == .zh ? code.chinese : code.english }

  func party(_ code: String) -> String { names[code].map { "\($0)（\(code)）" } ?? code }

  func role(_ role: String) -> String {
    switch (role, language) {
    case ("buyer", .zh): "招标人"
    case ("procuringEntity", .zh): "招标代理机构"
    case (_, .zh): "投标人"
    case ("buyer", _): "Tenderer (buyer)"
    case ("procuringEntity", _): "Agency"
    default: "Bidder"
    }
  }

  func row(_ flag: Components.Schemas.RedFlag) -> [String: Any]? {
    guard let code = RedFlagCode(rawValue: flag.code) else { return nil }
    let zh = language == .zh
    let percent = String(format: "%.1f%%", flag.value * 100)
    let value: String =
      switch code {
      case .r003: zh ? "\(flag.evidence.first ?? "?") 天" : "\(flag.evidence.first ?? "?") days"
      case .r024, .r058: zh ? "差距 \(percent)" : "gap \(percent)"
      case .r025: zh ? "中标率 \(percent)" : "wins \(percent) of bids"
      case .r038: zh ? "否决比例 \(percent)" : "\(percent) disqualified"
      case .r035: zh ? "\(Int(flag.value)) 家被否决" : "\(Int(flag.value)) disqualified"
      case .r048: zh ? "\(Int(flag.value)) 个行业" : "\(Int(flag.value)) industries"
      default: ""
      }
    // A party's flags name processes (R048 industries); a process's flags name parties.
    let namesProcesses = flag.evidence.allSatisfy { $0.hasPrefix(OCDSReleases.ocidPrefix) }
    let evidence: [String] =
      switch code {
      case .r003: []
      case .r048: flag.evidence
      default: flag.evidence.map(namesProcesses ? process : party)
      }
    return [
      "code": code.rawValue, "name": name(code), "value": value,
      "evidence": evidence.joined(separator: zh ? "、" : ", "),
    ]
  }

  /// An ocid as its section id, short enough to read.
  func process(_ ocid: String) -> String {
    String(ocid.dropFirst(OCDSReleases.ocidPrefix.count))
  }
}
