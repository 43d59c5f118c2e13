/// How well a model separates collusive tenders from the others, measured by grouped k-fold
/// cross-validation: each tender (with all its bids) falls in exactly one fold, folds are
/// stratified by label, and every fold is scored by a model trained on the other folds only.
public enum ScreenEvaluation {
  /// The figures of one evaluation.
  public struct Summary: Codable, Sendable, Equatable {
    public var folds: Int
    /// Area under the ROC curve, over all out-of-fold scores.
    public var auc: Double
    /// Mean of the true positive and true negative rates, a tender flagged when its score is at
    /// least the training tenders' share of collusive ones (for calibrated probabilities, the
    /// threshold that maximises this mean).
    public var balancedAccuracy: Double
    public var foldAUC: [Double]
  }

  /// The folds, the out-of-fold scores and the figures for `table` under `parameters`.
  public static func crossValidate(
    _ table: BidTable, folds: Int = 5, parameters: BoostedTrees.Parameters = .init()
  ) throws(BidTableError) -> (summary: Summary, scores: [Double]) {
    let labels = try ScreenModel.labels(of: table)
    let rows = ScreenFeatures.matrix(of: table)
    let assignment = foldAssignment(labels: labels, folds: folds, seed: parameters.seed)
    var scores = [Double](repeating: 0, count: rows.count)
    var foldAUC: [Double] = []
    for fold in 0..<folds {
      let train = rows.indices.filter { assignment[$0] != fold }
      let test = rows.indices.filter { assignment[$0] == fold }
      let model = BoostedTrees.train(
        rows: train.map { rows[$0] }, labels: train.map { labels[$0] }, parameters: parameters)
      for index in test { scores[index] = model.probability(rows[index]) }
      foldAUC.append(auc(scores: test.map { scores[$0] }, labels: test.map { labels[$0] }))
    }
    let summary = Summary(
      folds: folds, auc: auc(scores: scores, labels: labels),
      balancedAccuracy: balancedAccuracy(
        scores: scores, labels: labels, threshold: ScreenModel.flagThreshold(labels)),
      foldAUC: foldAUC)
    return (summary, scores)
  }

  /// A fold per tender: each label's tenders shuffled by `seed` and dealt round the folds.
  static func foldAssignment(labels: [Bool], folds: Int, seed: UInt64) -> [Int] {
    var random = SeededRandom(seed: seed ^ 0xF01D)
    var assignment = [Int](repeating: 0, count: labels.count)
    for label in [false, true] {
      let members = labels.indices.filter { labels[$0] == label }.shuffled(using: &random)
      for (position, index) in members.enumerated() { assignment[index] = position % folds }
    }
    return assignment
  }

  /// The probability that a random positive scores above a random negative (ties count half).
  public static func auc(scores: [Double], labels: [Bool]) -> Double {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var ranks = [Double](repeating: 0, count: scores.count)
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
      let rank = Double(start + end) / 2 + 1
      for position in start...end { ranks[order[position]] = rank }
      start = end + 1
    }
    let positives = Double(labels.filter { $0 }.count)
    let negatives = Double(labels.count) - positives
    guard positives > 0, negatives > 0 else { return .nan }
    let rankSum = labels.indices.filter { labels[$0] }.reduce(0) { $0 + ranks[$1] }
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
  }

  /// The mean of the rates of positives and of negatives classified right at `threshold`.
  public static func balancedAccuracy(scores: [Double], labels: [Bool], threshold: Double)
    -> Double
  {
    var truePositive = 0.0
    var positives = 0.0
    var trueNegative = 0.0
    var negatives = 0.0
    for (score, label) in zip(scores, labels) {
      if label {
        positives += 1
        if score >= threshold { truePositive += 1 }
      } else {
        negatives += 1
        if score < threshold { trueNegative += 1 }
      }
    }
    guard positives > 0, negatives > 0 else { return .nan }
    return (truePositive / positives + trueNegative / negatives) / 2
  }
}
