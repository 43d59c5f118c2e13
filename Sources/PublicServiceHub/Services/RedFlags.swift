import Foundation
import SQLKit
import ZhaocaiAnalytics
import ZhaocaiExchange
import ZhaocaiStore

/// Red flags (Cardinal's indicators) and price screens over the hub's open data: every
/// process's compiled release read as a contracting process, the indicators and the screening
/// computed over all of them, kept until the hub commits again. The outlier indicators compare a process with all the others, so one
/// new release can change another process's flags.
extension PublicServiceHub {
  /// The most processes one computation reads (the first published): beyond this the open data
  /// is better analysed offline from the bulk feed.
  static let redFlagProcessLimit = 200_000

  /// The red flags of every process the hub publishes.
  func redFlags() async throws -> HubRedFlags {
    try await redFlagReports.value("all", on: store) { database in
      var rows: [(ocid: String, compiled: String)] = []
      while rows.count < Self.redFlagProcessLimit {
        let page = try await OpenDataRepository.recordPage(
          after: rows.count, limit: 1000, on: database)
        rows += page
        if page.count < 1000 { break }
      }
      return HubRedFlags(records: rows, model: screenModel)
    }
  }
}

/// The red flags of the hub's open data, each process's price screens, and where it is traded.
public struct HubRedFlags: Sendable {
  struct Place: Sendable {
    let platform: String
    let section: String
    /// Its tenderers, buyer and procuring entity.
    let parties: Set<String>
  }

  public let report: RedFlagReport
  let places: [String: Place]
  /// Every process's screens and score, each scored with its bidders' histories over all.
  public let screening: [String: TenderScreening.Result]

  /// The flags and screens of `records` (each process's ocid and compiled release, as the hub
  /// keeps them), as the hub computes them (and `zhaocai bench red-flags` measures).
  public init(records: [(ocid: String, compiled: String)], model: ScreenModel) {
    var processes: [ContractingProcess] = []
    var places: [String: Place] = [:]
    for row in records {
      guard let release = OpenData.object(row.compiled) else { continue }
      let process = OpenDataProcess.read(ocid: row.ocid, release)
      processes.append(process)
      if let section = release["tender"]?.object?["id"]?.string,
        let platform = OpenData.platform(of: row.ocid, section: section)
      {
        let parties = Set(
          process.bids.flatMap(\.tenderers)
            + [process.buyer, process.procuringEntity].compactMap { $0 })
        places[row.ocid] = .init(platform: platform, section: section, parties: parties)
      }
    }
    report = RedFlagReport(processes)
    self.places = places
    screening = TenderScreening.screen(
      processes.map { process in
        TenderScreening.Tender(
          id: process.ocid,
          bids: process.bids.filter { $0.status == "valid" && $0.tenderers.count == 1 }
            .compactMap { bid in bid.amount.map { (bid.tenderers[0], $0) } },
          estimate: process.estimate)
      }, model: model)
  }
}

/// A compiled release read as the red flags need it.
enum OpenDataProcess {
  static func read(ocid: String, _ release: JSONObject) -> ContractingProcess {
    let tender = release["tender"]?.object
    let period = tender?["tenderPeriod"]?.object
    let bids = release["bids"]?.object?["details"]?.array?.compactMap(\.object) ?? []
    let awards = release["awards"]?.array?.compactMap(\.object) ?? []
    return ContractingProcess(
      ocid: ocid, method: tender?["procurementMethod"]?.string,
      awardCriteria: tender?["awardCriteria"]?.string,
      periodStart: instant(period?["startDate"]), periodEnd: instant(period?["endDate"]),
      buyer: release["buyer"]?.object?["id"]?.string,
      procuringEntity: party(release, role: "procuringEntity"),
      classification: tender?["industry"]?.string,
      estimate: amount(tender?["value"]?.object?["amount"]),
      bids: bids.map { bid in
        let value = bid["value"]?.object
        return .init(
          tenderers: ids(bid["tenderers"]), status: bid["status"]?.string ?? "",
          amount: amount(value?["amount"]), currency: value?["currency"]?.string,
          date: instant(bid["date"]))
      },
      awards: awards.map {
        .init(status: $0["status"]?.string ?? "", suppliers: ids($0["suppliers"]))
      })
  }

  static func ids(_ value: JSONValue?) -> [String] {
    value?.array?.compactMap { $0.object?["id"]?.string } ?? []
  }

  static func party(_ release: JSONObject, role: String) -> String? {
    release["parties"]?.array?.compactMap(\.object).first {
      $0["roles"]?.array?.contains(.string(role)) == true
    }?["id"]?.string
  }

  static func amount(_ value: JSONValue?) -> Double? {
    switch value {
    case .integer(let whole)?: Double(whole)
    case .number(let amount)? where amount.isFinite: amount
    default: nil
    }
  }

  /// An RFC 3339 time as the releases write it. A formatter made per call cost most of the
  /// computation (`zhaocai bench red-flags`); the format style is a value, cheap to use.
  static func instant(_ value: JSONValue?) -> Int64? {
    guard let text = value?.string, text.utf8.count <= 64,
      let date = try? Date(text, strategy: Date.ISO8601FormatStyle())
    else { return nil }
    return Int64(date.timeIntervalSince1970)
  }
}
