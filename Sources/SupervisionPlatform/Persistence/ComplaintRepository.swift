import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// Complaints (投诉) at the supervision platform, each stored whole with the trading platform of
/// its process.
enum ComplaintRepository {
  static func save(
    _ complaint: Complaint, platform: String, at now: Int64, on database: any SQLDatabase
  ) async throws {
    let state = String(decoding: try JSONEncoder().encode(complaint), as: UTF8.self)
    try await database.raw("DELETE FROM sup_complaints WHERE id = \(bind: complaint.id)").run()
    try await database.raw(
      "INSERT INTO sup_complaints (id, platform, section, state, updated_at) VALUES (\(bind: complaint.id), \(bind: platform), \(bind: complaint.section), \(bind: state), \(bind: now))"
    ).run()
  }

  /// A complaint and the platform of its process; `forUpdate` locks its row on PostgreSQL until
  /// the transaction ends, so two departments' steps on it run one after the other (SQLite's
  /// writes already do).
  static func find(
    _ id: String, forUpdate: Bool = false, on database: any SQLDatabase
  ) async throws -> (complaint: Complaint, platform: String)? {
    let lock = forUpdate && database.dialect.name == "postgresql" ? " FOR UPDATE" : ""
    return try await database.raw(
      "SELECT platform, state FROM sup_complaints WHERE id = \(bind: id)"
        + .init(stringLiteral: lock)
    )
    .first().map {
      (try decode($0), try $0.decode(column: "platform", as: String.self))
    }
  }

  /// Every complaint, newest first, with its platform.
  static func all(on database: any SQLDatabase) async throws -> [(
    complaint: Complaint, platform: String
  )] {
    try await database.raw(
      "SELECT platform, state FROM sup_complaints ORDER BY updated_at DESC, id"
    ).all().map { (try decode($0), try $0.decode(column: "platform", as: String.self)) }
  }

  private static func decode(_ row: any SQLRow) throws -> Complaint {
    try JSONDecoder().decode(
      Complaint.self, from: Data(try row.decode(column: "state", as: String.self).utf8))
  }
}
