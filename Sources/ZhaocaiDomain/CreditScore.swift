/// 信用分: a party's credit score at the hub, 100 less the points of its current violation
/// records, and the marks it earns on a credit criterion of comprehensive scoring.
public enum CreditScore {
  /// The score of `party` at `now`: expired records no longer count, and the score stops at 0
  /// however many points a party has lost.
  public static func of(_ party: String, records: [ViolationRecord], at now: Int64) -> Int {
    let points = records.filter { $0.party == party && $0.isCurrent(at: now) }.map(\.points)
    // A record takes 0 to 100 points, whatever another platform's message says.
    let lost: Int128 = points.reduce(0) { $0 + Int128(min(max($1, 0), 100)) }
    return Int(clamping: max(0, 100 - lost))
  }

  /// The marks (in hundredths of a point, like `Criterion.maxPoints`) a score of 0 to 100 earns
  /// on a criterion worth `maxPoints`; rounded down, so nobody gains from rounding.
  public static func marks(score: Int, maxPoints: Int) -> Int {
    Int(clamping: Int128(maxPoints) * Int128(min(max(score, 0), 100)) / 100)
  }
}
