import ZhaocaiExchange
import ZhaocaiStore

extension Schema {
  /// The public service hub's database: the shared log and outbox, then its own tables.
  public static let hub = Schema(
    [StorageMigrations.log, StorageMigrations.outbox] + HubMigrations.all)
}

/// The hub's own tables, in the order they were added (ids 101–111).
enum HubMigrations {
  static let all: [Migration] = [
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
    Migration(
      id: 111, name: "hub: the ties each party declared (条例34)",
      sqlite: [
        #"ALTER TABLE hub_parties ADD COLUMN ties TEXT NOT NULL DEFAULT '{"controllers":[]}'"#
      ],
      postgres: [
        #"ALTER TABLE hub_parties ADD COLUMN ties TEXT NOT NULL DEFAULT '{"controllers":[]}'"#
      ]),
  ]
}
