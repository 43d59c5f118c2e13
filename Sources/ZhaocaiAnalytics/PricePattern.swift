import ZhaocaiDomain

/// A regular pattern in a tender's prices, which 条例40(4) names among the signs of bids deemed
/// colluding: all equal, an arithmetic progression (the same step between each price and the
/// next) or a geometric one (the same ratio). Rigged prices are usually exact to the yuan, so
/// the tolerance is tight, one thousandth of the step, and at least three prices are needed: a
/// pattern is evidence for the committee and the supervisor to weigh, not a finding.
public struct PricePattern: Sendable, Equatable {
  public enum Kind: String, Sendable, Codable {
    case equal, arithmetic, geometric
  }

  public let kind: Kind
  /// The difference (arithmetic) or the ratio (geometric) between adjacent prices; 0 if equal.
  public let step: Double
  /// How many prices are in the pattern (all of the tender's).
  public let count: Int

  public static let tolerance = 0.001
  public static let article = "条例40(4)"

  /// The pattern of `amounts` (sorted ascending), if they form one.
  public static func find(sorted amounts: [Double]) -> PricePattern? {
    guard amounts.count >= 3, let low = amounts.first, let high = amounts.last, low > 0 else {
      return nil
    }
    // Within a fen of each other: the same price.
    if high - low <= 0.01 { return PricePattern(kind: .equal, step: 0, count: amounts.count) }
    let gaps = zip(amounts.dropFirst(), amounts).map { $0 - $1 }
    let gap = gaps.reduce(0, +) / Double(gaps.count)
    if gaps.allSatisfy({ abs($0 - gap) <= max(tolerance * gap, 0.01) }) {
      return PricePattern(kind: .arithmetic, step: gap, count: amounts.count)
    }
    let ratios = zip(amounts.dropFirst(), amounts).map { $0 / $1 }
    let ratio = ratios.reduce(0, +) / Double(ratios.count)
    if ratios.allSatisfy({ abs($0 - ratio) <= tolerance * (ratio - 1) }) {
      return PricePattern(kind: .geometric, step: ratio, count: amounts.count)
    }
    return nil
  }

  /// The pattern in words, English.
  public var english: String {
    switch kind {
    case .equal: "all \(count) prices are equal"
    case .arithmetic: "the \(count) prices rise by the same step, \(Self.money(step))"
    case .geometric: "the \(count) prices rise by the same ratio, \(Self.ratio(step))"
    }
  }

  /// The pattern in words, Chinese.
  public var chinese: String {
    switch kind {
    case .equal: "\(count)家投标报价完全相同"
    case .arithmetic: "\(count)家投标报价呈等差数列，公差\(Self.money(step))"
    case .geometric: "\(count)家投标报价呈等比数列，公比\(Self.ratio(step))"
    }
  }

  /// As a page shows money: ¥300,000.00 (amounts are at most 10¹³ yuan, so fen fit).
  private static func money(_ value: Double) -> String {
    guard value.isFinite, abs(value) <= 1e13 else { return "\(value)" }
    return Money(fen: Int64((value * 100).rounded())).description
  }

  private static func ratio(_ value: Double) -> String {
    let scaled = Int64((value * 10_000).rounded())
    let whole = scaled / 10_000
    let fraction = String(scaled % 10_000)
    return "\(whole).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
  }
}
