import SQLKit
import ZhaocaiStore

/// Members' signatures of the committee's report, each with the dissent it states in writing if
/// it disagrees (条例53): once per member.
enum ReportSignatureRepository {
  static let migration = Migration(
    id: 23, name: "members' signatures of the evaluation report, with dissents",
    sqlite: [
      "CREATE TABLE report_signatures (section_id TEXT NOT NULL, member TEXT NOT NULL, dissent TEXT, signed_at BIGINT NOT NULL, PRIMARY KEY (section_id, member))"
    ],
    postgres: [
      "CREATE TABLE report_signatures (section_id TEXT NOT NULL, member TEXT NOT NULL, dissent TEXT, signed_at BIGINT NOT NULL, PRIMARY KEY (section_id, member))"
    ])

  /// Records `member`'s signature; false if it signed already.
  static func sign(
    section: String, member: String, dissent: String?, at now: Int64,
    on database: any SQLDatabase
  ) async throws -> Bool {
    guard try await !hasSigned(section: section, member: member, on: database) else {
      return false
    }
    try await database.raw(
      "INSERT INTO report_signatures (section_id, member, dissent, signed_at) VALUES (\(bind: section), \(bind: member), \(bind: dissent), \(bind: now))"
    ).run()
    return true
  }

  /// Whether `member` signed the section's report.
  static func hasSigned(section: String, member: String, on database: any SQLDatabase)
    async throws -> Bool
  {
    try await database.raw(
      "SELECT member FROM report_signatures WHERE section_id = \(bind: section) AND member = \(bind: member)"
    ).first() != nil
  }

  /// How many signed, and the dissents, oldest first, without who stated them.
  static func signatures(of section: String, on database: any SQLDatabase) async throws -> (
    signed: Int, dissents: [(text: String, at: Int64)]
  ) {
    let rows = try await database.raw(
      "SELECT dissent, signed_at FROM report_signatures WHERE section_id = \(bind: section) ORDER BY signed_at, member"
    ).all()
    var dissents: [(text: String, at: Int64)] = []
    for row in rows {
      if let text = try row.decode(column: "dissent", as: String?.self) {
        dissents.append((text, try row.decode(column: "signed_at", as: Int64.self)))
      }
    }
    return (rows.count, dissents)
  }
}
