import SQLKit
import ZhaocaiDomain

/// Filings (备案) and their acknowledgements: at the supervision platform, each filing received
/// with the signed acknowledgement it gave; at the trading platform, the acknowledgements it got.
public enum FilingRepository {
  /// A filing as acknowledged: the signed acknowledgement (a `SignedMessage`'s JSON).
  public struct Filing: Sendable, Equatable {
    public let platform: String
    public let section: String
    public let kind: String
    public let filedAt: Int64
    public let acknowledgement: String

    public init(
      platform: String, section: String, kind: String, filedAt: Int64, acknowledgement: String
    ) {
      self.platform = platform
      self.section = section
      self.kind = kind
      self.filedAt = filedAt
      self.acknowledgement = acknowledgement
    }
  }

  // MARK: Supervision platform

  public static func received(
    _ filing: Filing, sequence: UInt64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO sup_filings (platform, seq, section, kind, filed_at, ack) VALUES (\(bind: filing.platform), \(bind: Int64(sequence)), \(bind: filing.section), \(bind: filing.kind), \(bind: filing.filedAt), \(bind: filing.acknowledgement))"
    ).run()
  }

  /// The acknowledgement given for a platform's message, if it was a filing.
  public static func acknowledgement(
    platform: String, sequence: UInt64, on database: any SQLDatabase
  ) async throws -> String? {
    try await database.raw(
      "SELECT ack FROM sup_filings WHERE platform = \(bind: platform) AND seq = \(bind: Int64(sequence))"
    ).first()?.decode(column: "ack", as: String.self)
  }

  /// Every filing received, newest first.
  public static func all(on database: any SQLDatabase) async throws -> [Filing] {
    try await database.raw(
      "SELECT platform, section, kind, filed_at, ack FROM sup_filings ORDER BY filed_at DESC, seq DESC"
    ).all().map {
      Filing(
        platform: try $0.decode(column: "platform", as: String.self),
        section: try $0.decode(column: "section", as: String.self),
        kind: try $0.decode(column: "kind", as: String.self),
        filedAt: try $0.decode(column: "filed_at", as: Int64.self),
        acknowledgement: try $0.decode(column: "ack", as: String.self))
    }
  }

  // MARK: Trading platform

  /// Notes where a filing is in the log, in the transaction that logs it.
  public static func sent(
    _ kind: FilingKind, section: String, logIndex: UInt64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO filings_sent (log_index, section_id, kind) VALUES (\(bind: Int64(logIndex)), \(bind: section), \(bind: kind.rawValue))"
    ).run()
  }

  /// The log indices of the filings with no acknowledgement yet, oldest first.
  public static func unacknowledged(on database: any SQLDatabase) async throws -> [UInt64] {
    try await database.raw(
      "SELECT f.log_index FROM filings_sent f LEFT JOIN filing_acks a ON a.section_id = f.section_id AND a.kind = f.kind WHERE a.section_id IS NULL ORDER BY f.log_index"
    ).all().map { UInt64(try $0.decode(column: "log_index", as: Int64.self)) }
  }

  public static func acknowledged(
    section: String, kind: String, acknowledgement: String, at now: Int64,
    on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO filing_acks (section_id, kind, ack, acknowledged_at) VALUES (\(bind: section), \(bind: kind), \(bind: acknowledgement), \(bind: now)) ON CONFLICT DO NOTHING"
    ).run()
  }

  /// The acknowledgements of a section's filings: kind → signed acknowledgement.
  public static func acknowledgements(of section: String, on database: any SQLDatabase)
    async throws -> [(kind: String, acknowledgement: String)]
  {
    try await database.raw(
      "SELECT kind, ack FROM filing_acks WHERE section_id = \(bind: section) ORDER BY acknowledged_at"
    ).all().map {
      (
        try $0.decode(column: "kind", as: String.self),
        try $0.decode(column: "ack", as: String.self)
      )
    }
  }
}
