import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

extension Schema {
  /// The supervision platform's database: the shared log and outbox, the sign-in lock, then its
  /// own tables. (Databases made before the split also hold copies of the hub's registry, bans
  /// and calendar, ids 9, 10, 16 and 17, which nothing here reads.)
  public static let supervision = Schema(
    [StorageMigrations.log, StorageMigrations.outbox, SignInLock.migration]
      + SupervisionMigrations.all)
}

/// The supervision platform's own tables, in the order they were added (ids 201–207).
enum SupervisionMigrations {
  static let all: [Migration] = [
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
}
