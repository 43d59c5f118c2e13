import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// Filings (备案) received (`sup_filings`), each with the signed acknowledgement it was given.
enum FilingRepository {
  /// A filing as acknowledged: the signed acknowledgement (a `SignedMessage`'s JSON).
  struct Filing: Sendable, Equatable {
    let platform: String
    let section: String
    let kind: String
    let filedAt: Int64
    let acknowledgement: String
  }

  static func received(
    _ filing: Filing, sequence: UInt64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO sup_filings (platform, seq, section, kind, filed_at, ack) VALUES (\(bind: filing.platform), \(bind: Int64(sequence)), \(bind: filing.section), \(bind: filing.kind), \(bind: filing.filedAt), \(bind: filing.acknowledgement))"
    ).run()
  }

  /// The acknowledgement given for a platform's message, if it was a filing.
  static func acknowledgement(
    platform: String, sequence: UInt64, on database: any SQLDatabase
  ) async throws -> String? {
    try await database.raw(
      "SELECT ack FROM sup_filings WHERE platform = \(bind: platform) AND seq = \(bind: Int64(sequence))"
    ).first()?.decode(column: "ack", as: String.self)
  }

  /// Every filing received, newest first.
  static func all(on database: any SQLDatabase) async throws -> [Filing] {
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
}
