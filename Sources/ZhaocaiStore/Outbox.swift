import SQLKit

/// Messages waiting to leave the platform, written in the same transaction as the change they
/// announce; a relay delivers them later (at least once).
public enum Outbox {
  /// One pending message.
  public struct Message: Sendable, Equatable {
    public let sequence: Int64
    public let topic: String
    public let payload: String
    public let logIndex: UInt64
  }

  public static func enqueue(
    topic: String, payload: String, logIndex: UInt64, at now: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO outbox (topic, payload, log_index, created_at) VALUES (\(bind: topic), \(bind: payload), \(bind: Int64(logIndex)), \(bind: now))"
    ).run()
  }

  /// Undelivered messages in log order (the order they were committed).
  /// How many rows wait to be delivered, and when the oldest of them was written.
  public static func backlog(on database: any SQLDatabase) async throws -> (
    count: Int, oldest: Int64?
  ) {
    let row = try await database.raw(
      "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE delivered_at IS NULL"
    ).first()
    return (
      try row?.decode(column: "n", as: Int.self) ?? 0,
      try row?.decode(column: "oldest", as: Int64?.self)
    )
  }

  public static func pending(limit: Int = 100, on database: any SQLDatabase) async throws
    -> [Message]
  {
    try await database.raw(
      "SELECT seq, topic, payload, log_index FROM outbox WHERE delivered_at IS NULL ORDER BY log_index, seq LIMIT \(bind: limit)"
    ).all().map(message)
  }

  private static func message(_ row: any SQLRow) throws -> Message {
    Message(
      sequence: try row.decode(column: "seq", as: Int64.self),
      topic: try row.decode(column: "topic", as: String.self),
      payload: try row.decode(column: "payload", as: String.self),
      logIndex: UInt64(try row.decode(column: "log_index", as: Int64.self)))
  }

  /// Every message from log index `index` on, delivered or not, in log order (a receiver
  /// fetching back a gap).
  public static func since(logIndex index: UInt64, limit: Int, on database: any SQLDatabase)
    async throws -> [Message]
  {
    try await database.raw(
      "SELECT seq, topic, payload, log_index FROM outbox WHERE log_index >= \(bind: Int64(index)) ORDER BY log_index, seq LIMIT \(bind: limit)"
    ).all().map(message)
  }

  public static func markDelivered(_ sequence: Int64, at now: Int64, on database: any SQLDatabase)
    async throws
  {
    try await database.raw(
      "UPDATE outbox SET delivered_at = \(bind: now) WHERE seq = \(bind: sequence)"
    ).run()
  }
}
