/// The screens, price pattern and model score of many tenders at once, so that each tender's
/// score sees its bidders' histories across all of them (how often each bid elsewhere, lost,
/// met the others) — the features the model gains most from, and which one tender alone lacks.
public enum TenderScreening {
  /// One tender's bids by bidder (one bid each), and its estimate where known.
  public struct Tender: Sendable {
    public var id: String
    public var bids: [(bidder: String, amount: Double)]
    public var estimate: Double?

    public init(id: String, bids: [(bidder: String, amount: Double)], estimate: Double? = nil) {
      self.id = id
      self.bids = bids
      self.estimate = estimate
    }
  }

  /// What the screening says of one tender.
  public struct Result: Sendable, Equatable {
    public let screens: PriceScreens
    public let pattern: PricePattern?
    /// The model's probability that the tender is collusive; nil below `minimumBids`.
    public let score: Double?
    public let flagged: Bool
  }

  /// The fewest bids a tender is scored with.
  public static let minimumBids = 3

  /// Each tender's result by id. Bids that no table may hold (a repeated bidder, an amount not
  /// positive, finite and at most 10¹³) are left out, never trapped on; a tender of more than
  /// 1,000 bids is screened but not scored.
  public static func screen(_ tenders: [Tender], model: ScreenModel) -> [String: Result] {
    var bidders: [String] = []
    var index: [String: Int] = [:]
    var table: [BidTable.Tender] = []
    var kept: [String: [Double]] = [:]
    for tender in tenders where kept[tender.id] == nil {
      var seen: Set<String> = []
      let bids = tender.bids.filter {
        $0.amount.isFinite && $0.amount > 0 && $0.amount <= 1e13 && seen.insert($0.bidder).inserted
      }
      kept[tender.id] = bids.map(\.amount)
      guard bids.count >= minimumBids, bids.count <= 1000 else { continue }
      let estimate = tender.estimate.flatMap { $0.isFinite && $0 > 0 && $0 <= 1e13 ? $0 : nil }
      table.append(
        .init(
          id: tender.id,
          bids: bids.map { bid in
            let number =
              index[bid.bidder]
              ?? {
                bidders.append(bid.bidder)
                index[bid.bidder] = bidders.count - 1
                return bidders.count - 1
              }()
            return BidTable.Bid(bidder: number, amount: bid.amount)
          }, estimate: estimate))
    }
    let scores = Dictionary(
      model.score(BidTable(tenders: table, bidders: bidders, isLabelled: false)).map {
        ($0.tender, $0.score)
      }
    ) { first, _ in first }
    return kept.reduce(into: [:]) { results, entry in
      let sorted = entry.value.sorted()
      let score = scores[entry.key]
      results[entry.key] = Result(
        screens: PriceScreens(sorted: sorted), pattern: PricePattern.find(sorted: sorted),
        score: score, flagged: score.map { $0 >= model.flagThreshold } ?? false)
    }
  }
}
