import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// Live tracking at the supervision platform: the trading platforms it oversees, each one's
/// messages as received (in sequence, exactly once), and each process folded from them.
enum TrackingRepository {
  /// A trading platform the supervision platform oversees: where it answers and the key its
  /// messages and acknowledgements are signed with (Ed25519, base64).
  struct Platform: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var endpoint: String
    var publicKey: String
  }

  static func add(_ platform: Platform, on database: any SQLDatabase) async throws {
    try await database.raw(
      "INSERT INTO sup_platforms (id, name, endpoint, public_key) VALUES (\(bind: platform.id), \(bind: platform.name), \(bind: platform.endpoint), \(bind: platform.publicKey))"
    ).run()
  }

  static func platform(_ id: String, on database: any SQLDatabase) async throws -> Platform? {
    try await database.raw(
      "SELECT id, name, endpoint, public_key FROM sup_platforms WHERE id = \(bind: id)"
    ).first().map(decodePlatform)
  }

  private static func decodePlatform(_ row: any SQLRow) throws -> Platform {
    Platform(
      id: try row.decode(column: "id", as: String.self),
      name: try row.decode(column: "name", as: String.self),
      endpoint: try row.decode(column: "endpoint", as: String.self),
      publicKey: try row.decode(column: "public_key", as: String.self))
  }

  static func platforms(on database: any SQLDatabase) async throws -> [Platform] {
    try await database.raw("SELECT id, name, endpoint, public_key FROM sup_platforms ORDER BY id")
      .all().map(decodePlatform)
  }

  /// The last sequence applied from a platform, locked for the transaction on PostgreSQL.
  static func lastApplied(_ platform: String, on database: any SQLDatabase) async throws
    -> UInt64
  {
    var query: SQLQueryString =
      "SELECT last_seq FROM sup_platforms WHERE id = \(bind: platform)"
    if database.dialect.name == "postgresql" { query += " FOR UPDATE" }
    return UInt64(
      try await database.raw(query).first()?.decode(column: "last_seq", as: Int64.self) ?? 0)
  }

  /// Stores one received message of a process.
  static func store(
    platform: String, sequence: UInt64, section: String?, at: Int64, kind: String,
    payload: String, receivedAt: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO sup_events (platform, seq, section, at, kind, payload, received_at) VALUES (\(bind: platform), \(bind: Int64(sequence)), \(bind: section), \(bind: at), \(bind: kind), \(bind: payload), \(bind: receivedAt))"
    ).run()
  }

  /// Moves the platform's position past `sequence`.
  static func setLastApplied(
    _ platform: String, _ sequence: UInt64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "UPDATE sup_platforms SET last_seq = \(bind: Int64(sequence)) WHERE id = \(bind: platform)"
    ).run()
  }

  /// A process as last folded; nil if nothing of it arrived.
  static func process(platform: String, section: String, on database: any SQLDatabase)
    async throws -> TrackedProcess?
  {
    try await database.raw(
      "SELECT state FROM sup_sections WHERE platform = \(bind: platform) AND id = \(bind: section)"
    ).first().map(decode)
  }

  static func save(_ process: TrackedProcess, on database: any SQLDatabase) async throws {
    let state = String(decoding: try JSONEncoder().encode(process), as: UTF8.self)
    try await database.raw(
      "DELETE FROM sup_sections WHERE platform = \(bind: process.platform) AND id = \(bind: process.section)"
    ).run()
    try await database.raw(
      "INSERT INTO sup_sections (platform, id, region, industry, state, updated_at) VALUES (\(bind: process.platform), \(bind: process.section), \(bind: process.terms?.region ?? ""), \(bind: process.terms?.industry ?? ""), \(bind: state), \(bind: process.updatedAt))"
    ).run()
  }

  /// Every process of an industry whose region starts with `regionPrefix`, most recent first
  /// (the remit filter narrows further).
  static func processes(
    industry: String, regionPrefix: String, on database: any SQLDatabase
  ) async throws -> [TrackedProcess] {
    try await database.raw(
      "SELECT state FROM sup_sections WHERE industry = \(bind: industry) AND region LIKE \(bind: regionPrefix + "%") ORDER BY updated_at DESC, id"
    ).all().map(decode)
  }

  /// Records the first release of a process's share; false if it was released before.
  @discardableResult
  static func recordRelease(
    platform: String, section: String, at now: Int64, on database: any SQLDatabase
  ) async throws -> Bool {
    try await database.raw(
      "INSERT INTO sup_releases (platform, section, released_at) VALUES (\(bind: platform), \(bind: section), \(bind: now)) ON CONFLICT DO NOTHING RETURNING released_at"
    ).first() != nil
  }

  /// Processes whose bidding has closed (waiting for the opening) and whose share this
  /// platform has not released.
  static func awaitingRelease(on database: any SQLDatabase) async throws
    -> [TrackedProcess]
  {
    try await database.raw(
      "SELECT s.state FROM sup_sections s LEFT JOIN sup_releases r ON r.platform = s.platform AND r.section = s.id WHERE r.section IS NULL ORDER BY s.updated_at"
    ).all().map(decode).filter { $0.phase == .opening && $0.suspendingOrder == nil }
  }

  /// A process's events as received, in order: (time, kind, payload).
  static func timeline(platform: String, section: String, on database: any SQLDatabase)
    async throws -> [(at: Int64, kind: String, payload: String)]
  {
    try await database.raw(
      "SELECT at, kind, payload FROM sup_events WHERE platform = \(bind: platform) AND section = \(bind: section) ORDER BY seq"
    ).all().map {
      (
        try $0.decode(column: "at", as: Int64.self), try $0.decode(column: "kind", as: String.self),
        try $0.decode(column: "payload", as: String.self)
      )
    }
  }

  private static func decode(_ row: any SQLRow) throws -> TrackedProcess {
    try JSONDecoder().decode(
      TrackedProcess.self, from: Data(try row.decode(column: "state", as: String.self).utf8))
  }
}
