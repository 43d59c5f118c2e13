import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

extension Schema {
  /// The trading platform's database: the shared log and outbox, then its own tables.
  public static let trading = Schema(
    [StorageMigrations.log, StorageMigrations.outbox] + TradingMigrations.all)
}

/// The trading platform's own tables, in the order they were added (ids 3–20).
enum TradingMigrations {
  static let all: [Migration] = [
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
    SignInLock.migration,
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
    BidUploadRepository.migration,
    BidWithdrawalRepository.migration,
    CommitteeDrawRepository.migration,
    ObjectionRepository.migration,
    ScoreDraftRepository.migration,
    ReportSignatureRepository.migration,
    CommitteeDrawRepository.replacements,
  ]
}
