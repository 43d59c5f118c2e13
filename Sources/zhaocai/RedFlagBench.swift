import ArgumentParser
import Foundation
import PublicServiceHub
import ZhaocaiAnalytics
import ZhaocaiExchange

/// `zhaocai bench red-flags`: what the hub does to publish its red flags and screens — N
/// compiled OCDS releases parsed, read as contracting processes, Cardinal's indicators and the
/// screening computed over all of them — against parsing the same JSON alone (the floor any
/// reader of the open data pays) in the same run; time and the run's peak memory.
struct RedFlagBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "red-flags",
    abstract: "Red flags and screens over N synthetic processes; compare with parsing alone.")

  @Option(help: "How many processes.") var processes = 100_000
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    guard (100...2_000_000).contains(processes) else {
      throw ValidationError("--processes must be 100 to 2,000,000")
    }
    // Prices from the synthetic cartel data, bidders drawn from a market of a few thousand.
    let table = try BidTable.parse(Array(SyntheticBids(tenders: processes).csv().utf8))
    let releases: [String] = table.tenders.enumerated().map { index, tender in
      let bidders = tender.bids.map { "91350100MA\(String(format: "%08d", $0.bidder % 4000))" }
      let winner = tender.bids.indices.min { tender.bids[$0].amount < tender.bids[$1].amount }
      var release: JSONObject = [
        "ocid": .string("ocds-zhcai1-bench-\(index)"),
        "buyer": ["id": .string("91350100BUYER\(index % 500)")],
        "tender": [
          "id": .string("B\(index)"), "procurementMethod": "open", "awardCriteria": "costOnly",
          "industry": .string(["房屋建筑", "市政", "水利", "交通", "信息化"][index % 5]),
          "tenderPeriod": [
            "startDate": "2026-01-01T00:00:00Z",
            "endDate": .string(index % 50 == 0 ? "2026-01-10T00:00:00Z" : "2026-01-25T00:00:00Z"),
          ],
        ],
        "bids": [
          "details": .array(
            zip(bidders, tender.bids).map { bidder, bid in
              [
                "status": "valid", "tenderers": [["id": .string(bidder)]],
                "value": ["amount": .number(bid.amount), "currency": "CNY"],
              ]
            })
        ],
      ]
      if let winner {
        release["awards"] = [["status": "active", "suppliers": [["id": .string(bidders[winner])]]]]
      }
      return JSONText.string(.object(release))
    }
    let bytes = releases.reduce(0) { $0 + $1.utf8.count }
    let model = try ScreenModel.bundled()

    let parseStart = monotonicSeconds()
    let parsed = releases.compactMap { try? JSONText.parseValue(Data($0.utf8)).object }.count
    let parseSeconds = monotonicSeconds() - parseStart

    let records = releases.enumerated().map { ("ocds-zhcai1-bench-\($0.offset)", $0.element) }
    let start = monotonicSeconds()
    let computed = HubRedFlags(records: records, model: model)
    let seconds = monotonicSeconds() - start
    let (report, screened) = (computed.report, computed.screening)
    let memory = peakResidentMemory()
    let figures: [String: Double] = [
      "processes": Double(parsed), "bids": Double(table.bidCount), "jsonBytes": Double(bytes),
      "seconds": seconds, "parseSeconds": parseSeconds, "ratioToParse": seconds / parseSeconds,
      "flaggedProcesses": Double(report.processes.count),
      "flaggedParties": Double(report.tenderers.count + report.buyers.count),
      "scored": Double(screened.values.filter { $0.score != nil }.count),
      "peakResidentMiB": Double(memory) / 1_048_576,
    ]
    if json {
      try printJSON(figures)
    } else {
      print(
        String(
          format:
            "%d processes, %d bids (%.0f MiB of OCDS JSON): read, red flags and screens in %.2f s, "
            + "%.1f x parsing alone (%.2f s); %d processes and %d parties flagged; peak resident %.0f MiB",
          parsed, table.bidCount, Double(bytes) / 1_048_576, seconds, seconds / parseSeconds,
          parseSeconds, report.processes.count, report.tenderers.count + report.buyers.count,
          Double(memory) / 1_048_576))
    }
  }
}
