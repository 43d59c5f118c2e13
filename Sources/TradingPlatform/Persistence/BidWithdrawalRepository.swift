import SQLKit
import ZhaocaiStore

/// Which bidders withdrew their bid from which section (撤回), written as the withdrawal's event
/// is recorded (`SectionStore`), so a bidder's workspace can say so: the section itself forgets a
/// withdrawn bid.
enum BidWithdrawalRepository {
  static let migration = Migration(
    id: 19, name: "bids withdrawn before the deadline, by section and bidder",
    sqlite: [
      "CREATE TABLE bid_withdrawals (section_id TEXT NOT NULL, bidder TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (section_id, bidder))"
    ],
    postgres: [
      "CREATE TABLE bid_withdrawals (section_id TEXT NOT NULL, bidder TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (section_id, bidder))"
    ])

  /// Records (or moves to `now`) `bidder`'s withdrawal from `section`.
  static func record(
    section: String, bidder: String, at now: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "DELETE FROM bid_withdrawals WHERE section_id = \(bind: section) AND bidder = \(bind: bidder)"
    ).run()
    try await database.raw(
      "INSERT INTO bid_withdrawals (section_id, bidder, at) VALUES (\(bind: section), \(bind: bidder), \(bind: now))"
    ).run()
  }

  /// The sections `bidder` withdrew a bid from.
  static func sections(of bidder: String, on database: any SQLDatabase) async throws -> Set<String>
  {
    Set(
      try await database.raw(
        "SELECT section_id FROM bid_withdrawals WHERE bidder = \(bind: bidder)"
      ).all().map { try $0.decode(column: "section_id", as: String.self) })
  }
}
