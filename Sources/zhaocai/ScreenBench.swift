import ArgumentParser
import Foundation
import ZhaocaiAnalytics

/// `zhaocai bench screen`: reading a CSV of N bids, computing every tender's screens and
/// scoring them with the bundled model, against reading and parsing the same file alone (the
/// floor any screening tool pays) in the same run; time and the run's peak memory (generating
/// the input included).
struct ScreenBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "screen",
    abstract: "Screen and score N synthetic bids; compare with parsing the same CSV alone.")

  @Option(help: "How many bids (about).") var bids = 1_000_000
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    guard (100...20_000_000).contains(bids) else {
      throw ValidationError("--bids must be 100 to 20,000,000")
    }
    let input = FileManager.default.temporaryDirectory
      .appendingPathComponent("zhaocai-bench-screen-\(getpid()).csv")
    defer { try? FileManager.default.removeItem(at: input) }
    // SyntheticBids averages 5.5 bids a tender.
    try Data(SyntheticBids(tenders: bids * 2 / 11).csv().utf8).write(to: input)
    let size = try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int ?? 0

    let model = try ScreenModel.bundled()
    let parseStart = monotonicSeconds()
    _ = try BidTable.parse(Array(try Data(contentsOf: input))).bidCount
    let parseSeconds = monotonicSeconds() - parseStart

    let start = monotonicSeconds()
    let table = try BidTable.parse(Array(try Data(contentsOf: input)))
    let scores = model.score(table)
    let seconds = monotonicSeconds() - start
    let flagged = scores.filter { $0.score >= model.flagThreshold }.count
    let memory = peakResidentMemory()

    let figures: [String: Double] = [
      "bids": Double(table.bidCount), "tenders": Double(table.tenders.count),
      "csvBytes": Double(size), "seconds": seconds, "parseSeconds": parseSeconds,
      "bidsPerSecond": Double(table.bidCount) / seconds,
      "ratioToParse": seconds / parseSeconds, "peakResidentMiB": Double(memory) / 1_048_576,
      "flagged": Double(flagged),
    ]
    if json {
      try printJSON(figures)
    } else {
      print(
        String(
          format:
            "%d bids in %d tenders (%.0f MiB of CSV): screens and scores in %.2f s (%.0f bids/s), "
            + "%.1f x parsing alone (%.2f s); peak resident %.0f MiB; %d tenders flagged",
          table.bidCount, table.tenders.count, Double(size) / 1_048_576, seconds,
          Double(table.bidCount) / seconds, seconds / parseSeconds, parseSeconds,
          Double(memory) / 1_048_576, flagged))
    }
  }
}
