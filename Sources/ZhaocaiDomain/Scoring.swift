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

/// The two evaluation methods of DESIGN.md, as pure rankings.
public enum Scoring {
  /// 综合评估法: each criterion's marks averaged over the experts (dropping the highest and the
  /// lowest when asked and there are at least 5), summed; highest total first, then lower price.
  public static func comprehensive(
    sheets: [ScoreSheet], bidders: [String], prices: [String: Money], dropExtremes: Bool
  ) -> [(bidder: String, score: Int)] {
    let ranked = bidders.map { bidder -> (String, Int) in
      let criteria = Set(sheets.flatMap { $0.points[bidder]?.keys.map { $0 } ?? [] })
      // Summed wide: marks are bounded where they are taken, but a sum must never trap.
      let total: Int128 = criteria.reduce(0) { sum, criterion in
        var marks = sheets.compactMap { $0.points[bidder]?[criterion] }.sorted()
        if dropExtremes, marks.count >= 5 { marks = Array(marks.dropFirst().dropLast()) }
        let marksTotal: Int128 = marks.reduce(0) { $0 + Int128($1) }
        return sum + (marks.isEmpty ? 0 : marksTotal / Int128(marks.count))
      }
      return (bidder, Int(clamping: total))
    }
    return ranked.sorted { a, b in
      if a.1 != b.1 { return a.1 > b.1 }
      let pa = prices[a.0]?.fen ?? .max
      let pb = prices[b.0]?.fen ?? .max
      return pa != pb ? pa < pb : a.0 < b.0
    }.map { (bidder: $0.0, score: $0.1) }
  }

  /// 经评审的最低投标价法: bid price plus the experts' mean adjustment; lowest first.
  public static func lowestEvaluatedPrice(
    sheets: [ScoreSheet], prices: [String: Money]
  ) -> [(bidder: String, evaluatedPrice: Money)] {
    prices.map { bidder, price -> (String, Money) in
      // Summed wide: an expert's adjustment of any size ranks, it does not overflow.
      let adjustments: [Int128] = sheets.compactMap {
        $0.priceAdjustments[bidder].map { Int128($0.fen) }
      }
      let total: Int128 = adjustments.reduce(0, +)
      let mean: Int128 = adjustments.isEmpty ? 0 : total / Int128(adjustments.count)
      let evaluated: Int128 = Int128(price.fen) + mean
      return (bidder, Money(fen: Int64(clamping: evaluated)))
    }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map {
      (bidder: $0.0, evaluatedPrice: $0.1)
    }
  }
}
