import Foundation
import Testing
import ZhaocaiDomain
import ZhaocaiExchange

@testable import SupervisionPlatform

/// A tracked process's screening from the opened bids its platform reported, scored among the
/// remit's processes (the answer the API gives), where its bidders' histories count.
@Suite struct ProcessScreeningTests {
  static func timeline(_ section: String, _ prices: [(String, Int64)]) throws
    -> [(kind: String, payload: String)]
  {
    try prices.map { bidder, yuan in
      let event = SectionEvent.bidOpened(
        bidder: bidder,
        items: OpeningItems(
          price: Money(yuan: yuan), durationDays: 300, quality: "合格", warrantyMonths: 24,
          projectManagerID: "PM"),
        bidKey: "key")
      let logged = LoggedEvent(section: section, at: 1_795_743_000, event: event, by: nil)
      return ("section.event", String(decoding: try JSONEncoder().encode(logged), as: UTF8.self))
    }
  }

  @Test func aProcessIsScoredAmongTheRemitsProcesses() throws {
    let remit = [
      (
        "fz/S1", try Self.timeline("S1", [("A", 39_000_000), ("B", 42_100_000), ("C", 42_300_000)])
      ),
      ("fz/S2", try Self.timeline("S2", [("A", 8_100_000), ("B", 8_300_000), ("C", 8_350_000)])),
      ("fz/S3", try Self.timeline("S3", [("A", 1_000_000), ("D", 1_200_000)])),
    ]
    let joint = try ProcessScreening.joint(remit.map { ($0.0, $0.1) })
    #expect(Set(joint.keys) == ["fz/S1", "fz/S2", "fz/S3"])
    #expect(joint["fz/S3"]?.score == nil)  // two bids: screened, not scored
    let scored = try ProcessScreening(timeline: remit[0].1, joint: joint["fz/S1"])
    #expect(scored.score == joint["fz/S1"]?.score && scored.score != nil)
    #expect(scored.bids.map(\.bidder) == ["A", "B", "C"])
    #expect(scored.namedScreens.contains { $0.name == "DIFFP" })
  }
}
