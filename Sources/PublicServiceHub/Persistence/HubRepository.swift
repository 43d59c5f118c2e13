import SQLKit
import ZhaocaiExchange
import ZhaocaiStore

/// The hub's registry of platforms (注册登记) and the messages it has applied from each.
enum HubRepository {
  /// A platform as registered: who runs it, where it answers, the key its messages are signed
  /// with, and the administrator's decision.
  struct Platform: Sendable, Equatable {
    enum Status: String, Sendable { case pending, approved, refused }
    /// What the platform is: only a supervision platform's credit decisions are published.
    enum Kind: String, Sendable, CaseIterable { case trading, supervision }

    let id: String
    let name: String
    let operatorName: String
    let endpoint: String
    /// Ed25519 public key, base64 (raw 32 bytes).
    let publicKey: String
    let status: Status
    /// The verifier key of the platform's log checkpoints (C2SP signed-note form).
    let logVerifierKey: String?
    /// Kept as its raw text: with a one-byte enum here, the hub's checkpoint handler crashed in
    /// the task allocator (Swift 6.3, debug build; reproduced by CheckpointPublicationTests).
    let kindName: String
    var kind: Kind { Kind(rawValue: kindName) ?? .trading }

    init(
      id: String, name: String, operatorName: String, endpoint: String, publicKey: String,
      status: Status, logVerifierKey: String? = nil, kind: Kind = .trading
    ) {
      self.logVerifierKey = logVerifierKey
      self.kindName = kind.rawValue
      self.id = id
      self.name = name
      self.operatorName = operatorName
      self.endpoint = endpoint
      self.publicKey = publicKey
      self.status = status
    }
  }

  /// The id is taken.
  struct Taken: Error, Sendable { public let id: String }

  static func apply(_ platform: Platform, at now: Int64, on database: any SQLDatabase)
    async throws
  {
    if try await find(platform.id, on: database) != nil { throw Taken(id: platform.id) }
    try await database.raw(
      "INSERT INTO platforms (id, name, operator, endpoint, public_key, status, applied_at, log_key, kind) VALUES (\(bind: platform.id), \(bind: platform.name), \(bind: platform.operatorName), \(bind: platform.endpoint), \(bind: platform.publicKey), 'pending', \(bind: now), \(bind: platform.logVerifierKey), \(bind: platform.kind.rawValue))"
    ).run()
  }

  static func decide(
    _ id: String, approve: Bool, at now: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "UPDATE platforms SET status = \(bind: approve ? "approved" : "refused"), decided_at = \(bind: now) WHERE id = \(bind: id)"
    ).run()
  }

  static func find(_ id: String, on database: any SQLDatabase) async throws -> Platform? {
    try await database.raw(
      "SELECT id, name, operator, endpoint, public_key, status, log_key, kind FROM platforms WHERE id = \(bind: id)"
    ).first().map(decode)
  }

  static func all(on database: any SQLDatabase) async throws -> [Platform] {
    try await database.raw(
      "SELECT id, name, operator, endpoint, public_key, status, log_key, kind FROM platforms ORDER BY id"
    ).all().map(decode)
  }

  private static func decode(_ row: any SQLRow) throws -> Platform {
    Platform(
      id: try row.decode(column: "id", as: String.self),
      name: try row.decode(column: "name", as: String.self),
      operatorName: try row.decode(column: "operator", as: String.self),
      endpoint: try row.decode(column: "endpoint", as: String.self),
      publicKey: try row.decode(column: "public_key", as: String.self),
      status: Platform.Status(rawValue: try row.decode(column: "status", as: String.self))
        ?? .pending,
      logVerifierKey: try row.decodeNil(column: "log_key")
        ? nil : try row.decode(column: "log_key", as: String.self),
      kind: Platform.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .trading)
  }

  // MARK: The inbox, per sender

  /// The last sequence applied from `sender`, locked for the transaction on PostgreSQL.
  static func lastApplied(_ sender: String, on database: any SQLDatabase) async throws
    -> UInt64
  {
    var query: SQLQueryString = "SELECT last_seq FROM inbox_applied WHERE sender = \(bind: sender)"
    if database.dialect.name == "postgresql" { query += " FOR UPDATE" }
    let last = try await database.raw(query).first()?.decode(column: "last_seq", as: Int64.self)
    return UInt64(last ?? 0)
  }

  static func setLastApplied(
    _ sender: String, _ sequence: UInt64, on database: any SQLDatabase
  ) async throws {
    try await database.raw("DELETE FROM inbox_applied WHERE sender = \(bind: sender)").run()
    try await database.raw(
      "INSERT INTO inbox_applied (sender, last_seq) VALUES (\(bind: sender), \(bind: Int64(sequence)))"
    ).run()
  }

  /// Messages held past a gap: sequence → the message's JSON.
  static func held(_ sender: String, on database: any SQLDatabase) async throws -> [UInt64:
    String]
  {
    var held: [UInt64: String] = [:]
    for row in try await database.raw(
      "SELECT seq, message FROM inbox_held WHERE sender = \(bind: sender)"
    ).all() {
      held[UInt64(try row.decode(column: "seq", as: Int64.self))] = try row.decode(
        column: "message", as: String.self)
    }
    return held
  }

  static func setHeld(
    _ sender: String, _ held: [UInt64: String], on database: any SQLDatabase
  ) async throws {
    try await database.raw("DELETE FROM inbox_held WHERE sender = \(bind: sender)").run()
    for (seq, message) in held {
      try await database.raw(
        "INSERT INTO inbox_held (sender, seq, message) VALUES (\(bind: sender), \(bind: Int64(seq)), \(bind: message))"
      ).run()
    }
  }

  /// Records applied messages (their payloads verbatim), many rows per statement.
  static func store(
    _ messages: [(sequence: UInt64, kind: String, payload: String, sentAt: Int64)],
    from sender: String, receivedAt: Int64, on database: any SQLDatabase
  ) async throws {
    for chunk in stride(from: 0, to: messages.count, by: 150) {
      var sql: SQLQueryString =
        "INSERT INTO messages (sender, seq, kind, payload, sent_at, received_at) VALUES "
      for offset in chunk..<min(chunk + 150, messages.count) {
        let message = messages[offset]
        if offset > chunk { sql += ", " }
        sql +=
          "(\(bind: sender), \(bind: Int64(message.sequence)), \(bind: message.kind), \(bind: message.payload), \(bind: message.sentAt), \(bind: receivedAt))"
      }
      try await database.raw(sql).run()
    }
  }

  /// How many messages the hub holds from `sender`.
  static func count(from sender: String, on database: any SQLDatabase) async throws -> Int {
    try await database.raw("SELECT COUNT(*) AS n FROM messages WHERE sender = \(bind: sender)")
      .first()?.decode(column: "n", as: Int.self) ?? 0
  }
}
