/// An amount of renminbi in fen (分), so that no rule depends on floating point.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let fen: Int64

  public init(fen: Int64) { self.fen = fen }

  public init(yuan: Int64) { self.fen = yuan * 100 }

  public var description: String {
    let sign = fen < 0 ? "-" : ""
    let cents = abs(fen) % 100
    return "\(sign)¥\(abs(fen) / 100).\(cents < 10 ? "0" : "")\(cents)"
  }

  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
}

/// The statutory caps on bonds.
public enum BondRules {
  /// 条例26: the bid bond is at most 2% of the section's estimated price.
  public static func checkBidBond(_ bond: Money, estimate: Money) throws(RuleViolation) {
    // Whatever amount a caller sends is compared, never multiplied into an overflow trap.
    let scaled = bond.fen.multipliedReportingOverflow(by: 50)
    guard bond.fen >= 0, !scaled.overflow, scaled.partialValue <= estimate.fen else {
      throw RuleViolation(
        Rules.bidBondMax2Percent, "a bond of \(bond) exceeds 2% of the estimate \(estimate)")
    }
  }

  /// 条例58: the performance bond is at most 10% of the contract price.
  public static func checkPerformanceBond(_ bond: Money, contractPrice: Money) throws(RuleViolation)
  {
    let scaled = bond.fen.multipliedReportingOverflow(by: 10)
    guard bond.fen >= 0, !scaled.overflow, scaled.partialValue <= contractPrice.fen else {
      throw RuleViolation(
        Rules.performanceBondMax10Percent,
        "a performance bond of \(bond) exceeds 10% of the contract price \(contractPrice)")
    }
  }
}
