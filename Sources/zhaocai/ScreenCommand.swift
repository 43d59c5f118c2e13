import ArgumentParser
import Foundation
import ZhaocaiAnalytics

/// `zhaocai screen`: price screens and the collusion model over a CSV of bids
/// (`tender,bidder,amount[,estimate][,collusive]`, docs/ANALYTICS.md).
struct Screen: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Screen tenders for collusion: compute screens, train, score, evaluate.",
    discussion: ScreenExit.help,
    subcommands: [
      ScreenTrain.self, ScreenScore.self, ScreenFeaturesCommand.self, ScreenEvaluate.self,
    ])
}

/// The exit codes of `zhaocai screen`.
enum ScreenExit {
  static let help = """
    Input: a CSV with the columns tender,bidder,amount[,estimate][,collusive] in any order,
    one row a bid; estimate the tender's estimated price where known; collusive 0 or 1 per
    bid (a tender is collusive if any of its bids is), needed to train and evaluate.

    Exit codes:
      0   success
      1   the CSV or the model was refused (the line and the reason are printed)
      3   a file cannot be read or written
      64  wrong command line
    """

  /// The largest CSV read: 20 million rows of about 50 bytes, with room to spare.
  static let maxFileBytes = 2 << 30

  /// The bid table in `path`, or the refusal as a failure of the command.
  static func table(_ path: String) throws -> BidTable {
    // Refused before reading, so that a wrong file is not loaded into memory whole.
    if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int,
      size > maxFileBytes
    {
      throw CommandFailure(
        english: "\(path) has \(size) bytes, more than the \(maxFileBytes) a bid table may have",
        chinese: "文件\(path)共\(size)字节，超过投标表上限\(maxFileBytes)字节", code: ExitStatus.refused)
    }
    let data = try readData(path)
    do {
      return try BidTable.parse(Array(data))
    } catch {
      throw refused(error, path)
    }
  }

  /// The model in `path`, or the bundled default when there is none.
  static func model(_ path: String?) throws -> ScreenModel {
    do {
      guard let path else { return try ScreenModel.bundled() }
      return try ScreenModel.decode(try readData(path))
    } catch let error as BidTableError {
      throw refused(error, path ?? "bundled model")
    }
  }

  static func refused(_ error: BidTableError, _ path: String) -> CommandFailure {
    CommandFailure(
      english: "\(path): \(error.description)", chinese: error.chineseDescription,
      code: ExitStatus.refused)
  }

  /// A number for a CSV: empty for NaN, else the shortest form that reads back the same.
  static func field(_ value: Double) -> String { value.isNaN ? "" : "\(value)" }
}

struct ScreenTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train", abstract: "Train a model on a labelled CSV of bids.")

  @Option(help: "The labelled bids (with the collusive column).") var csv: String
  @Option(help: "Where to write the model (JSON).") var out: String
  @Option(help: "A line saying where the data came from, kept in the model.") var source: String?
  @Option(help: "Also measure grouped k-fold AUC with this many folds (0: skip).") var folds = 5
  @OptionGroup var boosting: BoostingOptions

  func validate() throws {
    guard (0...20).contains(folds), folds != 1 else {
      throw ValidationError("--folds must be 0 or 2 to 20")
    }
  }

  func run() throws {
    do {
      try train()
    } catch {
      throw ExitStatus.fail(error)
    }
  }

  private func train() throws {
    let table = try ScreenExit.table(csv)
    let parameters = boosting.parameters
    var model: ScreenModel
    do {
      model = try ScreenModel.train(
        table, source: source ?? URL(fileURLWithPath: csv).lastPathComponent,
        parameters: parameters)
      if folds > 0 {
        model.evaluation = try ScreenEvaluation.crossValidate(
          table, folds: folds, parameters: parameters
        ).summary
      }
    } catch {
      throw ScreenExit.refused(error, csv)
    }
    try writeFile(try model.encoded(), to: out, mode: 0o644)
    var line =
      "trained on \(model.provenance.tenders) tenders (\(model.provenance.collusiveTenders) collusive), \(model.provenance.bids) bids"
    if let evaluation = model.evaluation {
      line += String(
        format: "; %d-fold AUC %.3f, balanced accuracy %.3f", evaluation.folds, evaluation.auc,
        evaluation.balancedAccuracy)
    }
    print(line)
  }
}

