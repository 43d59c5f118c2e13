/// Quantiles as Cardinal computes them (the statrs crate's R-8 estimate, approximately
/// median-unbiased), and Tukey's fences on them, so an outlier here is an outlier there.
public struct Fences: Sendable, Equatable, Codable {
  public var q1: Double
  public var q3: Double
  /// Q1 − 1.5 IQR
  public var lower: Double { q1 - 1.5 * (q3 - q1) }
  /// Q3 + 1.5 IQR
  public var upper: Double { q3 + 1.5 * (q3 - q1) }

  /// Whether `value` is a low outlier: at or below the lower fence, and below Q1 (when the IQR
  /// is 0 the fence is Q1 itself, and a value on it is the common case, not an outlier).
  public func isLow(_ value: Double) -> Bool { value <= lower && value < q1 }

  /// Whether `value` is a high outlier: at or above the upper fence, and above Q3.
  public func isHigh(_ value: Double) -> Bool { value >= upper && value > q3 }

  /// The fences of `values`; nil when there are none, or when they are too large for fences.
  public init?(_ values: [Double]) {
    let sorted = values.filter(\.isFinite).sorted()
    guard !sorted.isEmpty else { return nil }
    q1 = Self.quantile(sorted, 0.25)
    q3 = Self.quantile(sorted, 0.75)
    guard lower.isFinite, upper.isFinite else { return nil }
  }

  /// The `p`-quantile (0 ≤ p ≤ 1) of ascending `sorted` by R-8: h = (n + ⅓)p + ⅓.
  public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    guard let first = sorted.first, let last = sorted.last else { return .nan }
    let n = Double(sorted.count)
    let h = (n + 1.0 / 3.0) * p + 1.0 / 3.0
    if h <= 1 { return first }
    if h >= n { return last }
    let below = Int(h.rounded(.down))
    let low = sorted[below - 1]
    return low + (h - Double(below)) * (sorted[below] - low)
  }
}
