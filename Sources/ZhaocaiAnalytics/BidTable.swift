/// The bids screens look at, grouped by tender, as read from a CSV with the columns
/// `tender,bidder,amount[,estimate][,collusive]` in any order: one row a bid, `estimate` the
/// tender's estimated price where known (the same on every row of a tender), `collusive` 0 or 1
/// per bid (a tender is collusive if any of its bids is).
public struct BidTable: Sendable {
  /// One bid: who (an index into `bidders`) and how much.
  public struct Bid: Sendable, Equatable {
    public let bidder: Int
    public let amount: Double

    public init(bidder: Int, amount: Double) {
      self.bidder = bidder
      self.amount = amount
    }
  }

  /// One tender's bids, its estimate if known and its label if the table has labels.
  public struct Tender: Sendable {
    public let id: String
    public internal(set) var bids: [Bid]
    public internal(set) var estimate: Double?
    public internal(set) var collusive: Bool?

    public init(id: String, bids: [Bid], estimate: Double? = nil, collusive: Bool? = nil) {
      self.id = id
      self.bids = bids
      self.estimate = estimate
      self.collusive = collusive
    }
  }

  /// How much a table may hold, so that a hostile file is refused, not exhausted on.
  public struct Limits: Sendable {
    public var maxRows = 20_000_000
    public var maxBidsPerTender = 1000
    public var maxIdentifierLength = 128
    /// A bid above this (in the table's currency) is a typing error, not a price.
    public var maxAmount = 1e13

    public init() {}
  }

  public let tenders: [Tender]
  /// Every bidder's identifier, in the order first seen.
  public let bidders: [String]
  /// Whether the table has the `collusive` column (needed to train).
  public let isLabelled: Bool

  public init(tenders: [Tender], bidders: [String], isLabelled: Bool) {
    self.tenders = tenders
    self.bidders = bidders
    self.isLabelled = isLabelled
  }

  public var bidCount: Int { tenders.reduce(0) { $0 + $1.bids.count } }

  static let requiredColumns = ["tender", "bidder", "amount"]
  static let optionalColumns = ["estimate", "collusive"]

  /// Reads a table from CSV bytes, refusing the first thing wrong with its line and reason.
  public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(BidTableError)
    -> BidTable
  {
    var records = CSVRecords(bytes)
    guard let header = try records.next() else {
      throw BidTableError(
        "CSV_EMPTY", line: 0, "the file has no header line", chinese: "文件没有表头行")
    }
    let columns = try Columns(header)
    var reader = RowReader(columns: columns, limits: limits)
    while let fields = try records.next() {
      try reader.add(fields, line: records.line)
    }
    return reader.table()
  }
}

/// Where each known column stands in the header.
private struct Columns {
  let tender: Int
  let bidder: Int
  let amount: Int
  let estimate: Int?
  let collusive: Int?
  let count: Int

  init(_ header: [String]) throws(BidTableError) {
    var positions: [String: Int] = [:]
    for (index, raw) in header.enumerated() {
      let name = raw.trimmed.lowercased()
      let known = BidTable.requiredColumns + BidTable.optionalColumns
      guard known.contains(name) else {
        throw BidTableError(
          "CSV_COLUMN_UNKNOWN", line: 1,
          "unknown column \"\(raw.prefix(40))\"; the columns are \(known.joined(separator: ", "))",
          chinese: "未知的列“\(raw.prefix(40))”；可用的列为\(known.joined(separator: "、"))")
      }
      guard positions[name] == nil else {
        throw BidTableError(
          "CSV_COLUMN_DUPLICATE", line: 1, "column \(name) appears twice",
          chinese: "列\(name)出现两次")
      }
      positions[name] = index
    }
    for name in BidTable.requiredColumns where positions[name] == nil {
      throw BidTableError(
        "CSV_COLUMN_MISSING", line: 1, "the header lacks the column \(name)",
        chinese: "表头缺少列\(name)")
    }
    tender = positions["tender"] ?? 0
    bidder = positions["bidder"] ?? 0
    amount = positions["amount"] ?? 0
    estimate = positions["estimate"]
    collusive = positions["collusive"]
    count = header.count
  }
}

/// Accumulates rows into tenders, checking each against the limits and its tender.
private struct RowReader {
  let columns: Columns
  let limits: BidTable.Limits
  var tenders: [BidTable.Tender] = []
  var tenderIndex: [String: Int] = [:]
  var bidders: [String] = []
  var bidderIndex: [String: Int] = [:]
  var biddersOfTender: [Set<Int>] = []
  var rows = 0

  init(columns: Columns, limits: BidTable.Limits) {
    self.columns = columns
    self.limits = limits
  }

