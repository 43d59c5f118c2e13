import SQLKit

/// One step of the schema, written for each SQL flavour; steps run in order, each once.
struct Migration: Sendable {
  let id: Int
  let name: String
  let sqlite: [String]
  let postgres: [String]
}

/// The ordered schema of a platform's database.
enum Migrations {
  static let all: [Migration] = [
    Migration(
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
      ]),
    Migration(
      id: 2, name: "outbox",
      sqlite: [
        "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload TEXT NOT NULL, log_index BIGINT NOT NULL, created_at BIGINT NOT NULL, delivered_at BIGINT)"
      ],
      postgres: [
        "CREATE TABLE outbox (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, topic TEXT NOT NULL, payload TEXT NOT NULL, log_index BIGINT NOT NULL, created_at BIGINT NOT NULL, delivered_at BIGINT)"
      ]),
    Migration(
      id: 3, name: "sections",
      sqlite: [
        "CREATE TABLE sections (id TEXT PRIMARY KEY, version BIGINT NOT NULL, state TEXT NOT NULL, updated_at BIGINT NOT NULL)"
      ],
      postgres: [
        "CREATE TABLE sections (id TEXT PRIMARY KEY, version BIGINT NOT NULL, state TEXT NOT NULL, updated_at BIGINT NOT NULL)"
      ]),
    Migration(
      id: 4, name: "sections due for the scheduler",
      sqlite: [
        "ALTER TABLE sections ADD COLUMN phase TEXT NOT NULL DEFAULT 'draft'",
        "ALTER TABLE sections ADD COLUMN deadline BIGINT",
        "CREATE INDEX sections_due ON sections (phase, deadline)",
      ],
      postgres: [
        "ALTER TABLE sections ADD COLUMN phase TEXT NOT NULL DEFAULT 'draft'",
        "ALTER TABLE sections ADD COLUMN deadline BIGINT",
        "CREATE INDEX sections_due ON sections (phase, deadline)",
      ]),
    Migration(
      id: 5, name: "released key shares",
      sqlite: [
        "CREATE TABLE released_shares (section_id TEXT NOT NULL, holder TEXT NOT NULL, bidder TEXT NOT NULL, x INTEGER NOT NULL, y BLOB NOT NULL, PRIMARY KEY (section_id, holder, bidder))"
      ],
      postgres: [
        "CREATE TABLE released_shares (section_id TEXT NOT NULL, holder TEXT NOT NULL, bidder TEXT NOT NULL, x INTEGER NOT NULL, y BYTEA NOT NULL, PRIMARY KEY (section_id, holder, bidder))"
      ]),
  ]

  /// Applies every migration the database lacks, each in its own transaction.
  static func apply(to store: Store) async throws {
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
    for migration in all where !applied.contains(migration.id) {
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
