/// The statistical screens of one tender's bids (Imhof 2017; Huber and Imhof 2019): each a
/// number that moves when bids are coordinated. A screen a tender has too few bids for is nil:
/// CV, SPD and DIFFP need 2 bids, RD, RDNOR, SKEW and KS 3, KURT 4.
///
/// With the bids sorted b₁ ≤ b₂ ≤ … ≤ bₙ, mean μ and sample standard deviation σ (n − 1):
/// - `cv` = σ / μ: cartels narrow the spread of the bids;
/// - `spread` = (bₙ − b₁) / b₁;
/// - `diffp` = (b₂ − b₁) / b₁: the gap the winner leaves;
/// - `rd` = (b₂ − b₁) / σₗ, σₗ the sample standard deviation of the losing bids b₂ … bₙ: cover
///   bids sit close together above a winner (nil when the losing bids are all equal);
/// - `rdnor` = (b₂ − b₁) / ((bₙ − b₁) / (n − 1)): the winner's gap over the mean gap between
///   adjacent bids;
/// - `skew`, `kurt`: the sample skewness and excess kurtosis with their small-sample
///   corrections (as spreadsheets and pandas compute them; nil when σ is 0);
/// - `ks`: the Kolmogorov–Smirnov distance between the bids and the uniform distribution over
///   [b₁, bₙ].
public struct PriceScreens: Sendable, Equatable {
  public let count: Int
  public let mean: Double
  public let cv: Double?
  public let spread: Double?
  public let diffp: Double?
  public let rd: Double?
  public let rdnor: Double?
  public let skew: Double?
  public let kurt: Double?
  public let ks: Double?

  /// The screens of `amounts`, which must be sorted ascending, positive and finite.
  /// The screens the bids allow, by their names in docs/ANALYTICS.md.
  public var named: [(name: String, value: Double)] {
    [
      ("CV", cv), ("SPD", spread), ("DIFFP", diffp), ("RD", rd), ("RDNOR", rdnor),
      ("SKEW", skew), ("KURT", kurt), ("KS", ks),
    ].compactMap { name, value in value.map { (name, $0) } }
  }

  public init(sorted amounts: some RandomAccessCollection<Double>) {
    let values = Array(amounts)
    let n = values.count
    count = n
    let mean = n == 0 ? 0 : values.reduce(0, +) / Double(n)
    self.mean = mean
    guard n >= 2, let low = values.first, let high = values.last else {
      (cv, spread, diffp, rd, rdnor, skew, kurt, ks) = (nil, nil, nil, nil, nil, nil, nil, nil)
      return
    }
    let second = values[1]
    let sd = Self.standardDeviation(values[...], mean: mean)
    cv = sd / mean
    spread = (high - low) / low
    diffp = (second - low) / low
    guard n >= 3 else {
      (rd, rdnor, skew, kurt, ks) = (nil, nil, nil, nil, nil)
      return
    }
    let losing = values[1...]
    let losingMean = losing.reduce(0, +) / Double(losing.count)
    let losingSD = Self.standardDeviation(losing, mean: losingMean)
    rd = losingSD > 0 ? (second - low) / losingSD : nil
    rdnor = high > low ? (second - low) * Double(n - 1) / (high - low) : nil
    ks = high > low ? Self.uniformDistance(values, low: low, high: high) : nil
    guard sd > 0 else {
      (skew, kurt) = (nil, nil)
      return
    }
    let nd = Double(n)
    var third = 0.0
    var fourth = 0.0
    for value in values {
      let z = (value - mean) / sd
      third += z * z * z
      fourth += z * z * z * z
    }
    skew = nd / ((nd - 1) * (nd - 2)) * third
    kurt =
      n >= 4
      ? nd * (nd + 1) / ((nd - 1) * (nd - 2) * (nd - 3)) * fourth - 3 * (nd - 1) * (nd - 1)
        / ((nd - 2) * (nd - 3))
      : nil
  }

  static func standardDeviation(_ values: ArraySlice<Double>, mean: Double) -> Double {
    guard values.count >= 2 else { return 0 }
    let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (squares / Double(values.count - 1)).squareRoot()
  }

  private static func uniformDistance(_ values: [Double], low: Double, high: Double) -> Double {
    let n = Double(values.count)
    var distance = 0.0
    for (index, value) in values.enumerated() {
      let u = (value - low) / (high - low)
      distance = max(distance, Double(index + 1) / n - u, u - Double(index) / n)
    }
    return distance
  }
}
