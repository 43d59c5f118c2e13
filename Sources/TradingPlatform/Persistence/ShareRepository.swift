import Foundation
import SQLKit
import ZhaocaiCrypto
import ZhaocaiExchange
import ZhaocaiStore

/// Key shares released by holders after the deadline, kept until the opening rebuilds the keys.
enum ShareRepository {
  static func save(
    section: String, holder: String, bidder: String, share: Shamir.Share,
    on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO released_shares (section_id, holder, bidder, x, y) VALUES (\(bind: section), \(bind: holder), \(bind: bidder), \(bind: Int(share.x)), \(bind: Data(share.y)))"
    ).run()
  }

  /// Every released share of a section, by bidder.
  static func shares(section: String, on database: any SQLDatabase) async throws -> [String:
    [Shamir.Share]]
  {
    var result: [String: [Shamir.Share]] = [:]
    let rows = try await database.raw(
      "SELECT bidder, x, y FROM released_shares WHERE section_id = \(bind: section) ORDER BY holder"
    ).all()
    for row in rows {
      let share = Shamir.Share(
        x: UInt8(try row.decode(column: "x", as: Int.self)),
        y: Array(try row.decode(column: "y", as: Data.self)))
      result[try row.decode(column: "bidder", as: String.self), default: []].append(share)
    }
    return result
  }
}
