import Foundation
import SQLKit
import ZhaocaiDomain

/// Credit publication at the hub: bans (`hub_bans`, copied by each trading platform as `bans`)
/// and violation records (`hub_violations`).
public enum BanRepository {
  /// Publishes a ban at the hub.
  public static func publish(_ ban: Ban, at now: Int64, on database: any SQLDatabase) async throws {
    try await database.raw(
      "INSERT INTO hub_bans (party, reason, starts_at, ends_at, published_at) VALUES (\(bind: ban.party), \(bind: ban.reason), \(bind: ban.startsAt), \(bind: ban.endsAt), \(bind: now))"
    ).run()
  }

  /// Every ban the hub has published.
  public static func published(on database: any SQLDatabase) async throws -> [Ban] {
    try await database.raw("SELECT party, reason, starts_at, ends_at FROM hub_bans ORDER BY id")
      .all().map(decode)
  }

  /// Publishes a violation record at the hub, logged in its own log.
  public static func publish(
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
  public static func violations(
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

  /// Replaces a trading platform's copy with what the hub publishes now.
  public static func replaceCopy(with bans: [Ban], on database: any SQLDatabase) async throws {
    try await database.raw("DELETE FROM bans").run()
    for ban in bans {
      try await database.raw(
        "INSERT INTO bans (party, reason, starts_at, ends_at) VALUES (\(bind: ban.party), \(bind: ban.reason), \(bind: ban.startsAt), \(bind: ban.endsAt))"
      ).run()
    }
  }

  /// Replaces a trading platform's copy of the current violation records.
  public static func replaceViolationCopies(
    with records: [ViolationRecord], on database: any SQLDatabase
  ) async throws {
    try await database.raw("DELETE FROM violation_copies").run()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for record in records {
      try await database.raw(
        "INSERT INTO violation_copies (party, record) VALUES (\(bind: record.party), \(bind: String(decoding: try encoder.encode(record), as: UTF8.self)))"
      ).run()
    }
  }

  /// A trading platform's copy of the violation records (credit scores are derived from them).
  public static func copiedViolations(on database: any SQLDatabase) async throws
    -> [ViolationRecord]
  {
    try await database.raw("SELECT record FROM violation_copies").all().map {
      try JSONDecoder().decode(
        ViolationRecord.self, from: Data(try $0.decode(column: "record", as: String.self).utf8))
    }
  }

  /// A trading platform's copy, for one party.
  public static func copy(for party: String, on database: any SQLDatabase) async throws -> [Ban] {
    try await database.raw(
      "SELECT party, reason, starts_at, ends_at FROM bans WHERE party = \(bind: party)"
    ).all().map(decode)
  }

  private static func decode(_ row: any SQLRow) throws -> Ban {
    Ban(
      party: try row.decode(column: "party", as: String.self),
      reason: try row.decode(column: "reason", as: String.self),
      startsAt: try row.decode(column: "starts_at", as: Int64.self),
      endsAt: try row.decode(column: "ends_at", as: Int64.self))
  }
}
