import SQLKit
import ZhaocaiExchange
import ZhaocaiStore

/// Every checkpoint the hub accepted from each platform, and the ones it refused as
/// inconsistent with history, kept as evidence.
enum HubCheckpointRepository {
  /// An accepted checkpoint: size, root (base64) and the signed note as received.
  struct Stored: Sendable, Equatable {
    let platform: String
    let size: UInt64
    let root: String
    let note: String
  }

  /// The platform's largest accepted checkpoint.
  static func latest(_ platform: String, on database: any SQLDatabase) async throws
    -> Stored?
  {
    try await database.raw(
      "SELECT platform, size, root, note FROM hub_checkpoints WHERE platform = \(bind: platform) ORDER BY size DESC LIMIT 1"
    ).first().map(decode)
  }

  static func all(_ platform: String?, on database: any SQLDatabase) async throws
    -> [Stored]
  {
    var query: SQLQueryString = "SELECT platform, size, root, note FROM hub_checkpoints"
    if let platform { query += " WHERE platform = \(bind: platform)" }
    query += " ORDER BY platform, size"
    return try await database.raw(query).all().map(decode)
  }

  static func accept(
    _ checkpoint: Stored, at now: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "DELETE FROM hub_checkpoints WHERE platform = \(bind: checkpoint.platform) AND size = \(bind: Int64(checkpoint.size))"
    ).run()
    try await database.raw(
      "INSERT INTO hub_checkpoints (platform, size, root, note, received_at) VALUES (\(bind: checkpoint.platform), \(bind: Int64(checkpoint.size)), \(bind: checkpoint.root), \(bind: checkpoint.note), \(bind: now))"
    ).run()
  }

  /// Keeps a refused checkpoint and its proof as evidence.
  static func alert(
    platform: String, note: String, proof: String, reason: String, at now: Int64,
    on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO checkpoint_alerts (platform, note, proof, reason, received_at) VALUES (\(bind: platform), \(bind: note), \(bind: proof), \(bind: reason), \(bind: now))"
    ).run()
  }

  /// The alerts raised, oldest first: platform and reason.
  static func alerts(on database: any SQLDatabase) async throws -> [(
    platform: String, reason: String, note: String
  )] {
    try await database.raw(
      "SELECT platform, reason, note FROM checkpoint_alerts ORDER BY id"
    ).all().map {
      (
        try $0.decode(column: "platform", as: String.self),
        try $0.decode(column: "reason", as: String.self),
        try $0.decode(column: "note", as: String.self)
      )
    }
  }

  private static func decode(_ row: any SQLRow) throws -> Stored {
    Stored(
      platform: try row.decode(column: "platform", as: String.self),
      size: UInt64(try row.decode(column: "size", as: Int64.self)),
      root: try row.decode(column: "root", as: String.self),
      note: try row.decode(column: "note", as: String.self))
  }
}
