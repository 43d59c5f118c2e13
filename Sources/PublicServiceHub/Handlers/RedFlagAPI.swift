import Foundation
import ZhaocaiAnalytics
import ZhaocaiDomain
import ZhaocaiWeb

/// Red flags over the open data, published to everyone as the open data itself is.
extension HubAPI {
  func getRedFlags(_ input: Operations.getRedFlags.Input) async throws
    -> Operations.getRedFlags.Output
  {
    let flags = try await hub.redFlags()
    let report = flags.report
    let limit = Paging.limit(input.query.limit, default: 100, max: 1000)
    let offset = Paging.position(input.query.offset)
    let flagged = Self.flaggedProcesses(flags)
    return .ok(
      .init(
        body: .json(
          .init(
            processCount: report.processCount, flaggedProcessCount: flagged.count,
            processes: Array(flagged.dropFirst(offset).prefix(limit)),
            parties: Array(Self.flaggedParties(report, only: nil).prefix(1000)),
            fences: report.fences.sorted { $0.key < $1.key }.map {
              .init(
                code: $0.key.rawValue, q1: $0.value.q1, q3: $0.value.q3, lower: $0.value.lower,
                upper: $0.value.upper)
            },
            topTendererBids: report.topTendererBids))))
  }

  func getProcessRedFlags(_ input: Operations.getProcessRedFlags.Input) async throws
    -> Operations.getProcessRedFlags.Output
  {
    await answering {
      let (platform, section) = (input.path.platformID, input.path.sectionID)
      let ocid = OpenData.ocid(platform: platform, section: section)
      let exists = try await hub.store.read {
        try await OpenDataRepository.compiled(of: ocid, on: $0)
      }
      guard exists != nil else {
        throw DomainError.notFound("open data of this process", chinese: "该项目的开放数据")
      }
      let flags = try await hub.redFlags()
      return .ok(
        .init(
          body: .json(
            .init(
              ocid: ocid, flags: (flags.report.processes[ocid] ?? []).map(Self.view),
              parties: Self.flaggedParties(
                flags.report, only: flags.places[ocid]?.parties ?? []),
              screens: Self.view(flags.screening[ocid], threshold: hub.screenModel.flagThreshold)
            ))))
    }
  }

  /// The flagged processes, most flags first, then by ocid.
  static func flaggedProcesses(_ flags: HubRedFlags) -> [Components.Schemas.FlaggedProcess] {
    flags.report.processes.sorted {
      ($0.value.count, $1.key) > ($1.value.count, $0.key)
    }.map { ocid, raised in
      let place = flags.places[ocid]
      return .init(
        ocid: ocid, platform: place?.platform ?? "", section: place?.section ?? "",
        flags: raised.map(view))
    }
  }

  /// The flagged parties (of `only`, when given), by role then code.
  static func flaggedParties(_ report: RedFlagReport, only: Set<String>?)
    -> [Components.Schemas.FlaggedParty]
  {
    let roles: [(Components.Schemas.FlaggedParty.rolePayload, [String: [RedFlag]])] = [
      (.tenderer, report.tenderers), (.buyer, report.buyers),
      (.procuringEntity, report.procuringEntities),
    ]
    return roles.flatMap { role, flags in
      flags.filter { only?.contains($0.key) ?? true }.sorted { $0.key < $1.key }.map {
        .init(party: $0.key, role: role, flags: $0.value.map(view))
      }
    }
  }

  static func view(_ result: TenderScreening.Result?, threshold: Double)
    -> Components.Schemas.OpenDataScreens
  {
    .init(
      bids: result?.screens.count ?? 0,
      values: result?.screens.named.map { .init(name: $0.name, value: $0.value) } ?? [],
      score: result?.score, flagged: result?.flagged ?? false, flagThreshold: threshold,
      pattern: result?.pattern.map {
        .init(article: PricePattern.article, detail: $0.english, detailChinese: $0.chinese)
      })
  }

  /// A flag as published, its evidence cut at 100 items (a party's processes can be many).
  static func view(_ flag: RedFlag) -> Components.Schemas.RedFlag {
    .init(
      code: flag.code.rawValue, name: flag.code.english,
      nameChinese: flag.code.chinese, value: flag.value,
      evidence: Array(flag.evidence.prefix(100)))
  }
}
