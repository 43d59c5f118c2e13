import Testing

@testable import ZhaocaiAnalytics

/// Many tenders screened at once: each scored with its bidders' histories over all of them,
/// bids no table may hold left out rather than trapped on.
@Suite struct TenderScreeningTests {
  @Test func eachTenderIsScreenedAndScoredWithItsBiddersHistories() throws {
    let model = try ScreenModel.bundled()
    let tenders = [
      TenderScreening.Tender(
        id: "T1", bids: [("A", 100), ("B", 110), ("C", 120)], estimate: 130),
      TenderScreening.Tender(id: "T2", bids: [("A", 200), ("B", 201), ("C", 202), ("D", 260)]),
      // Two bids: screened, not scored. A repeated bidder and a bad amount are left out.
      TenderScreening.Tender(id: "T3", bids: [("A", 50), ("A", 51), ("B", .nan), ("C", 55)]),
    ]
    let results = TenderScreening.screen(tenders, model: model)
    #expect(results.keys.sorted() == ["T1", "T2", "T3"])
    let first = try #require(results["T1"])
    #expect(first.screens.count == 3)
    #expect(first.pattern?.kind == .arithmetic)
    #expect(first.score.map { (0...1).contains($0) } == true)
    #expect(results["T3"]?.screens.count == 2)
    #expect(results["T3"]?.score == nil && results["T3"]?.flagged == false)
    // Scored in one table with the others, so the histories reach the model (the bundled one
    // splits only on pair meetings among them, and two tenders do not move its score).
    let table = BidTable(
      tenders: [
        .init(
          id: "T1",
          bids: [
            .init(bidder: 0, amount: 100), .init(bidder: 1, amount: 110),
            .init(bidder: 2, amount: 120),
          ], estimate: 130),
        .init(
          id: "T2",
          bids: [
            .init(bidder: 0, amount: 200), .init(bidder: 1, amount: 201),
            .init(bidder: 2, amount: 202), .init(bidder: 3, amount: 260),
          ]),
      ], bidders: ["A", "B", "C", "D"], isLabelled: false)
    let joint = model.score(table)
    #expect(results["T1"]?.score == joint[0].score && results["T2"]?.score == joint[1].score)
  }
}
