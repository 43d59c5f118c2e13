import SQLKit
import ZhaocaiExchange
import ZhaocaiStore

/// Market statistics at the hub: one row per published section of every platform, kept up to
/// date from the public record, and their totals by region, industry or month.
enum StatisticsRepository {
  /// What the statistics are grouped by.
  enum Dimension: String, Sendable, CaseIterable {
    case region, industry, month
  }

  /// One group's figures.
  struct Group: Sendable, Equatable {
    let key: String
    /// Distinct projects (招标项目), counted per platform.
    let tenders: Int
    let sections: Int
    /// Bids at the close of bidding, over the sections whose bidding closed.
    let bids: Int
    let closedSections: Int
    /// Sums of amounts, wide: however many sections a group holds, its sum does not overflow.
    let estimateFen: Int128
    let contractFen: Int128
    let contracts: Int
  }

  static func published(
    platform: String, section: String, project: String, region: String, industry: String,
    month: String, estimateFen: Int64, on database: any SQLDatabase
  ) async throws {
    // Another platform's figure is kept within the bounds every platform enforces.
    let estimateFen = min(max(estimateFen, 0), 1_000_000_000_000_000)
    try await database.raw(
      "DELETE FROM hub_sections WHERE platform = \(bind: platform) AND section = \(bind: section)"
    ).run()
    try await database.raw(
      "INSERT INTO hub_sections (platform, section, project, region, industry, month, estimate_fen) VALUES (\(bind: platform), \(bind: section), \(bind: project), \(bind: region), \(bind: industry), \(bind: month), \(bind: estimateFen))"
    ).run()
  }

  static func biddingClosed(
    platform: String, section: String, bids: Int, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "UPDATE hub_sections SET bids = \(bind: bids) WHERE platform = \(bind: platform) AND section = \(bind: section)"
    ).run()
  }

  static func contractSigned(
    platform: String, section: String, priceFen: Int64, on database: any SQLDatabase
  ) async throws {
    let priceFen = min(max(priceFen, 0), 1_000_000_000_000_000)
    try await database.raw(
      "UPDATE hub_sections SET contract_fen = \(bind: priceFen) WHERE platform = \(bind: platform) AND section = \(bind: section)"
    ).run()
  }

  /// The figures by `dimension`, in key order.
  static func groups(by dimension: Dimension, on database: any SQLDatabase) async throws
    -> [Group]
  {
    // The column comes from the enum, never from the request. PostgreSQL sums BIGINT as NUMERIC,
    // hence the casts. Amounts are summed in two parts (above and below 10^9 fen), each of which
    // stays far inside BIGINT for any number of rows of amounts up to Money.maximum, and joined
    // in Int128: a single SUM overflows (SQLite) or fails its cast (PostgreSQL) past 9.2·10^18.
    let column = SQLRaw(dimension.rawValue)
    func wide(_ high: String, _ low: String, in row: any SQLRow) throws -> Int128 {
      Int128(try row.decode(column: high, as: Int64.self)) * 1_000_000_000
        + Int128(try row.decode(column: low, as: Int64.self))
    }
    return try await database.raw(
      """
      SELECT \(column) AS key, COUNT(DISTINCT platform || '/' || project) AS tenders,
        COUNT(*) AS sections, CAST(COALESCE(SUM(bids), 0) AS BIGINT) AS bids,
        COUNT(bids) AS closed,
        CAST(COALESCE(SUM(estimate_fen / 1000000000), 0) AS BIGINT) AS estimate_high,
        CAST(COALESCE(SUM(estimate_fen % 1000000000), 0) AS BIGINT) AS estimate_low,
        CAST(COALESCE(SUM(contract_fen / 1000000000), 0) AS BIGINT) AS contract_high,
        CAST(COALESCE(SUM(contract_fen % 1000000000), 0) AS BIGINT) AS contract_low,
        COUNT(contract_fen) AS contracts
      FROM hub_sections GROUP BY \(column) ORDER BY \(column)
      """
    ).all().map { row in
      Group(
        key: try row.decode(column: "key", as: String.self),
        tenders: try row.decode(column: "tenders", as: Int.self),
        sections: try row.decode(column: "sections", as: Int.self),
        bids: try row.decode(column: "bids", as: Int.self),
        closedSections: try row.decode(column: "closed", as: Int.self),
        estimateFen: try wide("estimate_high", "estimate_low", in: row),
        contractFen: try wide("contract_high", "contract_low", in: row),
        contracts: try row.decode(column: "contracts", as: Int.self))
    }
  }
}
