/// An amount of renminbi in fen (分), so that no rule depends on floating point.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let fen: Int64

  public init(fen: Int64) { self.fen = fen }

  public init(yuan: Int64) { self.fen = yuan * 100 }

  /// An amount typed in yuan — "48500000", "48,500,000.5", "¥2,980,000.00" — exactly, or nil
  /// for anything else: a sign, more than two decimals, more than `maximum`, other characters.
  public init?(yuanText text: String) {
    var digits = Substring(text.trimmingPrefix("¥")).filter { $0 != "," }[...]
    guard !digits.isEmpty, digits.count <= 24 else { return nil }
    var cents = "00"[...]
    if let dot = digits.firstIndex(of: ".") {
      let decimals = digits[digits.index(after: dot)...]
      guard (1...2).contains(decimals.count) else { return nil }
      cents = decimals.count == 1 ? Substring(decimals + "0") : decimals
      digits = digits[..<dot]
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      cents.allSatisfy({ $0.isASCII && $0.isNumber }),
      let whole = Int64(digits), whole <= Self.maximum.fen / 100, let part = Int64(cents)
    else { return nil }
    let fen = whole * 100 + part
    guard fen <= Self.maximum.fen else { return nil }
    self.fen = fen
  }

  /// The most any amount may be: 10^15 fen (10 万亿元), far above any tender, so that sums and
  /// multiples of amounts a request carries can be computed without overflow.
  public static let maximum = Money(fen: 1_000_000_000_000_000)

  /// Whether the amount lies between 0 and `maximum` (or 1 and `maximum` when it must be paid).
  public func isWithinBounds(positive: Bool = false) -> Bool {
    fen >= (positive ? 1 : 0) && fen <= Self.maximum.fen
  }

  /// ¥ with thousands separators: ¥1,234,567.89.
  public var description: String {
    let sign = fen < 0 ? "-" : ""
    // `magnitude` is defined for Int64.min, where `abs` traps.
    let magnitude = fen.magnitude
    let cents = magnitude % 100
    var yuan = String(magnitude / 100)
    var grouped: [Substring] = []
    while yuan.count > 3 {
      grouped.insert(yuan.suffix(3), at: 0)
      yuan.removeLast(3)
    }
    grouped.insert(Substring(yuan), at: 0)
    return "\(sign)¥\(grouped.joined(separator: ",")).\(cents < 10 ? "0" : "")\(cents)"
  }

  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
}

/// The statutory caps on bonds.
public enum BondRules {
  /// 条例26's 2% as a divisor of the estimate (pages preview the cap with it).
  public static let bidBondDivisor: Int64 = 50

  /// 条例26: the bid bond is at most 2% of the section's estimated price.
  public static func checkBidBond(_ bond: Money, estimate: Money) throws(RuleViolation) {
    // Whatever amount a caller sends is compared, never multiplied into an overflow trap.
    let scaled = bond.fen.multipliedReportingOverflow(by: bidBondDivisor)
    guard bond.fen >= 0, !scaled.overflow, scaled.partialValue <= estimate.fen else {
      throw RuleViolation(
        Rules.bidBondMax2Percent, "a bond of \(bond) exceeds 2% of the estimate \(estimate)",
        chinese: "投标保证金\(bond)超过估算价\(estimate)的2%")
    }
  }

  /// 条例58: the performance bond is at most 10% of the contract price.
  public static func checkPerformanceBond(_ bond: Money, contractPrice: Money) throws(RuleViolation)
  {
    let scaled = bond.fen.multipliedReportingOverflow(by: 10)
    guard bond.fen >= 0, !scaled.overflow, scaled.partialValue <= contractPrice.fen else {
      throw RuleViolation(
        Rules.performanceBondMax10Percent,
        "a performance bond of \(bond) exceeds 10% of the contract price \(contractPrice)",
        chinese: "履约保证金\(bond)超过中标合同金额\(contractPrice)的10%")
    }
  }
}
