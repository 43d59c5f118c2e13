import Foundation

/// A gradient-boosted ensemble of small regression trees on the log-odds (logistic loss,
/// Newton leaf values, L2-regularised), as XGBoost and LightGBM build them: the model that
/// learns which combinations of screens mark a collusive tender. Splits are searched over the
/// quantiles of each feature; a missing value (NaN) goes the way that fitted the training data
/// best at each split.
public struct BoostedTrees: Codable, Sendable, Equatable {
  /// How a model is grown.
  public struct Parameters: Codable, Sendable, Equatable {
    public var trees = 300
    public var depth = 3
    public var learningRate = 0.05
    /// L2 penalty on leaf values.
    public var lambda = 1.0
    /// The fewest training tenders a leaf may hold.
    public var minLeaf = 8
    /// The share of tenders each tree sees (stochastic boosting).
    public var subsample = 0.8
    /// Candidate thresholds per feature.
    public var bins = 32
    public var seed: UInt64 = 2026

    public init() {}
  }

  /// One tree, its nodes in arrays: node i splits on `feature[i]` at `threshold[i]` (x <
  /// threshold goes to `left[i]`), or is a leaf with `value[i]` when `feature[i]` is -1.
  public struct Tree: Codable, Sendable, Equatable {
    public var feature: [Int] = []
    public var threshold: [Double] = []
    public var missingLeft: [Bool] = []
    public var left: [Int] = []
    public var right: [Int] = []
    public var value: [Double] = []

    /// Whether the arrays describe a tree `leafValue` can walk over `featureCount` features:
    /// equal lengths, at least one node, each split's children after it and inside the tree, its
    /// feature known, every number finite. A model file is input, so it is checked, not trusted.
    func isWellFormed(featureCount: Int) -> Bool {
      let count = feature.count
      guard count > 0, count <= 1 << 16,
        [threshold.count, missingLeft.count, left.count, right.count, value.count].allSatisfy({
          $0 == count
        })
      else { return false }
      for node in 0..<count {
        guard value[node].isFinite else { return false }
        if feature[node] == -1 { continue }
        guard feature[node] >= 0, feature[node] < featureCount, threshold[node].isFinite,
          left[node] > node, left[node] < count, right[node] > node, right[node] < count
        else { return false }
      }
      return true
    }

    func leafValue(_ x: [Double]) -> Double {
      var node = 0
      // Each step goes to a higher index, so the walk ends within the node count.
      for _ in 0..<feature.count {
        let f = feature[node]
        guard f >= 0, f < x.count else { return value[node] }
        let v = x[f]
        let goLeft = v.isNaN ? missingLeft[node] : v < threshold[node]
        let next = goLeft ? left[node] : right[node]
        guard next > node, next < feature.count else { return value[node] }
        node = next
      }
      return value[node]
    }
  }

  public var parameters: Parameters
  /// The log-odds every tender starts from (the training set's prevalence).
  public var base: Double
  public var trees: [Tree]

  /// The probability that `x` (a feature vector) is of the positive class.
  public func probability(_ x: [Double]) -> Double {
    var margin = base
    for tree in trees { margin += parameters.learningRate * tree.leafValue(x) }
    return 1 / (1 + exp(-margin))
  }

  /// Grows a model on `rows` (feature vectors of equal length) labelled `labels`.
  public static func train(rows: [[Double]], labels: [Bool], parameters: Parameters = Parameters())
    -> BoostedTrees
  {
    let trainer = Trainer(rows: rows, labels: labels, parameters: parameters)
    return trainer.run()
  }
}