struct ScreenScore: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "score",
    abstract: "Score each tender of a CSV: the probability that it is collusive.")

  @Option(help: "The model (default: the one that ships with Zhaocai).") var model: String?
  @Option(help: "The bids to score.") var csv: String
  @Option(help: "Where to write tender,score.") var out: String

  func run() throws {
    do {
      let model = try ScreenExit.model(self.model)
      let table = try ScreenExit.table(csv)
      var text = "tender,score\n"
      for (tender, score) in model.score(table) {
        text += "\(csvField(tender)),\(String(format: "%.6f", score))\n"
      }
      try writeFile(Data(text.utf8), to: out, mode: 0o644)
    } catch {
      throw ExitStatus.fail(error)
    }
  }
}

struct ScreenFeaturesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "screens",
    abstract: "Write each tender's screens (the model's features) as CSV.")

  @Option(help: "The bids.") var csv: String
  @Option(help: "Where to write tender,[collusive,]screens….") var out: String

  func run() throws {
    do {
      let table = try ScreenExit.table(csv)
      let history = BidderHistory(table)
      var text =
        (["tender"] + (table.isLabelled ? ["collusive"] : []) + ScreenFeatures.names).joined(
          separator: ",") + "\n"
      for tender in table.tenders {
        var row = [csvField(tender.id)]
        if table.isLabelled { row.append(tender.collusive == true ? "1" : "0") }
        row += ScreenFeatures.vector(of: tender, history: history).map(ScreenExit.field)
        text += row.joined(separator: ",") + "\n"
      }
      try writeFile(Data(text.utf8), to: out, mode: 0o644)
    } catch {
      throw ExitStatus.fail(error)
    }
  }
}

struct ScreenEvaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Grouped k-fold cross-validation of the model on a labelled CSV.")

  @Option(help: "The labelled bids.") var csv: String
  @Option(help: "Folds (each tender in one).") var folds = 5
  @OptionGroup var boosting: BoostingOptions
  @Flag(help: "Print JSON.") var json = false

  func validate() throws {
    guard (2...20).contains(folds) else { throw ValidationError("--folds must be 2 to 20") }
  }

  func run() throws {
    do {
      let table = try ScreenExit.table(csv)
      let parameters = boosting.parameters
      let summary: ScreenEvaluation.Summary
      do {
        summary = try ScreenEvaluation.crossValidate(table, folds: folds, parameters: parameters)
          .summary
      } catch {
        throw ScreenExit.refused(error, csv)
      }
      if json {
        try printJSON(summary)
      } else {
        print(
          String(
            format: "%d-fold AUC %.3f, balanced accuracy %.3f (folds: %@)", summary.folds,
            summary.auc, summary.balancedAccuracy,
            summary.foldAUC.map { String(format: "%.3f", $0) }.joined(separator: " ")))
      }
    } catch {
      throw ExitStatus.fail(error)
    }
  }
}

/// How the boosted trees are grown, the same options for train and evaluate.
struct BoostingOptions: ParsableArguments {
  @Option(help: "Boosting rounds.") var trees = BoostedTrees.Parameters().trees
  @Option(help: "Depth of each tree.") var depth = BoostedTrees.Parameters().depth
  @Option(help: "Learning rate.") var learningRate = BoostedTrees.Parameters().learningRate

  func validate() throws {
    guard (1...5000).contains(trees) else { throw ValidationError("--trees must be 1 to 5000") }
    guard (1...8).contains(depth) else { throw ValidationError("--depth must be 1 to 8") }
    guard learningRate > 0, learningRate <= 1 else {
      throw ValidationError("--learning-rate must be above 0 and at most 1")
    }
  }

  var parameters: BoostedTrees.Parameters {
    var parameters = BoostedTrees.Parameters()
    parameters.trees = trees
    parameters.depth = depth
    parameters.learningRate = learningRate
    return parameters
  }
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
func csvField(_ value: String) -> String {
  guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return value }
  return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
