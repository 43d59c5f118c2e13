import SQLKit

/// One step of the schema, written for each SQL flavour; steps run in order, each once.
struct Migration: Sendable {
  let id: Int
  let name: String
  let sqlite: [String]
  let postgres: [String]
}

/// Which platform a database belongs to: each has its own schema (and its own database).
public enum Schema: Sendable {
  case trading
  case hub
  case supervision

  var migrations: [Migration] {
    switch self {
    case .trading: Migrations.all
    case .hub: Array(Migrations.all.prefix(2)) + Migrations.hub + [Migrations.hubTies]
    case .supervision:
      Migrations.all.filter { [1, 2, 9, 10, 15, 16, 17].contains($0.id) } + Migrations.supervision
    }
  }
}

/// The ordered schema of a platform's database.
enum Migrations {
  /// The public service hub's own tables, after the log and outbox it shares with every platform.
  static let hub: [Migration] = [
    Migration(
      id: 101, name: "hub: registered platforms and the messages they sent",
      sqlite: [
        "CREATE TABLE platforms (id TEXT PRIMARY KEY, name TEXT NOT NULL, operator TEXT NOT NULL, endpoint TEXT NOT NULL, public_key TEXT NOT NULL, status TEXT NOT NULL, applied_at BIGINT NOT NULL, decided_at BIGINT)",
        "CREATE TABLE inbox_applied (sender TEXT PRIMARY KEY, last_seq BIGINT NOT NULL)",
        "CREATE TABLE inbox_held (sender TEXT NOT NULL, seq BIGINT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (sender, seq))",
        "CREATE TABLE messages (sender TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, sent_at BIGINT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (sender, seq))",
      ],
      postgres: [
        "CREATE TABLE platforms (id TEXT PRIMARY KEY, name TEXT NOT NULL, operator TEXT NOT NULL, endpoint TEXT NOT NULL, public_key TEXT NOT NULL, status TEXT NOT NULL, applied_at BIGINT NOT NULL, decided_at BIGINT)",
        "CREATE TABLE inbox_applied (sender TEXT PRIMARY KEY, last_seq BIGINT NOT NULL)",
        "CREATE TABLE inbox_held (sender TEXT NOT NULL, seq BIGINT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (sender, seq))",
        "CREATE TABLE messages (sender TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, sent_at BIGINT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (sender, seq))",
      ]),
    Migration(
      id: 102, name: "hub: unified publication of notices, searchable in Chinese",
      sqlite: [
        "CREATE TABLE hub_notices (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL, seq BIGINT NOT NULL, section TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, region TEXT NOT NULL, industry TEXT NOT NULL, published_at BIGINT NOT NULL, UNIQUE (platform, seq))",
        "CREATE INDEX hub_notices_published ON hub_notices (published_at)",
        // Trigrams index Chinese without a word segmenter: any 3 characters of a title or body.
        "CREATE VIRTUAL TABLE hub_notices_fts USING fts5(title, body, content='hub_notices', content_rowid='id', tokenize='trigram')",
      ],
      postgres: [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE TABLE hub_notices (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, platform TEXT NOT NULL, seq BIGINT NOT NULL, section TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, region TEXT NOT NULL, industry TEXT NOT NULL, published_at BIGINT NOT NULL, UNIQUE (platform, seq))",
        "CREATE INDEX hub_notices_published ON hub_notices (published_at)",
        "CREATE INDEX hub_notices_text ON hub_notices USING gin ((title || ' ' || body) gin_trgm_ops)",
      ]),
    Migration(
      id: 103,
      name: "hub: every platform's checkpoints, and the inconsistent ones kept as evidence",
      sqlite: [
        "ALTER TABLE platforms ADD COLUMN log_key TEXT",
        "CREATE TABLE hub_checkpoints (platform TEXT NOT NULL, size BIGINT NOT NULL, root TEXT NOT NULL, note TEXT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (platform, size))",
        "CREATE TABLE checkpoint_alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL, note TEXT NOT NULL, proof TEXT NOT NULL, reason TEXT NOT NULL, received_at BIGINT NOT NULL)",
      ],
      postgres: [
        "ALTER TABLE platforms ADD COLUMN log_key TEXT",
        "CREATE TABLE hub_checkpoints (platform TEXT NOT NULL, size BIGINT NOT NULL, root TEXT NOT NULL, note TEXT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (platform, size))",
        "CREATE TABLE checkpoint_alerts (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, platform TEXT NOT NULL, note TEXT NOT NULL, proof TEXT NOT NULL, reason TEXT NOT NULL, received_at BIGINT NOT NULL)",
      ]),
    Migration(
      id: 104, name: "hub: the shared expert pool and its draws",
      sqlite: [
        "CREATE TABLE hub_experts (id TEXT PRIMARY KEY, profile TEXT NOT NULL, added_at BIGINT NOT NULL)",
        "CREATE TABLE hub_draws (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL, section TEXT NOT NULL, record TEXT NOT NULL, log_index BIGINT NOT NULL, drawn_at BIGINT NOT NULL)",
      ],
      postgres: [
        "CREATE TABLE hub_experts (id TEXT PRIMARY KEY, profile TEXT NOT NULL, added_at BIGINT NOT NULL)",
        "CREATE TABLE hub_draws (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, platform TEXT NOT NULL, section TEXT NOT NULL, record TEXT NOT NULL, log_index BIGINT NOT NULL, drawn_at BIGINT NOT NULL)",
      ]),
    Migration(
      id: 105, name: "hub: published bans (市场禁入)",
      sqlite: [
        "CREATE TABLE hub_bans (id INTEGER PRIMARY KEY AUTOINCREMENT, party TEXT NOT NULL, reason TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, published_at BIGINT NOT NULL)"
      ],
      postgres: [
        "CREATE TABLE hub_bans (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, party TEXT NOT NULL, reason TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, published_at BIGINT NOT NULL)"
      ]),
    Migration(
      id: 106, name: "hub: recognised certificate authorities (CA互认) and the party registry",
      sqlite: [
        "CREATE TABLE hub_authorities (id TEXT PRIMARY KEY, name TEXT NOT NULL, certificate TEXT NOT NULL, crl TEXT, crl_issued_at BIGINT, added_at BIGINT NOT NULL)",
        "CREATE TABLE hub_parties (seq INTEGER PRIMARY KEY AUTOINCREMENT, credit_code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, certificate TEXT NOT NULL, authority TEXT NOT NULL, registered_at BIGINT NOT NULL)",
      ],
      postgres: [
        "CREATE TABLE hub_authorities (id TEXT PRIMARY KEY, name TEXT NOT NULL, certificate TEXT NOT NULL, crl TEXT, crl_issued_at BIGINT, added_at BIGINT NOT NULL)",
        "CREATE TABLE hub_parties (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, credit_code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, certificate TEXT NOT NULL, authority TEXT NOT NULL, registered_at BIGINT NOT NULL)",
      ]),
    Migration(
      id: 107, name: "hub: open data (OCDS releases and compiled records)",
      sqlite: [
        "CREATE TABLE hub_releases (seq INTEGER PRIMARY KEY AUTOINCREMENT, ocid TEXT NOT NULL, release TEXT NOT NULL)",
        "CREATE INDEX hub_releases_ocid ON hub_releases (ocid, seq)",
        "CREATE TABLE hub_records (seq INTEGER PRIMARY KEY AUTOINCREMENT, ocid TEXT NOT NULL UNIQUE, compiled TEXT NOT NULL)",
        "CREATE TABLE hub_events (platform TEXT NOT NULL, section TEXT NOT NULL, seq BIGINT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (platform, section, seq))",
      ],
      postgres: [
        "CREATE TABLE hub_releases (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ocid TEXT NOT NULL, release TEXT NOT NULL)",
        "CREATE INDEX hub_releases_ocid ON hub_releases (ocid, seq)",
        "CREATE TABLE hub_records (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ocid TEXT NOT NULL UNIQUE, compiled TEXT NOT NULL)",
        "CREATE TABLE hub_events (platform TEXT NOT NULL, section TEXT NOT NULL, seq BIGINT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (platform, section, seq))",
      ]),
    Migration(
      id: 108, name: "hub: market statistics, one row per published section",
      sqlite: [
        "CREATE TABLE hub_sections (platform TEXT NOT NULL, section TEXT NOT NULL, project TEXT NOT NULL, region TEXT NOT NULL, industry TEXT NOT NULL, month TEXT NOT NULL, estimate_fen BIGINT NOT NULL, bids BIGINT, contract_fen BIGINT, PRIMARY KEY (platform, section))"
      ],
      postgres: [
        "CREATE TABLE hub_sections (platform TEXT NOT NULL, section TEXT NOT NULL, project TEXT NOT NULL, region TEXT NOT NULL, industry TEXT NOT NULL, month TEXT NOT NULL, estimate_fen BIGINT NOT NULL, bids BIGINT, contract_fen BIGINT, PRIMARY KEY (platform, section))"
      ]),
    Migration(
      id: 109, name: "hub: violation records (不良行为记录)",
      sqlite: [
        "CREATE TABLE hub_violations (id INTEGER PRIMARY KEY AUTOINCREMENT, party TEXT NOT NULL, record TEXT NOT NULL, expires_at BIGINT NOT NULL, published_at BIGINT NOT NULL)"
      ],
      postgres: [
        "CREATE TABLE hub_violations (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, party TEXT NOT NULL, record TEXT NOT NULL, expires_at BIGINT NOT NULL, published_at BIGINT NOT NULL)"
      ]),
    Migration(
      id: 110, name: "hub: what each platform is (trading or supervision)",
      sqlite: ["ALTER TABLE platforms ADD COLUMN kind TEXT NOT NULL DEFAULT 'trading'"],
      postgres: ["ALTER TABLE platforms ADD COLUMN kind TEXT NOT NULL DEFAULT 'trading'"]),
  ]

