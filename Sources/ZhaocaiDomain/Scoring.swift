/// The grounds on which the committee rejects a bid (条例51).
public enum RejectionGround: String, Codable, Sendable, CaseIterable {
  /// 未经投标单位盖章和单位负责人签字
  case notSigned
  /// 投标联合体没有提交共同投标协议
  case noJointBidAgreement
  /// 投标人不符合资格条件
  case notQualified
  /// 同一投标人提交两个以上不同的投标文件或者投标报价
  case multipleBids
  /// 投标报价低于成本或者高于最高投标限价
  case priceBelowCostOrAboveCeiling
  /// 没有对招标文件的实质性要求和条件作出响应
  case notResponsive
  /// 串通投标、弄虚作假、行贿等违法行为
  case collusionFraudOrBribery
}

/// One expert's marks, made alone: per bidder, per criterion, in hundredths of a point
/// (comprehensive scoring), or an adjustment to the bid price (lowest evaluated price).
public struct ScoreSheet: Codable, Sendable, Equatable {
  public var points: [String: [String: Int]]
  public var priceAdjustments: [String: Money]

  public init(points: [String: [String: Int]] = [:], priceAdjustments: [String: Money] = [:]) {
    self.points = points
    self.priceAdjustments = priceAdjustments
  }
}

/// The two evaluation methods of DESIGN.md, as pure rankings, and the arithmetic behind each
/// so a member can check it.
public enum Scoring {
  /// One criterion of one bid under comprehensive scoring: every member's marks, lowest first;
  /// the highest and lowest left out when extremes are dropped; the mean of the rest.
  public struct CriterionWorking: Sendable, Equatable {
    public let criterion: String
    public let marks: [Int]
    public let dropped: [Int]
    public let mean: Int
  }

  /// One bid's total under comprehensive scoring, criterion by criterion.
  public struct ComprehensiveWorking: Sendable, Equatable {
    public let bidder: String
    public let criteria: [CriterionWorking]
    public let total: Int
  }

  /// 综合评估法: each criterion's marks averaged over the experts (dropping the highest and the
  /// lowest when asked and there are at least 5), summed; highest total first, then lower price.
  public static func comprehensive(
    sheets: [ScoreSheet], bidders: [String], prices: [String: Money], dropExtremes: Bool
  ) -> [(bidder: String, score: Int)] {
    comprehensiveWorking(
      sheets: sheets, bidders: bidders, prices: prices, dropExtremes: dropExtremes
    ).map { (bidder: $0.bidder, score: $0.total) }
  }

  /// `comprehensive`, showing its arithmetic, in the ranking's order. Means are in hundredths
  /// of a point, rounded down, as the marks are.
  public static func comprehensiveWorking(
    sheets: [ScoreSheet], bidders: [String], prices: [String: Money], dropExtremes: Bool
  ) -> [ComprehensiveWorking] {
    let worked = bidders.map { bidder -> ComprehensiveWorking in
      let names = Set(sheets.flatMap { $0.points[bidder]?.keys.map { $0 } ?? [] }).sorted()
      let criteria = names.map { criterion -> CriterionWorking in
        let marks = sheets.compactMap { $0.points[bidder]?[criterion] }.sorted()
        var kept = marks
        var dropped: [Int] = []
        if dropExtremes, marks.count >= 5 {
          kept = Array(marks.dropFirst().dropLast())
          dropped = [marks[0], marks[marks.count - 1]]
        }
        let keptTotal: Int128 = kept.reduce(0) { $0 + Int128($1) }
        return CriterionWorking(
          criterion: criterion, marks: marks, dropped: dropped,
          mean: kept.isEmpty ? 0 : Int(clamping: keptTotal / Int128(kept.count)))
      }
      // Summed wide: marks are bounded where they are taken, but a sum must never trap.
      let total: Int128 = criteria.reduce(0) { $0 + Int128($1.mean) }
      return ComprehensiveWorking(bidder: bidder, criteria: criteria, total: Int(clamping: total))
    }
    return worked.sorted { a, b in
      if a.total != b.total { return a.total > b.total }
      let pa = prices[a.bidder]?.fen ?? .max
      let pb = prices[b.bidder]?.fen ?? .max
      return pa != pb ? pa < pb : a.bidder < b.bidder
    }
  }

  /// One bid under the lowest evaluated price: its price, every member's adjustment, their mean
  /// and the price evaluated.
  public struct PriceWorking: Sendable, Equatable {
    public let bidder: String
    public let price: Money
    public let adjustments: [Money]
    public let meanAdjustment: Money
    public let evaluatedPrice: Money
  }

  /// 经评审的最低投标价法: bid price plus the experts' mean adjustment; lowest first.
  public static func lowestEvaluatedPrice(
    sheets: [ScoreSheet], prices: [String: Money]
  ) -> [(bidder: String, evaluatedPrice: Money)] {
    lowestEvaluatedPriceWorking(sheets: sheets, prices: prices).map {
      (bidder: $0.bidder, evaluatedPrice: $0.evaluatedPrice)
    }
  }

  /// `lowestEvaluatedPrice`, showing its arithmetic, in the ranking's order (the mean rounded
  /// toward zero, to the fen).
  public static func lowestEvaluatedPriceWorking(
    sheets: [ScoreSheet], prices: [String: Money]
  ) -> [PriceWorking] {
    prices.map { bidder, price -> PriceWorking in
      let adjustments = sheets.compactMap { $0.priceAdjustments[bidder] }
      // Summed wide: an expert's adjustment of any size ranks, it does not overflow.
      let total: Int128 = adjustments.reduce(0) { $0 + Int128($1.fen) }
      let mean: Int128 = adjustments.isEmpty ? 0 : total / Int128(adjustments.count)
      let evaluated: Int128 = Int128(price.fen) + mean
      return PriceWorking(
        bidder: bidder, price: price, adjustments: adjustments.sorted { $0.fen < $1.fen },
        meanAdjustment: Money(fen: Int64(clamping: mean)),
        evaluatedPrice: Money(fen: Int64(clamping: evaluated)))
    }.sorted {
      $0.evaluatedPrice != $1.evaluatedPrice
        ? $0.evaluatedPrice < $1.evaluatedPrice : $0.bidder < $1.bidder
    }
  }
}