  mutating func add(_ fields: [String], line: Int) throws(BidTableError) {
    guard fields.count == columns.count else {
      throw BidTableError(
        "CSV_FIELD_COUNT", line: line,
        "\(fields.count) fields where the header has \(columns.count)",
        chinese: "有\(fields.count)个字段，表头为\(columns.count)个")
    }
    rows += 1
    guard rows <= limits.maxRows else {
      throw BidTableError(
        "TABLE_TOO_LARGE", line: line, "more than \(limits.maxRows) bids",
        chinese: "投标超过\(limits.maxRows)条")
    }
    let tenderID = try identifier(fields[columns.tender], "tender", "标段", line: line)
    let bidderID = try identifier(fields[columns.bidder], "bidder", "投标人", line: line)
    let amount = try number(fields[columns.amount], "amount", "投标价", line: line)
    guard let amount else {
      throw BidTableError(
        "AMOUNT_INVALID", line: line, "the amount is empty", chinese: "投标价为空")
    }
    let estimate = try columns.estimate.flatMap { (column) throws(BidTableError) in
      try number(fields[column], "estimate", "估算价", line: line)
    }
    let collusive = try columns.collusive.map { (column) throws(BidTableError) in
      try label(fields[column], line: line)
    }

    let bidder = bidderIndex[bidderID] ?? bidders.count
    if bidder == bidders.count {
      bidders.append(bidderID)
      bidderIndex[bidderID] = bidder
    }
    let index = tenderIndex[tenderID] ?? tenders.count
    if index == tenders.count {
      tenders.append(BidTable.Tender(id: tenderID, bids: []))
      tenderIndex[tenderID] = index
      biddersOfTender.append([])
    }
    guard biddersOfTender[index].insert(bidder).inserted else {
      throw BidTableError(
        "BID_DUPLICATE", line: line, "bidder \(bidderID) bids twice in tender \(tenderID)",
        chinese: "投标人\(bidderID)在标段\(tenderID)中投标两次")
    }
    guard tenders[index].bids.count < limits.maxBidsPerTender else {
      throw BidTableError(
        "TENDER_TOO_LARGE", line: line,
        "tender \(tenderID) has more than \(limits.maxBidsPerTender) bids",
        chinese: "标段\(tenderID)的投标超过\(limits.maxBidsPerTender)条")
    }
    if let estimate {
      if let known = tenders[index].estimate, known != estimate {
        throw BidTableError(
          "ESTIMATE_INCONSISTENT", line: line,
          "tender \(tenderID) has two estimates, \(known) and \(estimate)",
          chinese: "标段\(tenderID)有两个不同的估算价：\(known)与\(estimate)")
      }
      tenders[index].estimate = estimate
    }
    if let collusive {
      tenders[index].collusive = (tenders[index].collusive ?? false) || collusive
    }
    tenders[index].bids.append(BidTable.Bid(bidder: bidder, amount: amount))
  }

  func table() -> BidTable {
    BidTable(tenders: tenders, bidders: bidders, isLabelled: columns.collusive != nil)
  }

  private func identifier(_ raw: String, _ name: String, _ chinese: String, line: Int)
    throws(BidTableError) -> String
  {
    let value = raw.trimmed
    guard !value.isEmpty, value.count <= limits.maxIdentifierLength,
      value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
    else {
      throw BidTableError(
        "ID_INVALID", line: line,
        "the \(name) must be 1 to \(limits.maxIdentifierLength) printable characters",
        chinese: "\(chinese)须为1至\(limits.maxIdentifierLength)个可打印字符")
    }
    return value
  }

  /// A positive finite amount up to the limit, or nil for an empty field.
  private func number(_ raw: String, _ name: String, _ chinese: String, line: Int)
    throws(BidTableError) -> Double?
  {
    let value = raw.trimmed
    if value.isEmpty { return nil }
    guard value.count <= 32, let number = Double(value), number.isFinite, number > 0,
      number <= limits.maxAmount
    else {
      throw BidTableError(
        name == "amount" ? "AMOUNT_INVALID" : "ESTIMATE_INVALID", line: line,
        "the \(name) \"\(value.prefix(32))\" is not a number above 0 and at most \(limits.maxAmount)",
        chinese: "\(chinese)“\(value.prefix(32))”不是大于0且不超过\(limits.maxAmount)的数")
    }
    return number
  }

  private func label(_ raw: String, line: Int) throws(BidTableError) -> Bool {
    switch raw.trimmed {
    case "0": return false
    case "1": return true
    default:
      throw BidTableError(
        "LABEL_INVALID", line: line, "collusive must be 0 or 1, not \"\(raw.prefix(16))\"",
        chinese: "collusive须为0或1，而非“\(raw.prefix(16))”")
    }
  }
}

extension String {
  fileprivate var trimmed: String {
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
  }
}
