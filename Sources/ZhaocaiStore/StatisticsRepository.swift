import SQLKit

/// Market statistics at the hub: one row per published section of every platform, kept up to
/// date from the public record, and their totals by region, industry or month.
public enum StatisticsRepository {
  /// What the statistics are grouped by.
  public enum Dimension: String, Sendable, CaseIterable {
    case region, industry, month
  }

  /// One group's figures.
  public struct Group: Sendable, Equatable {
    public let key: String
    /// Distinct projects (招标项目), counted per platform.
    public let tenders: Int
    public let sections: Int
    /// Bids at the close of bidding, over the sections whose bidding closed.
    public let bids: Int
    public let closedSections: Int
    public let estimateFen: Int64
    public let contractFen: Int64
    public let contracts: Int

    public init(
      key: String, tenders: Int, sections: Int, bids: Int, closedSections: Int,
      estimateFen: Int64, contractFen: Int64, contracts: Int
    ) {
      self.key = key
      self.tenders = tenders
      self.sections = sections
      self.bids = bids
      self.closedSections = closedSections
      self.estimateFen = estimateFen
      self.contractFen = contractFen
      self.contracts = contracts
    }
  }

  public static func published(
    platform: String, section: String, project: String, region: String, industry: String,
    month: String, estimateFen: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "DELETE FROM hub_sections WHERE platform = \(bind: platform) AND section = \(bind: section)"
    ).run()
    try await database.raw(
      "INSERT INTO hub_sections (platform, section, project, region, industry, month, estimate_fen) VALUES (\(bind: platform), \(bind: section), \(bind: project), \(bind: region), \(bind: industry), \(bind: month), \(bind: estimateFen))"
    ).run()
  }

  public static func biddingClosed(
    platform: String, section: String, bids: Int, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "UPDATE hub_sections SET bids = \(bind: bids) WHERE platform = \(bind: platform) AND section = \(bind: section)"
    ).run()
  }

  public static func contractSigned(
    platform: String, section: String, priceFen: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "UPDATE hub_sections SET contract_fen = \(bind: priceFen) WHERE platform = \(bind: platform) AND section = \(bind: section)"
    ).run()
  }

  /// The figures by `dimension`, in key order.
  public static func groups(by dimension: Dimension, on database: any SQLDatabase) async throws
    -> [Group]
  {
    // The column comes from the enum, never from the request. PostgreSQL sums BIGINT as NUMERIC,
    // hence the casts.
    let column = SQLRaw(dimension.rawValue)
    return try await database.raw(
      """
      SELECT \(column) AS key, COUNT(DISTINCT platform || '/' || project) AS tenders,
        COUNT(*) AS sections, CAST(COALESCE(SUM(bids), 0) AS BIGINT) AS bids,
        COUNT(bids) AS closed, CAST(SUM(estimate_fen) AS BIGINT) AS estimate,
        CAST(COALESCE(SUM(contract_fen), 0) AS BIGINT) AS contract, COUNT(contract_fen) AS contracts
      FROM hub_sections GROUP BY \(column) ORDER BY \(column)
      """
    ).all().map { row in
      Group(
        key: try row.decode(column: "key", as: String.self),
        tenders: try row.decode(column: "tenders", as: Int.self),
        sections: try row.decode(column: "sections", as: Int.self),
        bids: try row.decode(column: "bids", as: Int.self),
        closedSections: try row.decode(column: "closed", as: Int.self),
        estimateFen: try row.decode(column: "estimate", as: Int64.self),
        contractFen: try row.decode(column: "contract", as: Int64.self),
        contracts: try row.decode(column: "contracts", as: Int.self))
    }
  }
}
