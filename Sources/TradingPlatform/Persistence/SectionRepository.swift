import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// Sections as JSON documents with a version, so two writers cannot overwrite each other.
enum SectionRepository {
  /// A section as stored, with the version its next save must name.
  struct Stored: Sendable {
    let section: Section
    let version: Int64
  }

  /// Two writers raced: the section changed since it was loaded.
  struct ConcurrentUpdate: Error, Equatable {
    let sectionID: String
  }

  /// With `forUpdate`, on PostgreSQL the row stays locked to the end of the transaction: a
  /// second writer of the section waits and then reads what the first wrote, instead of
  /// failing with `ConcurrentUpdate` (2,000 bids at a deadline all change one section).
  static func load(_ id: String, forUpdate: Bool = false, on database: any SQLDatabase)
    async throws -> Stored?
  {
    var query: SQLQueryString = "SELECT version, state FROM sections WHERE id = \(bind: id)"
    if forUpdate, database.dialect.name == "postgresql" { query += " FOR UPDATE" }
    guard let row = try await database.raw(query).first() else { return nil }
    let state = try row.decode(column: "state", as: String.self)
    return Stored(
      section: try JSONDecoder().decode(Section.self, from: Data(state.utf8)),
      version: try row.decode(column: "version", as: Int64.self))
  }

  /// Sections still taking bids whose deadline has come, oldest first. Under PostgreSQL the rows
  /// are locked and rows another node holds are skipped, so each is closed once.
  static func dueForClosing(
    at now: Int64, excluding skipped: Set<String> = [], limit: Int = 1, on database: any SQLDatabase
  ) async throws -> [String] {
    var query: SQLQueryString =
      "SELECT id FROM sections WHERE phase = 'bidding' AND deadline <= \(bind: now)"
    if !skipped.isEmpty { query += " AND id NOT IN (\(binds: skipped.sorted()))" }
    query += " ORDER BY deadline, id LIMIT \(bind: limit)"
    if database.dialect.name == "postgresql" { query += " FOR UPDATE SKIP LOCKED" }
    return try await database.raw(query).all().map { try $0.decode(column: "id", as: String.self) }
  }

  /// How many sections still take bids though their deadline has come (for the administrator:
  /// the scheduler closes them at its next tick).
  static func countDueForClosing(at now: Int64, on database: any SQLDatabase) async throws -> Int {
    try await database.raw(
      "SELECT COUNT(*) AS n FROM sections WHERE phase = 'bidding' AND deadline <= \(bind: now)"
    ).first()?.decode(column: "n", as: Int.self) ?? 0
  }

  /// Ids of the sections in any of `phases` (the scheduler's daily look at statutory deadlines).
  static func ids(inPhases phases: [SectionPhase], on database: any SQLDatabase) async throws
    -> [String]
  {
    try await database.raw(
      "SELECT id FROM sections WHERE phase IN (\(binds: phases.map(\.rawValue))) ORDER BY id"
    ).all().map { try $0.decode(column: "id", as: String.self) }
  }

  /// A section of that id exists already.
  struct Taken: Error, Sendable {
    let id: String
  }

  /// Inserts a new section (version 1) or updates one whose stored version is `expected`.
  static func save(
    _ section: Section, expected: Int64?, at now: Int64, on database: any SQLDatabase
  ) async throws -> Int64 {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let state = String(decoding: try encoder.encode(section), as: UTF8.self)
    let id = section.terms.sectionID
    let phase = section.phase.rawValue
    let deadline = section.schedule?.bidDeadline
    guard let expected else {
      // A second section with the same id is the caller's mistake, not a fault (on PostgreSQL
      // a race for the id is run again by the store and lands here).
      guard
        try await database.raw("SELECT id FROM sections WHERE id = \(bind: id)").first() == nil
      else { throw Taken(id: id) }
      try await database.raw(
        "INSERT INTO sections (id, version, state, updated_at, phase, deadline) VALUES (\(bind: id), 1, \(bind: state), \(bind: now), \(bind: phase), \(bind: deadline))"
      ).run()
      return 1
    }
    let updated = try await database.raw(
      "UPDATE sections SET version = \(bind: expected + 1), state = \(bind: state), updated_at = \(bind: now), phase = \(bind: phase), deadline = \(bind: deadline) WHERE id = \(bind: id) AND version = \(bind: expected) RETURNING version"
    ).all()
    guard updated.count == 1 else { throw ConcurrentUpdate(sectionID: id) }
    return expected + 1
  }
}

extension SectionRepository {
  /// One batch of sections, most recently changed first, in `phases` (any when empty).
  static func batch(
    phases: [SectionPhase], withDrafts: Bool, limit: Int, offset: Int, on database: any SQLDatabase
  ) async throws -> [Section] {
    var query: SQLQueryString = "SELECT state FROM sections WHERE 1 = 1"
    if !phases.isEmpty { query += " AND phase IN (\(binds: phases.map(\.rawValue)))" }
    if !withDrafts { query += " AND phase <> 'draft'" }
    query += " ORDER BY updated_at DESC, id LIMIT \(bind: limit) OFFSET \(bind: offset)"
    return try await database.raw(query).all().map {
      try JSONDecoder().decode(
        Section.self, from: Data(try $0.decode(column: "state", as: String.self).utf8))
    }
  }

}