  /// The supervision platform's own tables, after the log, the outbox and the copies of the
  /// hub's bans, registry and trust store it shares with the trading platforms.
  static let hubTies = Migration(
    id: 111, name: "hub: the ties each party declared (条例34)",
    sqlite: [
      #"ALTER TABLE hub_parties ADD COLUMN ties TEXT NOT NULL DEFAULT '{"controllers":[]}'"#
    ],
    postgres: [
      #"ALTER TABLE hub_parties ADD COLUMN ties TEXT NOT NULL DEFAULT '{"controllers":[]}'"#
    ])

  static let supervision: [Migration] = [
    Migration(
      id: 201, name: "supervision: departments, supervisors, their sessions and every access",
      sqlite: [
        "CREATE TABLE sup_departments (id TEXT PRIMARY KEY, name TEXT NOT NULL, industry TEXT NOT NULL, region TEXT NOT NULL)",
        "CREATE TABLE sup_supervisors (id TEXT PRIMARY KEY, department TEXT NOT NULL REFERENCES sup_departments (id), name TEXT NOT NULL, password_hash TEXT NOT NULL)",
        "CREATE TABLE sup_sessions (token_hash TEXT PRIMARY KEY, supervisor TEXT NOT NULL REFERENCES sup_supervisors (id), expires_at BIGINT NOT NULL)",
        "CREATE TABLE sup_access_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, supervisor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, address TEXT NOT NULL, at BIGINT NOT NULL)",
      ],
      postgres: [
        "CREATE TABLE sup_departments (id TEXT PRIMARY KEY, name TEXT NOT NULL, industry TEXT NOT NULL, region TEXT NOT NULL)",
        "CREATE TABLE sup_supervisors (id TEXT PRIMARY KEY, department TEXT NOT NULL REFERENCES sup_departments (id), name TEXT NOT NULL, password_hash TEXT NOT NULL)",
        "CREATE TABLE sup_sessions (token_hash TEXT PRIMARY KEY, supervisor TEXT NOT NULL REFERENCES sup_supervisors (id), expires_at BIGINT NOT NULL)",
        "CREATE TABLE sup_access_log (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, supervisor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, address TEXT NOT NULL, at BIGINT NOT NULL)",
      ]),
    Migration(
      id: 202, name: "supervision: the trading platforms overseen and the process events they sent",
      sqlite: [
        "CREATE TABLE sup_platforms (id TEXT PRIMARY KEY, name TEXT NOT NULL, endpoint TEXT NOT NULL, public_key TEXT NOT NULL, last_seq BIGINT NOT NULL DEFAULT 0)",
        "CREATE TABLE sup_events (platform TEXT NOT NULL, seq BIGINT NOT NULL, section TEXT, at BIGINT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (platform, seq))",
        "CREATE INDEX sup_events_section ON sup_events (platform, section, seq)",
        "CREATE TABLE sup_sections (platform TEXT NOT NULL, id TEXT NOT NULL, region TEXT NOT NULL, industry TEXT NOT NULL, state TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (platform, id))",
      ],
      postgres: [
        "CREATE TABLE sup_platforms (id TEXT PRIMARY KEY, name TEXT NOT NULL, endpoint TEXT NOT NULL, public_key TEXT NOT NULL, last_seq BIGINT NOT NULL DEFAULT 0)",
        "CREATE TABLE sup_events (platform TEXT NOT NULL, seq BIGINT NOT NULL, section TEXT, at BIGINT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (platform, seq))",
        "CREATE INDEX sup_events_section ON sup_events (platform, section, seq)",
        "CREATE TABLE sup_sections (platform TEXT NOT NULL, id TEXT NOT NULL, region TEXT NOT NULL, industry TEXT NOT NULL, state TEXT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (platform, id))",
      ]),
    Migration(
      id: 203, name: "supervision: complaints, orders and violation records",
      sqlite: [
        "CREATE TABLE sup_complaints (id TEXT PRIMARY KEY, platform TEXT NOT NULL, section TEXT NOT NULL, state TEXT NOT NULL, updated_at BIGINT NOT NULL)",
        "CREATE TABLE sup_orders (id TEXT PRIMARY KEY, platform TEXT NOT NULL, section TEXT NOT NULL, department TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, answer TEXT, issued_at BIGINT NOT NULL, answered_at BIGINT)",
        "CREATE TABLE sup_violations (seq INTEGER PRIMARY KEY AUTOINCREMENT, party TEXT NOT NULL, department TEXT NOT NULL, decision TEXT NOT NULL, decided_at BIGINT NOT NULL)",
      ],
      postgres: [
        "CREATE TABLE sup_complaints (id TEXT PRIMARY KEY, platform TEXT NOT NULL, section TEXT NOT NULL, state TEXT NOT NULL, updated_at BIGINT NOT NULL)",
        "CREATE TABLE sup_orders (id TEXT PRIMARY KEY, platform TEXT NOT NULL, section TEXT NOT NULL, department TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, answer TEXT, issued_at BIGINT NOT NULL, answered_at BIGINT)",
        "CREATE TABLE sup_violations (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, party TEXT NOT NULL, department TEXT NOT NULL, decision TEXT NOT NULL, decided_at BIGINT NOT NULL)",
      ]),
    Migration(
      id: 204, name: "supervision: the opening key shares it released",
      sqlite: [
        "CREATE TABLE sup_releases (platform TEXT NOT NULL, section TEXT NOT NULL, released_at BIGINT NOT NULL, PRIMARY KEY (platform, section))"
      ],
      postgres: [
        "CREATE TABLE sup_releases (platform TEXT NOT NULL, section TEXT NOT NULL, released_at BIGINT NOT NULL, PRIMARY KEY (platform, section))"
      ]),
    Migration(
      id: 205, name: "supervision: filings received and acknowledged",
      sqlite: [
        "CREATE TABLE sup_filings (platform TEXT NOT NULL, seq BIGINT NOT NULL, section TEXT NOT NULL, kind TEXT NOT NULL, filed_at BIGINT NOT NULL, ack TEXT NOT NULL, PRIMARY KEY (platform, seq))"
      ],
      postgres: [
        "CREATE TABLE sup_filings (platform TEXT NOT NULL, seq BIGINT NOT NULL, section TEXT NOT NULL, kind TEXT NOT NULL, filed_at BIGINT NOT NULL, ack TEXT NOT NULL, PRIMARY KEY (platform, seq))"
      ]),
    // Orders reach a trading platform in the order they were issued, even within one second.
    Migration(
      id: 206, name: "supervision: the order in which orders were issued",
      sqlite: [
        "ALTER TABLE sup_orders ADD COLUMN seq BIGINT NOT NULL DEFAULT 0",
        "UPDATE sup_orders SET seq = rowid",
      ],
      postgres: [
        "ALTER TABLE sup_orders ADD COLUMN seq BIGINT NOT NULL DEFAULT 0"
      ]),
    // Two orders issued at once on PostgreSQL could both take MAX(seq) + 1: the key makes the
    // second wait for the first and be run again with the next number. Rows added by 206 on
    // PostgreSQL (all 0) are numbered in the order they were issued first.
    Migration(
      id: 207, name: "supervision: one place in the issue order for each order",
      sqlite: [
        "CREATE UNIQUE INDEX sup_orders_by_seq ON sup_orders (seq)"
      ],
      postgres: [
        "UPDATE sup_orders SET seq = ranked.n FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY seq, issued_at, id) AS n FROM sup_orders) AS ranked WHERE sup_orders.id = ranked.id",
        "CREATE UNIQUE INDEX sup_orders_by_seq ON sup_orders (seq)",
      ]),
  ]

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
    Migration(
      id: 6, name: "accounts and sessions",
      sqlite: [
        "CREATE TABLE accounts (id TEXT PRIMARY KEY, role TEXT NOT NULL, credit_code TEXT NOT NULL, password_hash TEXT NOT NULL, profile TEXT NOT NULL, created_at BIGINT NOT NULL)",
        "CREATE INDEX accounts_role ON accounts (role)",
        "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts (id), expires_at BIGINT NOT NULL)",
      ],
      postgres: [
        "CREATE TABLE accounts (id TEXT PRIMARY KEY, role TEXT NOT NULL, credit_code TEXT NOT NULL, password_hash TEXT NOT NULL, profile TEXT NOT NULL, created_at BIGINT NOT NULL)",
        "CREATE INDEX accounts_role ON accounts (role)",
        "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts (id), expires_at BIGINT NOT NULL)",
      ]),
    Migration(
      id: 7, name: "documents, downloads, notices, notifications, each section's log entries",
      sqlite: [
        "CREATE TABLE documents (section_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, hash TEXT NOT NULL, size BIGINT NOT NULL, uploaded_at BIGINT NOT NULL, PRIMARY KEY (section_id, version))",
        "CREATE TABLE downloads (section_id TEXT NOT NULL, version INTEGER NOT NULL, party TEXT NOT NULL, account_id TEXT NOT NULL, address TEXT NOT NULL, at BIGINT NOT NULL)",
        "CREATE INDEX downloads_section ON downloads (section_id, party)",
        "CREATE TABLE notices (seq INTEGER PRIMARY KEY AUTOINCREMENT, section_id TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, published_at BIGINT NOT NULL, log_index BIGINT NOT NULL)",
        "CREATE INDEX notices_section ON notices (section_id)",
        "CREATE TABLE notifications (seq INTEGER PRIMARY KEY AUTOINCREMENT, party TEXT NOT NULL, section_id TEXT NOT NULL, message TEXT NOT NULL, at BIGINT NOT NULL)",
        "CREATE INDEX notifications_party ON notifications (party)",
        "CREATE TABLE section_log (section_id TEXT NOT NULL, log_index BIGINT NOT NULL, PRIMARY KEY (section_id, log_index))",
      ],
      postgres: [
        "CREATE TABLE documents (section_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, hash TEXT NOT NULL, size BIGINT NOT NULL, uploaded_at BIGINT NOT NULL, PRIMARY KEY (section_id, version))",
        "CREATE TABLE downloads (section_id TEXT NOT NULL, version INTEGER NOT NULL, party TEXT NOT NULL, account_id TEXT NOT NULL, address TEXT NOT NULL, at BIGINT NOT NULL)",
        "CREATE INDEX downloads_section ON downloads (section_id, party)",
        "CREATE TABLE notices (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, section_id TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, published_at BIGINT NOT NULL, log_index BIGINT NOT NULL)",
        "CREATE INDEX notices_section ON notices (section_id)",
        "CREATE TABLE notifications (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, party TEXT NOT NULL, section_id TEXT NOT NULL, message TEXT NOT NULL, at BIGINT NOT NULL)",
        "CREATE INDEX notifications_party ON notifications (party)",
        "CREATE TABLE section_log (section_id TEXT NOT NULL, log_index BIGINT NOT NULL, PRIMARY KEY (section_id, log_index))",
      ]),
    Migration(
      id: 8, name: "blob chunks (PostgreSQL keeps blobs in the database)",
      sqlite: [
        "CREATE TABLE blob_chunks (hash TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (hash, seq))"
      ],
      postgres: [
        "CREATE TABLE blob_chunks (hash TEXT NOT NULL, seq INTEGER NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (hash, seq))"
      ]),
    Migration(
      id: 9, name: "bans published by the hub, as last fetched",
      sqlite: [
        "CREATE TABLE bans (party TEXT NOT NULL, reason TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL)"
      ],
      postgres: [
        "CREATE TABLE bans (party TEXT NOT NULL, reason TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL)"
      ]),
    Migration(
      id: 10, name: "the hub's party registry and trust store, as last fetched; sign-in challenges",
      sqlite: [
        "CREATE TABLE authorities (id TEXT PRIMARY KEY, name TEXT NOT NULL, certificate TEXT NOT NULL, crl TEXT)",
        "CREATE TABLE parties (credit_code TEXT PRIMARY KEY, name TEXT NOT NULL, certificate TEXT NOT NULL, authority TEXT NOT NULL, registered_at BIGINT NOT NULL)",
        "CREATE TABLE sign_in_challenges (nonce TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
      ],
      postgres: [
        "CREATE TABLE authorities (id TEXT PRIMARY KEY, name TEXT NOT NULL, certificate TEXT NOT NULL, crl TEXT)",
        "CREATE TABLE parties (credit_code TEXT PRIMARY KEY, name TEXT NOT NULL, certificate TEXT NOT NULL, authority TEXT NOT NULL, registered_at BIGINT NOT NULL)",
        "CREATE TABLE sign_in_challenges (nonce TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
      ]),
    Migration(
      id: 11, name: "supervision orders applied, with the acknowledgement each got",
      sqlite: [
        "CREATE TABLE supervision_orders (order_id TEXT PRIMARY KEY, section_id TEXT NOT NULL, ack TEXT NOT NULL, applied_at BIGINT NOT NULL)"
      ],
      postgres: [
        "CREATE TABLE supervision_orders (order_id TEXT PRIMARY KEY, section_id TEXT NOT NULL, ack TEXT NOT NULL, applied_at BIGINT NOT NULL)"
      ]),
    Migration(
      id: 12, name: "the hub's current violation records, as last fetched (credit scores)",
      sqlite: ["CREATE TABLE violation_copies (party TEXT NOT NULL, record TEXT NOT NULL)"],
      postgres: ["CREATE TABLE violation_copies (party TEXT NOT NULL, record TEXT NOT NULL)"]),
    Migration(
      id: 13, name: "the supervision platform's acknowledgements of filings",
      sqlite: [
        "CREATE TABLE filing_acks (section_id TEXT NOT NULL, kind TEXT NOT NULL, ack TEXT NOT NULL, acknowledged_at BIGINT NOT NULL, PRIMARY KEY (section_id, kind))"
      ],
      postgres: [
        "CREATE TABLE filing_acks (section_id TEXT NOT NULL, kind TEXT NOT NULL, ack TEXT NOT NULL, acknowledged_at BIGINT NOT NULL, PRIMARY KEY (section_id, kind))"
      ]),
    // So a filing whose acknowledgement was lost on the way back can be sent again.
    Migration(
      id: 14, name: "where each filing is in the log",
      sqlite: [
        "CREATE TABLE filings_sent (log_index BIGINT PRIMARY KEY, section_id TEXT NOT NULL, kind TEXT NOT NULL)"
      ],
      postgres: [
        "CREATE TABLE filings_sent (log_index BIGINT PRIMARY KEY, section_id TEXT NOT NULL, kind TEXT NOT NULL)"
      ]),
    // Shared with the supervision platform: both lock an account after five wrong passwords.
    Migration(
      id: 15, name: "failed sign-ins, which lock an account for a while",
      sqlite: [
        "CREATE TABLE sign_in_failures (account TEXT NOT NULL, failed_at BIGINT NOT NULL)",
        "CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, failed_at)",
      ],
      postgres: [
        "CREATE TABLE sign_in_failures (account TEXT NOT NULL, failed_at BIGINT NOT NULL)",
        "CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, failed_at)",
      ]),
    // Shared with the supervision platform: both count working days.
    Migration(
      id: 16, name: "working calendar years an administrator loaded",
      sqlite: [
        "CREATE TABLE calendar_years (year INTEGER PRIMARY KEY, body TEXT NOT NULL, loaded_by TEXT NOT NULL, loaded_at BIGINT NOT NULL)"
      ],
      postgres: [
        "CREATE TABLE calendar_years (year INTEGER PRIMARY KEY, body TEXT NOT NULL, loaded_by TEXT NOT NULL, loaded_at BIGINT NOT NULL)"
      ]),
    Migration(
      id: 17, name: "the ties each copied party declared (条例34)",
      sqlite: [#"ALTER TABLE parties ADD COLUMN ties TEXT NOT NULL DEFAULT '{"controllers":[]}'"#],
      postgres: [#"ALTER TABLE parties ADD COLUMN ties TEXT NOT NULL DEFAULT '{"controllers":[]}'"#]
    ),
  ]

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
