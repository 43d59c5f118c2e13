import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiStore

/// Each member's draft of its score sheet (评分草稿), kept until it hands the sheet in: the
/// member's own, never logged or shown to another, deleted in the transaction that records the
/// sheet.
enum ScoreDraftRepository {
  static let migration = Migration(
    id: 22, name: "members' drafts of their score sheets",
    sqlite: [
      "CREATE TABLE score_drafts (section_id TEXT NOT NULL, member TEXT NOT NULL, sheet TEXT NOT NULL, saved_at BIGINT NOT NULL, PRIMARY KEY (section_id, member))"
    ],
    postgres: [
      "CREATE TABLE score_drafts (section_id TEXT NOT NULL, member TEXT NOT NULL, sheet TEXT NOT NULL, saved_at BIGINT NOT NULL, PRIMARY KEY (section_id, member))"
    ])

  /// Keeps `sheet` as `member`'s draft, replacing the one before.
  static func save(
    _ sheet: ScoreSheet, section: String, member: String, at now: Int64,
    on database: any SQLDatabase
  ) async throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = String(decoding: try encoder.encode(sheet), as: UTF8.self)
    try await delete(section: section, member: member, on: database)
    try await database.raw(
      "INSERT INTO score_drafts (section_id, member, sheet, saved_at) VALUES (\(bind: section), \(bind: member), \(bind: text), \(bind: now))"
    ).run()
  }

  /// `member`'s draft and when it was saved; nil if it keeps none.
  static func draft(section: String, member: String, on database: any SQLDatabase) async throws
    -> (sheet: ScoreSheet, savedAt: Int64)?
  {
    guard
      let row = try await database.raw(
        "SELECT sheet, saved_at FROM score_drafts WHERE section_id = \(bind: section) AND member = \(bind: member)"
      ).first()
    else { return nil }
    let sheet = try JSONDecoder().decode(
      ScoreSheet.self, from: Data(try row.decode(column: "sheet", as: String.self).utf8))
    return (sheet, try row.decode(column: "saved_at", as: Int64.self))
  }

  static func delete(section: String, member: String, on database: any SQLDatabase) async throws {
    try await database.raw(
      "DELETE FROM score_drafts WHERE section_id = \(bind: section) AND member = \(bind: member)"
    ).run()
  }
}
