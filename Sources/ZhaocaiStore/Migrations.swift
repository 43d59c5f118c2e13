import SQLKit

/// One step of a platform's schema, written for each SQL flavour; steps run in order, each once,
/// and an id once applied is never reused.
public struct Migration: Sendable {
  public let id: Int
  public let name: String
  let sqlite: [String]
  let postgres: [String]

  public init(id: Int, name: String, sqlite: [String], postgres: [String]) {
    self.id = id
    self.name = name
    self.sqlite = sqlite
    self.postgres = postgres
  }
}

/// A platform's database schema: its ordered migrations. Each platform declares its own (for
/// instance `Schema.trading` in the trading platform's module), starting with the log and the
/// outbox every platform keeps.
public struct Schema: Sendable {
  public let migrations: [Migration]

  public init(_ migrations: [Migration]) { self.migrations = migrations }
}

/// The storage every platform shares: its Merkle log and its outbox.
public enum StorageMigrations {
  public static let log = Migration(
    id: 1, name: "merkle log",
    sqlite: [
      "CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL)",
      "INSERT INTO log_head (id, size) VALUES (1, 0)",
      "CREATE TABLE log_entries (idx BIGINT PRIMARY KEY, entry BLOB NOT NULL, recorded_at BIGINT NOT NULL)",
      "CREATE TABLE log_nodes (level INTEGER NOT NULL, idx BIGINT NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx))",
    ],
    postgres: [
      "CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL)",
      "INSERT INTO log_head (id, size) VALUES (1, 0)",
      "CREATE TABLE log_entries (idx BIGINT PRIMARY KEY, entry BYTEA NOT NULL, recorded_at BIGINT NOT NULL)",
      "CREATE TABLE log_nodes (level INTEGER NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL, PRIMARY KEY (level, idx))",
    ])

  public static let outbox = Migration(
    id: 2, name: "outbox",
    sqlite: [
      "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload TEXT NOT NULL, log_index BIGINT NOT NULL, created_at BIGINT NOT NULL, delivered_at BIGINT)"
    ],
    postgres: [
      "CREATE TABLE outbox (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, topic TEXT NOT NULL, payload TEXT NOT NULL, log_index BIGINT NOT NULL, created_at BIGINT NOT NULL, delivered_at BIGINT)"
    ])
}

/// Applies a schema's migrations.
enum Migrator {
  /// Applies every migration the database lacks, each in its own transaction.
  static func apply(_ migrations: [Migration], to store: Store) async throws {
    try await store.transaction { database in
      try await database.raw(
        "CREATE TABLE IF NOT EXISTS zc_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"
      ).run()
    }
    let applied = try await store.transaction { database in
      try await database.raw("SELECT id FROM zc_migrations").all().map {
        try $0.decode(column: "id", as: Int.self)
      }
    }
    for migration in migrations where !applied.contains(migration.id) {
      try await store.transaction { database in
        let statements = store.flavour == .sqlite ? migration.sqlite : migration.postgres
        for statement in statements {
          try await database.raw(SQLQueryString(statement)).run()
        }
        try await database.raw(
          "INSERT INTO zc_migrations (id, name) VALUES (\(bind: migration.id), \(bind: migration.name))"
        ).run()
      }
    }
  }
}

extension Store {
  /// Whether the database answers and holds every migration of `schema`: what a platform's
  /// readiness (`/health/ready`) reports; nil when it does, else why not (no credentials in it).
  public func unreadiness(for schema: Schema) async -> String? {
    do {
      let applied = try await transaction { database in
        try await database.raw("SELECT id FROM zc_migrations").all().map {
          try $0.decode(column: "id", as: Int.self)
        }
      }
      let missing = Set(schema.migrations.map(\.id)).subtracting(applied)
      return missing.isEmpty ? nil : "migrations not applied: \(missing.sorted())"
    } catch {
      return "the database does not answer"
    }
  }
}
