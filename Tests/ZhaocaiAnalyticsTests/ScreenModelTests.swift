import Foundation
import Testing

@testable import ZhaocaiAnalytics

/// The boosted trees, the model file and the cross-validation that reports how well it works.
@Suite struct ScreenModelTests {
  var fewTrees: BoostedTrees.Parameters {
    var parameters = BoostedTrees.Parameters()
    parameters.trees = 60
    return parameters
  }

  @Test func treesLearnAThresholdAndWhereMissingValuesGo() {
    var rows: [[Double]] = []
    var labels: [Bool] = []
    for index in 0..<200 {
      let x = Double(index) / 200
      rows.append([x, Double(index % 7)])
      labels.append(x > 0.6)
    }
    // Tenders without the feature are all positive here: NaN must learn to go that way.
    for _ in 0..<40 {
      rows.append([.nan, 3])
      labels.append(true)
    }
    let model = BoostedTrees.train(rows: rows, labels: labels, parameters: fewTrees)
    #expect(model.probability([0.9, 1]) > 0.8)
    #expect(model.probability([0.2, 1]) < 0.2)
    #expect(model.probability([.nan, 1]) > 0.8)
    let scores = rows.map(model.probability)
    #expect(ScreenEvaluation.auc(scores: scores, labels: labels) > 0.99)
  }

  @Test func aucCountsTiesAsHalf() {
    #expect(
      ScreenEvaluation.auc(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true])
        == 0.75)
    #expect(ScreenEvaluation.auc(scores: [0.5, 0.5], labels: [false, true]) == 0.5)
    #expect(
      ScreenEvaluation.balancedAccuracy(
        scores: [0.9, 0.2, 0.6, 0.1], labels: [true, true, false, false], threshold: 0.5) == 0.5)
  }

  @Test func crossValidationSeparatesSyntheticCartels() throws {
    let table = try BidTable.parse(Array(SyntheticBids(tenders: 400).csv().utf8))
    let (summary, scores) = try ScreenEvaluation.crossValidate(table, parameters: fewTrees)
    #expect(summary.folds == 5 && summary.foldAUC.count == 5)
    #expect(summary.auc > 0.95, "\(summary)")
    #expect(summary.balancedAccuracy > 0.9, "\(summary)")
    #expect(scores.count == table.tenders.count)
  }

  @Test func foldsAreStratifiedAndEachTenderInOne() {
    let labels = (0..<103).map { $0 % 3 == 0 }
    let folds = ScreenEvaluation.foldAssignment(labels: labels, folds: 5, seed: 1)
    #expect(folds.count == labels.count && folds.allSatisfy { (0..<5).contains($0) })
    for fold in 0..<5 {
      let positives = labels.indices.filter { folds[$0] == fold && labels[$0] }.count
      #expect((6...7).contains(positives))
    }
  }

  @Test func aModelFileReadsBackAndRefusesOtherFeatures() throws {
    let table = try BidTable.parse(Array(SyntheticBids(tenders: 120).csv().utf8))
    let model = try ScreenModel.train(table, source: "synthetic", parameters: fewTrees)
    #expect(model.provenance.tenders == 120 && model.provenance.source == "synthetic")
    let data = try model.encoded()
    let read = try ScreenModel.decode(data)
    #expect(read.trees == model.trees)
    #expect(read.score(table).map(\.score) == model.score(table).map(\.score))

    var other = model
    other.features[0] = "something_else"
    #expect(throws: BidTableError.self) { try ScreenModel.decode(try other.encoded()) }
    var format = model
    format.format = "zhaocai-screen-model/0"
    #expect(throws: BidTableError.self) { try ScreenModel.decode(try format.encoded()) }
    #expect(throws: BidTableError.self) { try ScreenModel.decode(Data("{\"a\":1}".utf8)) }

    // Trees a hostile file could hold: a child pointing back, an unknown feature, an empty tree,
    // a child outside the tree. Each is refused when read, never walked.
    let tree = model.trees.trees[0]
    let split = try #require(tree.feature.firstIndex { $0 >= 0 })
    for damage in 0..<4 {
      var broken = model
      var bad = tree
      switch damage {
      case 0: bad.left[split] = split
      case 1: bad.feature[split] = 9_999
      case 2: bad = BoostedTrees.Tree()
      default: bad.right[split] = bad.feature.count
      }
      broken.trees.trees[0] = bad
      let data = try broken.encoded()
      #expect(throws: BidTableError.self, "damage \(damage)") { try ScreenModel.decode(data) }
    }
  }

  @Test func historiesMarkBiddersThatNeverWinAndPairsThatMeet() throws {
    var text = "tender,bidder,amount\n"
    for tender in 0..<5 {
      text += "T\(tender),W,100\nT\(tender),C,110\nT\(tender),X\(tender),120\n"
    }
    let table = try BidTable.parse(Array(text.utf8))
    let history = BidderHistory(table)
    let features = history.features(of: table.tenders[0])
    // W and C met in 4 other tenders; X0 in none.
    #expect(features[0] == (4 + 4 + 0) / 3.0)
    // C lost all 4 others, W none of its 4; X0 has no other tenders and does not count.
    #expect(features[1] == 0.5)
    #expect(features[2] == 1.0)
    #expect(features[3] == (4 + 0 + 0) / 3.0)
  }
}
