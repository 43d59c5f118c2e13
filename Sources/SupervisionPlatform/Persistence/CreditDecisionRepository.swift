import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// The credit decisions (violation records and bans) a supervision platform's departments made.
enum CreditDecisionRepository {
  static func record(
    _ decision: CreditDecision, department: String, on database: any SQLDatabase
  ) async throws {
    let body = String(decoding: try JSONEncoder().encode(decision), as: UTF8.self)
    try await database.raw(
      "INSERT INTO sup_violations (party, department, decision, decided_at) VALUES (\(bind: decision.record.party), \(bind: department), \(bind: body), \(bind: decision.record.decidedAt))"
    ).run()
  }

  /// Every decision about a party, oldest first.
  static func decisions(of party: String, on database: any SQLDatabase) async throws
    -> [CreditDecision]
  {
    try await database.raw(
      "SELECT decision FROM sup_violations WHERE party = \(bind: party) ORDER BY decided_at, seq"
    ).all().map {
      try JSONDecoder().decode(
        CreditDecision.self, from: Data(try $0.decode(column: "decision", as: String.self).utf8))
    }
  }

  /// The decisions a department made, newest first (at most `limit`).
  static func decisions(byDepartment department: String, limit: Int, on database: any SQLDatabase)
    async throws -> [CreditDecision]
  {
    try await database.raw(
      "SELECT decision FROM sup_violations WHERE department = \(bind: department) ORDER BY seq DESC LIMIT \(bind: limit)"
    ).all().map {
      try JSONDecoder().decode(
        CreditDecision.self, from: Data(try $0.decode(column: "decision", as: String.self).utf8))
    }
  }
}
