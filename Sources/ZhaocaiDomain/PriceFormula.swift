/// How a price criterion is scored by formula rather than marked (综合评估法, the model documents'
/// 评标基准价 and 偏差率): the benchmark is the mean price of the bids not rejected, less a
/// discount the documents fix; a bid loses points for each 1% it lies above or below it.
public struct PriceFormula: Codable, Sendable, Equatable {
  /// The benchmark's discount off the mean (下浮率), in hundredths of a percent: 0 to 2,000.
  public var discount: Int
  /// Points lost per 1% above the benchmark, in hundredths of a point: 0 to 10,000.
  public var deductionAbove: Int
  /// Points lost per 1% below the benchmark, in hundredths of a point: 0 to 10,000.
  public var deductionBelow: Int

  public init(discount: Int = 0, deductionAbove: Int = 100, deductionBelow: Int = 50) {
    self.discount = discount
    self.deductionAbove = deductionAbove
    self.deductionBelow = deductionBelow
  }

  /// The discount's bounds, in hundredths of a percent: 0 to 20%.
  public static let discounts = 0...2_000
  /// A deduction's bounds, in hundredths of a point per 1%: 0 to 100 points.
  public static let deductions = 0...10_000

  /// Within its bounds; the documents publish these numbers, so nothing else is accepted.
  public var isValid: Bool {
    Self.discounts.contains(discount) && Self.deductions.contains(deductionAbove)
      && Self.deductions.contains(deductionBelow)
  }

  /// One bid's price score and how it was reached.
  public struct Row: Sendable, Equatable {
    public let bidder: String
    public let price: Money
    /// (price − benchmark) / benchmark, in hundredths of a percent, rounded half away from zero.
    public let deviation: Int
    /// In hundredths of a point, never below 0.
    public let score: Int
  }

  /// The benchmark and every bid's score, highest score first.
  public struct Working: Sendable, Equatable {
    public let criterion: String
    public let maxPoints: Int
    public let formula: PriceFormula
    public let mean: Money
    public let benchmark: Money
    public let rows: [Row]
  }

  /// Scores `prices` (the bids not rejected) on a criterion of `maxPoints`; nil without a price.
  public func working(criterion: String, maxPoints: Int, prices: [String: Money]) -> Working? {
    guard !prices.isEmpty else { return nil }
    // Wide sums and products: prices are bounded where they are taken, but nothing here traps.
    let total: Int128 = prices.values.reduce(0) { $0 + Int128($1.fen) }
    let mean = total / Int128(prices.count)
    let benchmark = max(1, mean * Int128(10_000 - discount) / 10_000)
    let rows = prices.map { bidder, price -> Row in
      let difference = (Int128(price.fen) - benchmark) * 10_000
      let half = benchmark / 2
      let deviation =
        difference >= 0 ? (difference + half) / benchmark : (difference - half) / benchmark
      let perPercent = Int128(deviation >= 0 ? deductionAbove : deductionBelow)
      let lost = (deviation >= 0 ? deviation : -deviation) * perPercent / 100
      let score = max(0, Int128(maxPoints) - lost)
      return Row(
        bidder: bidder, price: price, deviation: Int(clamping: deviation),
        score: Int(clamping: score))
    }.sorted { ($0.score, $1.price.fen, $1.bidder) > ($1.score, $0.price.fen, $0.bidder) }
    return Working(
      criterion: criterion, maxPoints: maxPoints, formula: self,
      mean: Money(fen: Int64(clamping: mean)), benchmark: Money(fen: Int64(clamping: benchmark)),
      rows: rows)
  }
}
