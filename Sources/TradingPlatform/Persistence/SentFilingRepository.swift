import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// The filings (备案) this platform sent to the supervision platform (`filings_sent`) and the
/// signed acknowledgements it got back (`filing_acks`).
enum SentFilingRepository {
  /// Notes where a filing is in the log, in the transaction that logs it.
  static func sent(
    _ kind: FilingKind, section: String, logIndex: UInt64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO filings_sent (log_index, section_id, kind) VALUES (\(bind: Int64(logIndex)), \(bind: section), \(bind: kind.rawValue))"
    ).run()
  }

  /// The log indices of the filings with no acknowledgement yet, oldest first.
  static func unacknowledged(on database: any SQLDatabase) async throws -> [UInt64] {
    try await database.raw(
      "SELECT f.log_index FROM filings_sent f LEFT JOIN filing_acks a ON a.section_id = f.section_id AND a.kind = f.kind WHERE a.section_id IS NULL ORDER BY f.log_index"
    ).all().map { UInt64(try $0.decode(column: "log_index", as: Int64.self)) }
  }

  static func acknowledged(
    section: String, kind: String, acknowledgement: String, at now: Int64,
    on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO filing_acks (section_id, kind, ack, acknowledged_at) VALUES (\(bind: section), \(bind: kind), \(bind: acknowledgement), \(bind: now)) ON CONFLICT DO NOTHING"
    ).run()
  }

  /// The acknowledgements of a section's filings: kind → signed acknowledgement.
  static func acknowledgements(of section: String, on database: any SQLDatabase)
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
