import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// 专家资源共享: the hub's expert pool, each addition logged (so a checkpoint binds the pool),
/// and every draw it made.
enum HubExpertRepository {
  /// The expert is already in the pool.
  struct Taken: Error, Sendable { let id: String }

  static func add(_ expert: Account, at now: Int64, on database: any SQLDatabase)
    async throws
  {
    if try await database.raw("SELECT id FROM hub_experts WHERE id = \(bind: expert.id)").first()
      != nil
    {
      throw Taken(id: expert.id)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let profile = try encoder.encode(expert)
    try await database.raw(
      "INSERT INTO hub_experts (id, profile, added_at) VALUES (\(bind: expert.id), \(bind: String(decoding: profile, as: UTF8.self)), \(bind: now))"
    ).run()
    _ = try await PersistentLog.append(
      [Array(#"{"expertAdded":"#.utf8) + Array(profile) + Array("}".utf8)], at: now, on: database)
  }

  /// The pool, by id.
  static func pool(on database: any SQLDatabase) async throws -> [Account] {
    try await database.raw("SELECT profile FROM hub_experts ORDER BY id").all().map {
      try JSONDecoder().decode(
        Account.self, from: Data(try $0.decode(column: "profile", as: String.self).utf8))
    }
  }

  /// Records a draw (its whole record, as returned) and logs it.
  static func record(
    platform: String, section: String, record: Data, at now: Int64, on database: any SQLDatabase
  ) async throws -> UInt64 {
    let index = try await PersistentLog.append(
      [Array(#"{"expertDraw":"#.utf8) + Array(record) + Array("}".utf8)], at: now, on: database)[0]
    try await database.raw(
      "INSERT INTO hub_draws (platform, section, record, log_index, drawn_at) VALUES (\(bind: platform), \(bind: section), \(bind: String(decoding: record, as: UTF8.self)), \(bind: Int64(index)), \(bind: now))"
    ).run()
    return index
  }
}
