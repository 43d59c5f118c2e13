import Foundation
import Testing
import ZhaocaiAnalytics

/// `zhaocai screen` as a supervisor's analyst runs it on a CSV of bids.
@Suite struct ScreenCommandTests {
  let cli: CommandRunner
  let csv = SyntheticBids(tenders: 300).csv()

  init() throws {
    cli = try CommandRunner()
    try cli.write("bids.csv", Array(csv.utf8))
  }

  /// The rows of a CSV the command wrote, header first.
  func rows(_ name: String) throws -> [[String]] {
    String(decoding: try cli.read(name), as: UTF8.self).split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  @Test func trainThenScoreRanksTheCartelsFirst() throws {
    defer { cli.remove() }
    let trained = try cli.run(
      "screen", "train", "--csv", "bids.csv", "--out", "model.json", "--trees", "40", "--folds",
      "3")
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(trained.stdout.contains("trained on 300 tenders"))
    #expect(trained.stdout.contains("3-fold AUC"))

    let scored = try cli.run(
      "screen", "score", "--model", "model.json", "--csv", "bids.csv", "--out", "scores.csv")
    #expect(scored.status == 0, "\(scored.stderr)")
    let rows = try rows("scores.csv")
    #expect(rows.first == ["tender", "score"])
    #expect(rows.count == 301)
    let table = try BidTable.parse(Array(csv.utf8))
    let labels = Dictionary(
      uniqueKeysWithValues: table.tenders.map { ($0.id, $0.collusive == true) })
    let scores = rows.dropFirst().map { (labels[$0[0]] == true, Double($0[1]) ?? -1) }
    let auc = ScreenEvaluation.auc(scores: scores.map(\.1), labels: scores.map(\.0))
    #expect(auc > 0.95)
  }

  @Test func theBundledModelScoresWithoutAModelOption() throws {
    defer { cli.remove() }
    let scored = try cli.run("screen", "score", "--csv", "bids.csv", "--out", "scores.csv")
    #expect(scored.status == 0, "\(scored.stderr)")
    let rows = try rows("scores.csv")
    #expect(rows.count == 301)
    #expect(rows.dropFirst().allSatisfy { (Double($0[1]) ?? -1) >= 0 && (Double($0[1]) ?? 2) <= 1 })
  }

  @Test func screensAreWrittenPerTenderWithTheLabel() throws {
    defer { cli.remove() }
    let written = try cli.run("screen", "screens", "--csv", "bids.csv", "--out", "screens.csv")
    #expect(written.status == 0, "\(written.stderr)")
    let rows = try rows("screens.csv")
    let header = try #require(rows.first)
    #expect(Array(header.prefix(5)) == ["tender", "collusive", "bids", "amount_log_mean", "cv"])
    #expect(
      header.contains("rd") && header.contains("sub_cv_min") && header.contains("history_loss_rate")
    )
    #expect(rows.count == 301 && rows.allSatisfy { $0.count == header.count })
  }

  @Test func aBadRowIsRefusedWithItsLineInBothLanguages() throws {
    defer { cli.remove() }
    try cli.write("bad.csv", Array("tender,bidder,amount\nT1,A,100\nT1,B,-3\n".utf8))
    let refused = try cli.run("screen", "score", "--csv", "bad.csv", "--out", "scores.csv")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("line 3") && refused.stderr.contains("AMOUNT_INVALID"))
    #expect(refused.stderr.contains("第3行"))
    #expect(!cli.exists("scores.csv"))

    try cli.write("model.json", Array("{\"format\":\"other\"}".utf8))
    let model = try cli.run(
      "screen", "score", "--model", "model.json", "--csv", "bids.csv", "--out", "scores.csv")
    #expect(model.status == 1 && model.stderr.contains("MODEL_INVALID"))

    let unlabelled = "tender,bidder,amount\nT1,A,100\nT1,B,120\n"
    try cli.write("unlabelled.csv", Array(unlabelled.utf8))
    let train = try cli.run("screen", "train", "--csv", "unlabelled.csv", "--out", "m.json")
    #expect(train.status == 1 && train.stderr.contains("LABEL_MISSING"))
    let missing = try cli.run("screen", "score", "--csv", "nowhere.csv", "--out", "s.csv")
    #expect(missing.status == 3)
    let folds = try cli.run("screen", "evaluate", "--csv", "bids.csv", "--folds", "1")
    #expect(folds.status == 64)
  }

  @Test func aFileTooLargeIsRefusedBeforeItIsRead() throws {
    defer { cli.remove() }
    // A sparse file: 2 GiB and a byte on paper, nothing on disk.
    try cli.write("huge.csv", Array("tender,bidder,amount\n".utf8))
    let handle = try FileHandle(forWritingTo: cli.directory.appendingPathComponent("huge.csv"))
    try handle.truncate(atOffset: UInt64(2 << 30) + 1)
    try handle.close()
    let refused = try cli.run("screen", "score", "--csv", "huge.csv", "--out", "scores.csv")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("more than") && refused.stderr.contains("超过投标表上限"))
  }

  @Test func evaluatePrintsGroupedFoldFiguresAsJSON() throws {
    defer { cli.remove() }
    let evaluated = try cli.run(
      "screen", "evaluate", "--csv", "bids.csv", "--folds", "3", "--trees", "30", "--json")
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    let summary = try JSONDecoder().decode(
      ScreenEvaluation.Summary.self, from: Data(evaluated.stdout.utf8))
    #expect(summary.folds == 3 && summary.foldAUC.count == 3 && summary.auc > 0.95)
  }
}
