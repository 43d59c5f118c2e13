import Foundation
import SQLKit
import ZhaocaiDomain

/// Sections as JSON documents with a version, so two writers cannot overwrite each other.
public enum SectionRepository {
  /// A section as stored, with the version its next save must name.
  public struct Stored: Sendable {
    public let section: Section
    public let version: Int64
  }

  /// Two writers raced: the section changed since it was loaded.
  public struct ConcurrentUpdate: Error, Equatable {
    public let sectionID: String
  }

  public static func load(_ id: String, on database: any SQLDatabase) async throws -> Stored? {
    guard
      let row = try await database.raw(
        "SELECT version, state FROM sections WHERE id = \(bind: id)"
      ).first()
    else { return nil }
    let state = try row.decode(column: "state", as: String.self)
    return Stored(
      section: try JSONDecoder().decode(Section.self, from: Data(state.utf8)),
      version: try row.decode(column: "version", as: Int64.self))
  }

  /// Inserts a new section (version 1) or updates one whose stored version is `expected`.
  public static func save(
    _ section: Section, expected: Int64?, at now: Int64, on database: any SQLDatabase
  ) async throws -> Int64 {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let state = String(decoding: try encoder.encode(section), as: UTF8.self)
    let id = section.terms.sectionID
    guard let expected else {
      try await database.raw(
        "INSERT INTO sections (id, version, state, updated_at) VALUES (\(bind: id), 1, \(bind: state), \(bind: now))"
      ).run()
      return 1
    }
    let updated = try await database.raw(
      "UPDATE sections SET version = \(bind: expected + 1), state = \(bind: state), updated_at = \(bind: now) WHERE id = \(bind: id) AND version = \(bind: expected) RETURNING version"
    ).all()
    guard updated.count == 1 else { throw ConcurrentUpdate(sectionID: id) }
    return expected + 1
  }
}
