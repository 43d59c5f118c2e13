import Foundation

/// Grows the trees of a `BoostedTrees` model: features binned once at their quantiles, then for
/// each tree the gradient and hessian of the logistic loss, and per node the split with the
/// largest gain found from per-bin sums.
struct Trainer {
  let labels: [Double]
  let parameters: BoostedTrees.Parameters
  /// Per feature, the candidate thresholds, ascending.
  let thresholds: [[Double]]
  /// Per feature, per row, the bin (the count of thresholds at or below the value); -1 for NaN.
  let bins: [[Int16]]
  let rowCount: Int

  init(rows: [[Double]], labels: [Bool], parameters: BoostedTrees.Parameters) {
    self.labels = labels.map { $0 ? 1 : 0 }
    self.parameters = parameters
    rowCount = rows.count
    let featureCount = rows.first?.count ?? 0
    var thresholds: [[Double]] = []
    var bins: [[Int16]] = []
    for feature in 0..<featureCount {
      let present = rows.map { $0[feature] }.filter { !$0.isNaN }.sorted()
      var cuts: [Double] = []
      if present.count > 1 {
        let binCount = max(2, min(parameters.bins, 250))
        for step in 1..<binCount {
          let cut = present[step * (present.count - 1) / binCount]
          // A threshold equal to the smallest value would send nothing left.
          if cut > present[0], cuts.last.map({ cut > $0 }) ?? true { cuts.append(cut) }
        }
      }
      thresholds.append(cuts)
      bins.append(
        rows.map { row in
          let value = row[feature]
          guard !value.isNaN else { return -1 }
          return Int16(Self.bin(of: value, in: cuts))
        })
    }
    self.thresholds = thresholds
    self.bins = bins
  }

  /// The number of thresholds at or below `value`.
  static func bin(of value: Double, in cuts: [Double]) -> Int {
    var low = 0
    var high = cuts.count
    while low < high {
      let middle = (low + high) / 2
      if cuts[middle] <= value { low = middle + 1 } else { high = middle }
    }
    return low
  }

  func run() -> BoostedTrees {
    let positives = labels.reduce(0, +)
    let prior = min(max(positives / Double(max(rowCount, 1)), 1e-6), 1 - 1e-6)
    let base = (prior / (1 - prior)).logarithm
    var margins = Array(repeating: base, count: rowCount)
    var random = SeededRandom(seed: parameters.seed)
    var trees: [BoostedTrees.Tree] = []
    for _ in 0..<parameters.trees {
      var gradient = [Double](repeating: 0, count: rowCount)
      var hessian = [Double](repeating: 0, count: rowCount)
      for row in 0..<rowCount {
        let p = 1 / (1 + (-margins[row]).exponential)
        gradient[row] = p - labels[row]
        hessian[row] = max(p * (1 - p), 1e-12)
      }
      let sample = (0..<rowCount).filter { _ in
        Double(random.next() >> 11) / Double(1 << 53) < parameters.subsample
      }
      var tree = BoostedTrees.Tree()
      grow(&tree, rows: sample, depth: 0, gradient: gradient, hessian: hessian)
      for row in 0..<rowCount {
        margins[row] += parameters.learningRate * leafValue(tree, row: row)
      }
      trees.append(tree)
    }
    return BoostedTrees(parameters: parameters, base: base, trees: trees)
  }

  /// The leaf a training row reaches, read from its bins (the same path as its values take).
  private func leafValue(_ tree: BoostedTrees.Tree, row: Int) -> Double {
    var node = 0
    while tree.feature[node] >= 0 {
      let f = tree.feature[node]
      let bin = bins[f][row]
      let goLeft =
        bin < 0
        ? tree.missingLeft[node] : Int(bin) < Self.bin(of: tree.threshold[node], in: thresholds[f])
      node = goLeft ? tree.left[node] : tree.right[node]
    }
    return tree.value[node]
  }

  private struct Split {
    var gain: Double
    var feature: Int
    var cut: Int
    var missingLeft: Bool
  }

  @discardableResult
  private func grow(
    _ tree: inout BoostedTrees.Tree, rows: [Int], depth: Int, gradient: [Double],
    hessian: [Double]
  ) -> Int {
    let g = rows.reduce(0) { $0 + gradient[$1] }
    let h = rows.reduce(0) { $0 + hessian[$1] }
    let node = tree.feature.count
    tree.feature.append(-1)
    tree.threshold.append(0)
    tree.missingLeft.append(false)
    tree.left.append(-1)
    tree.right.append(-1)
    tree.value.append(-g / (h + parameters.lambda))
    guard depth < parameters.depth, rows.count >= 2 * parameters.minLeaf,
      let split = bestSplit(rows: rows, g: g, h: h, gradient: gradient, hessian: hessian)
    else { return node }
    let cutBin = Int16(split.cut)
    var leftRows: [Int] = []
    var rightRows: [Int] = []
    for row in rows {
      let bin = bins[split.feature][row]
      if bin < 0 ? split.missingLeft : bin < cutBin {
        leftRows.append(row)
      } else {
        rightRows.append(row)
      }
    }
    tree.feature[node] = split.feature
    tree.threshold[node] = thresholds[split.feature][split.cut - 1]
    tree.missingLeft[node] = split.missingLeft
    let left = grow(&tree, rows: leftRows, depth: depth + 1, gradient: gradient, hessian: hessian)
    tree.left[node] = left
    let right = grow(&tree, rows: rightRows, depth: depth + 1, gradient: gradient, hessian: hessian)
    tree.right[node] = right
    return node
  }

  /// The split of `rows` with the largest gain, if any gains and leaves enough on each side;
  /// `cut` k sends bins below k left (values below the k-th threshold).
  private func bestSplit(rows: [Int], g: Double, h: Double, gradient: [Double], hessian: [Double])
    -> Split?
  {
    let lambda = parameters.lambda
    let parentScore = g * g / (h + lambda)
    var best: Split?
    for feature in 0..<thresholds.count where !thresholds[feature].isEmpty {
      let binCount = thresholds[feature].count + 1
      var binG = [Double](repeating: 0, count: binCount)
      var binH = [Double](repeating: 0, count: binCount)
      var binN = [Int](repeating: 0, count: binCount)
      var missingG = 0.0
      var missingH = 0.0
      var missingN = 0
      let column = bins[feature]
      for row in rows {
        let bin = Int(column[row])
        if bin < 0 {
          missingG += gradient[row]
          missingH += hessian[row]
          missingN += 1
        } else {
          binG[bin] += gradient[row]
          binH[bin] += hessian[row]
          binN[bin] += 1
        }
      }
      var leftG = 0.0
      var leftH = 0.0
      var leftN = 0
      for cut in 1..<binCount {
        leftG += binG[cut - 1]
        leftH += binH[cut - 1]
        leftN += binN[cut - 1]
        for missingLeft in [false, true] {
          let lg = leftG + (missingLeft ? missingG : 0)
          let lh = leftH + (missingLeft ? missingH : 0)
          let ln = leftN + (missingLeft ? missingN : 0)
          let rn = rows.count - ln
          guard ln >= parameters.minLeaf, rn >= parameters.minLeaf else { continue }
          let rg = g - lg
          let rh = h - lh
          let gain = lg * lg / (lh + lambda) + rg * rg / (rh + lambda) - parentScore
          if gain > (best?.gain ?? 1e-9) {
            best = Split(gain: gain, feature: feature, cut: cut, missingLeft: missingLeft)
          }
        }
      }
    }
    return best
  }
}

extension Double {
  fileprivate var logarithm: Double { log(self) }
  fileprivate var exponential: Double { exp(self) }
}
