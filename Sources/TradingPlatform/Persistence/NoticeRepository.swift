import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// Published notices, each with its time and the log entry of the event that published it.
enum NoticeRepository {
  /// A notice as published.
  struct Published: Sendable, Equatable {
    let notice: Notice
    let publishedAt: Int64
    let logIndex: UInt64
  }

  static func publish(
    _ notice: Notice, at now: Int64, logIndex: UInt64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO notices (section_id, kind, title, body, published_at, log_index) VALUES (\(bind: notice.sectionID), \(bind: notice.kind.rawValue), \(bind: notice.title), \(bind: notice.body), \(bind: now), \(bind: Int64(logIndex)))"
    ).run()
  }

  /// A section's notices in the order they were published.
  static func notices(section: String, on database: any SQLDatabase) async throws
    -> [Published]
  {
    try await database.raw(
      "SELECT kind, title, body, published_at, log_index FROM notices WHERE section_id = \(bind: section) ORDER BY seq"
    ).all().compactMap { row in
      guard let kind = NoticeKind(rawValue: try row.decode(column: "kind", as: String.self)) else {
        return nil
      }
      return Published(
        notice: Notice(
          kind: kind, sectionID: section, title: try row.decode(column: "title", as: String.self),
          body: try row.decode(column: "body", as: String.self)),
        publishedAt: try row.decode(column: "published_at", as: Int64.self),
        logIndex: UInt64(try row.decode(column: "log_index", as: Int64.self)))
    }
  }
}
