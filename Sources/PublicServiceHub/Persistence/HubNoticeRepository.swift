import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// 统一发布: every notice of every platform at the hub, searchable by words inside titles and
/// bodies (SQLite FTS5 trigrams; PostgreSQL pg_trgm), region, industry, kind, date and platform.
enum HubNoticeRepository {
  /// A published notice as the hub holds it.
  struct Entry: Sendable, Equatable {
    let platform: String
    /// The platform's sequence number of the message that carried it (its id with `platform`).
    let sequence: Int64
    let section: String
    let kind: String
    let title: String
    let body: String
    let region: String
    let industry: String
    let publishedAt: Int64
  }

  /// What to look for; every field narrows the search.
  struct Query: Sendable {
    var text: String?
    /// A region code or its prefix ("35" is Fujian, "3501" Fuzhou).
    var region: String?
    var industry: String?
    var kind: String?
    var platform: String?
    /// One section's notices (with `platform`), or one notice (with `sequence` too).
    var section: String?
    var sequence: Int64?
    var from: Int64?
    var to: Int64?
    var limit = 50
    var offset = 0

    init() {}

    /// One string per distinct query, for caching its answer.
    var key: String {
      [
        text, region, industry, kind, platform, section, sequence.map(String.init),
        from.map(String.init), to.map(String.init),
      ]
      .map { $0.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined() + "\(limit)/\(offset)"
    }
  }

  /// Publishes notices of one platform received together: many rows per statement, and the
  /// full-text index filled from them in one.
  static func publish(
    _ notices: [(notice: LoggedNotice, sequence: UInt64)], platform: String,
    on database: any SQLDatabase
  ) async throws {
    guard let first = notices.first?.sequence, let last = notices.last?.sequence else { return }
    for chunk in stride(from: 0, to: notices.count, by: 100) {
      var sql: SQLQueryString =
        "INSERT INTO hub_notices (platform, seq, section, kind, title, body, region, industry, published_at) VALUES "
      for offset in chunk..<min(chunk + 100, notices.count) {
        let (logged, sequence) = notices[offset]
        if offset > chunk { sql += ", " }
        sql +=
          "(\(bind: platform), \(bind: Int64(sequence)), \(bind: logged.section), \(bind: logged.notice.kind.rawValue), \(bind: logged.notice.title), \(bind: logged.notice.body), \(bind: logged.region), \(bind: logged.industry), \(bind: logged.at))"
      }
      try await database.raw(sql).run()
    }
    if database.dialect.name != "postgresql" {
      try await database.raw(
        "INSERT INTO hub_notices_fts (rowid, title, body) SELECT id, title, body FROM hub_notices WHERE platform = \(bind: platform) AND seq >= \(bind: Int64(first)) AND seq <= \(bind: Int64(last))"
      ).run()
    }
  }

  /// Notices matching `query`, newest first as the hub received them (by arrival, which follows
  /// publication except where a platform's messages came late).
  static func search(_ query: Query, on database: any SQLDatabase) async throws -> [Entry] {
    let postgres = database.dialect.name == "postgresql"
    let text = query.text?.trimmingCharacters(in: .whitespaces) ?? ""
    let limit = min(max(query.limit, 1), 200)
    let offset = min(max(query.offset, 0), 10_000)
    guard !postgres, text.count >= 3 else {
      return try await run(query, text: text, ftsDepth: nil, on: database)
    }
    // A frequent phrase matches a large share of the notices: rather than sort every match, take
    // the newest matches from the index (FTS5 walks rowids downwards and stops), and look deeper
    // only while the filters leave too few.
    var depth = max(256, (limit + offset) * 4)
    while true {
      let found = try await run(query, text: text, ftsDepth: depth, on: database)
      if found.count == limit || depth >= 1 << 22 { return found }
      depth *= 8
    }
  }

  private static func run(
    _ query: Query, text: String, ftsDepth: Int?, on database: any SQLDatabase
  ) async throws -> [Entry] {
    let postgres = database.dialect.name == "postgresql"
    var sql: SQLQueryString =
      "SELECT platform, seq, section, kind, title, body, region, industry, published_at FROM hub_notices WHERE 1 = 1"
    if !text.isEmpty {
      let like = "%" + escapeLike(text) + "%"
      if postgres {
        sql += " AND (title || ' ' || body) ILIKE \(bind: like) ESCAPE '\\'"
      } else if let depth = ftsDepth {
        let phrase = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        sql +=
          " AND id IN (SELECT rowid FROM hub_notices_fts WHERE hub_notices_fts MATCH \(bind: phrase) ORDER BY rowid DESC LIMIT \(bind: depth))"
      } else {
        // Trigrams need 3 characters; a two-character word ("道路") is looked for directly.
        sql += " AND (title LIKE \(bind: like) ESCAPE '\\' OR body LIKE \(bind: like) ESCAPE '\\')"
      }
    }
    if let region = query.region {
      sql += " AND region LIKE \(bind: escapeLike(region) + "%") ESCAPE '\\'"
    }
    if let industry = query.industry { sql += " AND industry = \(bind: industry)" }
    if let kind = query.kind { sql += " AND kind = \(bind: kind)" }
    if let platform = query.platform { sql += " AND platform = \(bind: platform)" }
    if let section = query.section { sql += " AND section = \(bind: section)" }
    if let sequence = query.sequence { sql += " AND seq = \(bind: sequence)" }
    if let from = query.from { sql += " AND published_at >= \(bind: from)" }
    if let to = query.to { sql += " AND published_at < \(bind: to)" }
    sql +=
      " ORDER BY id DESC LIMIT \(bind: min(max(query.limit, 1), 200)) OFFSET \(bind: max(query.offset, 0))"
    return try await database.raw(sql).all().map { row in
      Entry(
        platform: try row.decode(column: "platform", as: String.self),
        sequence: try row.decode(column: "seq", as: Int64.self),
        section: try row.decode(column: "section", as: String.self),
        kind: try row.decode(column: "kind", as: String.self),
        title: try row.decode(column: "title", as: String.self),
        body: try row.decode(column: "body", as: String.self),
        region: try row.decode(column: "region", as: String.self),
        industry: try row.decode(column: "industry", as: String.self),
        publishedAt: try row.decode(column: "published_at", as: Int64.self))
    }
  }

  static func escapeLike(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
      .replacingOccurrences(of: "_", with: "\\_")
  }
}
