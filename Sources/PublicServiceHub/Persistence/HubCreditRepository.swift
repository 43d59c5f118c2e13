import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// Credit publication at the hub: bans (`hub_bans`) and violation records (`hub_violations`).
enum HubCreditRepository {
  /// Publishes a ban at the hub.
  static func publish(_ ban: Ban, at now: Int64, on database: any SQLDatabase) async throws {
    try await database.raw(
      "INSERT INTO hub_bans (party, reason, starts_at, ends_at, published_at) VALUES (\(bind: ban.party), \(bind: ban.reason), \(bind: ban.startsAt), \(bind: ban.endsAt), \(bind: now))"
    ).run()
  }

  /// Every ban the hub has published.
  static func published(on database: any SQLDatabase) async throws -> [Ban] {
    try await database.raw("SELECT party, reason, starts_at, ends_at FROM hub_bans ORDER BY id")
      .all().map(Ban.init(row:))
  }

  /// Publishes a violation record at the hub, logged in its own log.
  static func publish(
    _ record: ViolationRecord, at now: Int64, on database: any SQLDatabase
  ) async throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = try encoder.encode(record)
    try await database.raw(
      "INSERT INTO hub_violations (party, record, expires_at, published_at) VALUES (\(bind: record.party), \(bind: String(decoding: text, as: UTF8.self)), \(bind: record.expiresAt), \(bind: now))"
    ).run()
    _ = try await PersistentLog.append(
      [Array(#"{"violationRecord":"#.utf8) + Array(text) + Array("}".utf8)], at: now,
      on: database)
  }

  /// The violation records still published at `now` (of one party, if given), newest first.
  static func violations(
    of party: String? = nil, at now: Int64, on database: any SQLDatabase
  ) async throws -> [ViolationRecord] {
    var sql: SQLQueryString =
      "SELECT record FROM hub_violations WHERE expires_at > \(bind: now)"
    if let party { sql += " AND party = \(bind: party)" }
    sql += " ORDER BY id DESC"
    return try await database.raw(sql).all().map {
      try JSONDecoder().decode(
        ViolationRecord.self, from: Data(try $0.decode(column: "record", as: String.self).utf8))
    }
  }
}
