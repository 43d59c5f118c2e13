import Foundation

/// Made-up tenders with known labels, for benchmarks and tests: a competitive tender's bids
/// scatter around the estimate; a collusive one has a winner above the competitive level and
/// cover bids bunched a few per cent above it, as the Swiss cartels' were. Bidders come from a
/// pool, a ring of them bidding together in the collusive tenders.
public struct SyntheticBids {
  public var tenders: Int
  public var collusiveShare = 0.4
  public var seed: UInt64 = 7

  public init(tenders: Int) { self.tenders = tenders }

  /// The tenders as CSV text, `tender,bidder,amount,estimate,collusive`.
  public func csv() -> String {
    var random = SeededRandom(seed: seed)
    var text = "tender,bidder,amount,estimate,collusive\n"
    text.reserveCapacity(tenders * 5 * 48)
    for tender in 0..<tenders {
      for bid in bids(&random) {
        text += "T\(tender),\(bid.bidder),\(String(format: "%.2f", bid.amount)),"
        text += "\(String(format: "%.2f", bid.estimate)),\(bid.collusive ? 1 : 0)\n"
      }
    }
    return text
  }

  private func bids(_ random: inout SeededRandom) -> [(
    bidder: String, amount: Double, estimate: Double, collusive: Bool
  )] {
    let estimate = 100_000 * (1 + 50 * uniform(&random))
    let collusive = uniform(&random) < collusiveShare
    let count = 3 + Int(uniform(&random) * 6)
    if collusive {
      let ring = Int(uniform(&random) * 20)
      let winner = estimate * (0.98 + 0.06 * uniform(&random))
      return (0..<count).map { index in
        let amount =
          index == 0 ? winner : winner * (1.02 + 0.03 * uniform(&random) + 0.004 * Double(index))
        return ("R\(ring)-\(index)", amount, estimate, true)
      }
    }
    var seen: Set<Int> = []
    return (0..<count).compactMap { _ in
      let bidder = Int(uniform(&random) * 5000)
      guard seen.insert(bidder).inserted else { return nil }
      let amount = estimate * (0.85 + 0.25 * uniform(&random))
      return ("B\(bidder)", amount, estimate, false)
    }
  }

  private func uniform(_ random: inout SeededRandom) -> Double {
    Double(random.next() >> 11) / Double(UInt64(1) << 53)
  }
}
