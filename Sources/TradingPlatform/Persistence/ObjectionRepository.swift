import SQLKit
import ZhaocaiStore

/// What an objection said and how it was answered, beside the section's events (which log that
/// it was raised and answered, and when): written in the same transaction as those events, so
/// the hall shows both or neither.
enum ObjectionRepository {
  /// An objection as the hall and the section page show it.
  struct Record: Sendable, Equatable {
    let id: String
    let raisedAt: Int64
    let statement: String?
    let answeredAt: Int64?
    let answer: String?
  }

  static let migration = Migration(
    id: 21, name: "what objections said and how they were answered",
    sqlite: [
      "CREATE TABLE objections (section_id TEXT NOT NULL, objection_id TEXT NOT NULL, raised_by TEXT NOT NULL, raised_at BIGINT NOT NULL, at_opening INTEGER NOT NULL, statement TEXT, answered_at BIGINT, answer TEXT, PRIMARY KEY (section_id, objection_id))"
    ],
    postgres: [
      "CREATE TABLE objections (section_id TEXT NOT NULL, objection_id TEXT NOT NULL, raised_by TEXT NOT NULL, raised_at BIGINT NOT NULL, at_opening BOOLEAN NOT NULL, statement TEXT, answered_at BIGINT, answer TEXT, PRIMARY KEY (section_id, objection_id))"
    ])

  /// Records a raised objection (the domain has refused one raised twice while pending; one
  /// raised again after its answer starts afresh).
  static func raised(
    section: String, id: String, by bidder: String, atOpening: Bool, statement: String?,
    at now: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "DELETE FROM objections WHERE section_id = \(bind: section) AND objection_id = \(bind: id)"
    ).run()
    try await database.raw(
      "INSERT INTO objections (section_id, objection_id, raised_by, raised_at, at_opening, statement) VALUES (\(bind: section), \(bind: id), \(bind: bidder), \(bind: now), \(bind: atOpening), \(bind: statement))"
    ).run()
  }

  /// Records the answer to an objection.
  static func answered(
    section: String, id: String, answer: String?, at now: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "UPDATE objections SET answered_at = \(bind: now), answer = \(bind: answer) WHERE section_id = \(bind: section) AND objection_id = \(bind: id)"
    ).run()
  }

  /// The section's objections, oldest first (those raised at the opening only, with
  /// `atOpening`); at most 200, which no opening comes near.
  static func all(of section: String, atOpening: Bool, on database: any SQLDatabase) async throws
    -> [Record]
  {
    try await database.raw(
      "SELECT objection_id, raised_at, statement, answered_at, answer FROM objections WHERE section_id = \(bind: section) AND at_opening = \(bind: atOpening) ORDER BY raised_at, objection_id LIMIT 200"
    ).all().map {
      Record(
        id: try $0.decode(column: "objection_id", as: String.self),
        raisedAt: try $0.decode(column: "raised_at", as: Int64.self),
        statement: try $0.decode(column: "statement", as: String?.self),
        answeredAt: try $0.decode(column: "answered_at", as: Int64?.self),
        answer: try $0.decode(column: "answer", as: String?.self))
    }
  }
}
