import Foundation
import SQLKit
import ZhaocaiExchange
import ZhaocaiStore

/// The hub's record of each section's expert draw (专家抽取记录): checkpoint, the platform's
/// signed request, the pool, who was drawn and who was recused — what anyone needs to check at
/// the hub that the committee was drawn as the rules say. Kept with the committee it formed.
enum CommitteeDrawRepository {
  static let migration = Migration(
    id: 20, name: "the hub's record of each section's expert draw",
    sqlite: [
      "CREATE TABLE committee_draws (section_id TEXT PRIMARY KEY, record TEXT NOT NULL, drawn_at BIGINT NOT NULL)"
    ],
    postgres: [
      "CREATE TABLE committee_draws (section_id TEXT PRIMARY KEY, record TEXT NOT NULL, drawn_at BIGINT NOT NULL)"
    ])

  static func save(
    _ draw: VerifiableDraw, section: String, at now: Int64, on database: any SQLDatabase
  ) async throws {
    let record = try text(draw)
    try await database.raw("DELETE FROM committee_draws WHERE section_id = \(bind: section)").run()
    try await database.raw(
      "INSERT INTO committee_draws (section_id, record, drawn_at) VALUES (\(bind: section), \(bind: record), \(bind: now))"
    ).run()
  }

  /// Replacement draws for recused members, numbered from 1, beside the first draw's record.
  static let replacements = Migration(
    id: 24, name: "the hub's records of draws replacing recused members",
    sqlite: [
      "CREATE TABLE committee_replacement_draws (section_id TEXT NOT NULL, round INTEGER NOT NULL, record TEXT NOT NULL, drawn_at BIGINT NOT NULL, PRIMARY KEY (section_id, round))"
    ],
    postgres: [
      "CREATE TABLE committee_replacement_draws (section_id TEXT NOT NULL, round INTEGER NOT NULL, record TEXT NOT NULL, drawn_at BIGINT NOT NULL, PRIMARY KEY (section_id, round))"
    ])

  static func saveReplacement(
    _ draw: VerifiableDraw, section: String, at now: Int64, on database: any SQLDatabase
  ) async throws {
    let round = try await replacementCount(of: section, on: database) + 1
    try await database.raw(
      "INSERT INTO committee_replacement_draws (section_id, round, record, drawn_at) VALUES (\(bind: section), \(bind: round), \(bind: try text(draw)), \(bind: now))"
    ).run()
  }

  static func replacementCount(of section: String, on database: any SQLDatabase) async throws
    -> Int
  {
    try await database.raw(
      "SELECT COUNT(*) AS n FROM committee_replacement_draws WHERE section_id = \(bind: section)"
    ).first()?.decode(column: "n", as: Int.self) ?? 0
  }

  /// Replacement draw `round` (from 1) as the hub gave it.
  static func replacement(_ round: Int, of section: String, on database: any SQLDatabase)
    async throws -> String?
  {
    try await database.raw(
      "SELECT record FROM committee_replacement_draws WHERE section_id = \(bind: section) AND round = \(bind: round)"
    ).first()?.decode(column: "record", as: String.self)
  }

  static func text(_ draw: VerifiableDraw) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(draw), as: UTF8.self)
  }

  /// The record as the hub gave it (JSON text), if the section's committee was drawn there.
  static func record(of section: String, on database: any SQLDatabase) async throws -> String? {
    try await database.raw(
      "SELECT record FROM committee_draws WHERE section_id = \(bind: section)"
    ).first()?.decode(column: "record", as: String.self)
  }
}
