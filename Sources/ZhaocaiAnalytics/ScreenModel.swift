import Foundation

/// A trained screening model as `zhaocai screen train` writes it: the features it reads (by
/// name, so a model made for other features is refused rather than misread), the trees, and
/// how it was made.
public struct ScreenModel: Codable, Sendable {
  public static let format = "zhaocai-screen-model/1"

  /// What a model was trained on, kept in the file so its reader knows.
  public struct Provenance: Codable, Sendable, Equatable {
    public var tenders: Int
    public var collusiveTenders: Int
    public var bids: Int
    public var source: String

    public init(tenders: Int, collusiveTenders: Int, bids: Int, source: String) {
      self.tenders = tenders
      self.collusiveTenders = collusiveTenders
      self.bids = bids
      self.source = source
    }
  }

  public var format: String
  public var features: [String]
  public var provenance: Provenance
  /// The cross-validated figures measured when it was trained, if they were.
  public var evaluation: ScreenEvaluation.Summary?
  public var trees: BoostedTrees
  /// The score from which a tender is flagged: the training set's share of collusive tenders.
  public var flagThreshold: Double

  /// Trains a model on a labelled table.
  public static func train(
    _ table: BidTable, source: String, parameters: BoostedTrees.Parameters = .init()
  ) throws(BidTableError) -> ScreenModel {
    let labels = try Self.labels(of: table)
    let rows = ScreenFeatures.matrix(of: table)
    let trees = BoostedTrees.train(rows: rows, labels: labels, parameters: parameters)
    return ScreenModel(
      format: format, features: ScreenFeatures.names,
      provenance: Provenance(
        tenders: table.tenders.count, collusiveTenders: labels.filter { $0 }.count,
        bids: table.bidCount, source: source),
      evaluation: nil, trees: trees, flagThreshold: flagThreshold(labels))
  }

  /// Each tender's probability of being collusive, in the table's order.
  public func score(_ table: BidTable) -> [(tender: String, score: Double)] {
    let history = BidderHistory(table)
    return table.tenders.map { tender in
      (tender.id, trees.probability(ScreenFeatures.vector(of: tender, history: history)))
    }
  }

  static func flagThreshold(_ labels: [Bool]) -> Double {
    Double(labels.filter { $0 }.count) / Double(max(labels.count, 1))
  }

  /// The tenders' labels, refusing a table without them or with too few of either kind.
  static func labels(of table: BidTable) throws(BidTableError) -> [Bool] {
    guard table.isLabelled else {
      throw BidTableError(
        "LABEL_MISSING", line: 1, "training needs the column collusive (0 or 1 per bid)",
        chinese: "训练需要collusive列（每条投标为0或1）")
    }
    let labels = table.tenders.map { $0.collusive ?? false }
    let positives = labels.filter { $0 }.count
    guard positives >= 10, labels.count - positives >= 10 else {
      throw BidTableError(
        "LABEL_TOO_FEW", line: 0,
        "training needs at least 10 collusive and 10 other tenders; the table has \(positives) and \(labels.count - positives)",
        chinese: "训练至少需要10个串通标段和10个其他标段；本表分别为\(positives)个和\(labels.count - positives)个")
    }
    return labels
  }

  /// Reads a model file's bytes, refusing one of another format or for other features.
  public static func decode(_ data: Data) throws(BidTableError) -> ScreenModel {
    let model: ScreenModel
    do {
      model = try JSONDecoder().decode(ScreenModel.self, from: data)
    } catch {
      throw BidTableError(
        "MODEL_INVALID", line: 0, "the model file is not a screening model",
        chinese: "模型文件不是筛查模型")
    }
    guard model.format == format else {
      throw BidTableError(
        "MODEL_INVALID", line: 0, "the model's format is \(model.format.prefix(40)), not \(format)",
        chinese: "模型格式为\(model.format.prefix(40))，而非\(format)")
    }
    guard model.features == ScreenFeatures.names else {
      throw BidTableError(
        "MODEL_FEATURES", line: 0,
        "the model reads other features than this version computes; train it again",
        chinese: "模型读取的特征与本版本计算的不同，请重新训练")
    }
    let trees = model.trees
    guard trees.base.isFinite, trees.parameters.learningRate.isFinite, trees.trees.count <= 100_000,
      model.flagThreshold.isFinite,
      trees.trees.allSatisfy({ $0.isWellFormed(featureCount: ScreenFeatures.names.count) })
    else {
      throw BidTableError(
        "MODEL_INVALID", line: 0,
        "the model's trees are malformed (a node out of place or a number not finite)",
        chinese: "模型的树结构有误（节点越界或数值无效）")
    }
    return model
  }

  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(self)
  }

  /// The model that ships with Zhaocai (docs/ANALYTICS.md says how it was made), read from the
  /// bundle once per process: the hub and the supervision platform of `serve --demo` share it.
  public static func bundled() throws -> ScreenModel { try bundledModel.get() }

  private static let bundledModel = Result { try readBundled() }

  private static func readBundled() throws -> ScreenModel {
    guard let url = Bundle.module.url(forResource: "default-screen-model", withExtension: "json")
    else {
      throw BidTableError(
        "MODEL_INVALID", line: 0, "the bundled model is missing from the installation",
        chinese: "安装中缺少内置模型")
    }
    return try decode(try Data(contentsOf: url))
  }
}
