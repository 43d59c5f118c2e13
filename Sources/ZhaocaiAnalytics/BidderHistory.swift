/// What the rest of a table says about the bidders of each tender: how often they bid, how
/// rarely they win, and how often the same pairs meet. Cover bidders bid often and never win,
/// and a ring's members meet tender after tender; a tender's own bids never count in its own
/// history. The lowest bid is taken as the winner (the table has no award column).
public struct BidderHistory: Sendable {
  public static let names = [
    "history_tenders", "history_loss_rate", "history_winner_win_rate", "history_pair_meetings",
  ]
  /// Pairs are counted only in tenders of at most this many bids, so that one huge tender
  /// cannot make the count quadratic in the table.
  public static let maxPairBids = 30

  private let tenderCount: [Int]
  private let winCount: [Int]
  private let pairCount: [Pair: Int]

  private struct Pair: Hashable {
    let low: Int
    let high: Int
    init(_ a: Int, _ b: Int) { (low, high) = a < b ? (a, b) : (b, a) }
  }

  public init(_ table: BidTable) {
    var tenders = Array(repeating: 0, count: table.bidders.count)
    var wins = Array(repeating: 0, count: table.bidders.count)
    var pairs: [Pair: Int] = [:]
    for tender in table.tenders {
      for bid in tender.bids { tenders[bid.bidder] += 1 }
      if let winner = Self.winner(tender) { wins[winner] += 1 }
      guard tender.bids.count <= Self.maxPairBids else { continue }
      for (index, a) in tender.bids.enumerated() {
        for b in tender.bids[(index + 1)...] { pairs[Pair(a.bidder, b.bidder), default: 0] += 1 }
      }
    }
    tenderCount = tenders
    winCount = wins
    pairCount = pairs
  }

  /// The history features of `tender` (a tender of the table this history was made from).
  public func features(of tender: BidTable.Tender) -> [Double] {
    let winner = Self.winner(tender)
    var others = 0.0
    var lossRates: [Double] = []
    var winnerRate = Double.nan
    for bid in tender.bids {
      let other = tenderCount[bid.bidder] - 1
      let otherWins = winCount[bid.bidder] - (bid.bidder == winner ? 1 : 0)
      others += Double(other)
      if other > 0 {
        lossRates.append(Double(other - otherWins) / Double(other))
        if bid.bidder == winner { winnerRate = Double(otherWins) / Double(other) }
      }
    }
    var meetings = Double.nan
    if tender.bids.count >= 2 && tender.bids.count <= Self.maxPairBids {
      var total = 0
      var count = 0
      for (index, a) in tender.bids.enumerated() {
        for b in tender.bids[(index + 1)...] {
          total += (pairCount[Pair(a.bidder, b.bidder)] ?? 1) - 1
          count += 1
        }
      }
      meetings = Double(total) / Double(count)
    }
    return [
      tender.bids.isEmpty ? .nan : others / Double(tender.bids.count),
      lossRates.isEmpty ? .nan : lossRates.reduce(0, +) / Double(lossRates.count),
      winnerRate, meetings,
    ]
  }

  private static func winner(_ tender: BidTable.Tender) -> Int? {
    tender.bids.min { $0.amount < $1.amount }?.bidder
  }
}
