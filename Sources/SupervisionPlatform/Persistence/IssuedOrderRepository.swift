import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// Supervision orders (监督指令) as the supervision platform issued them: waiting to be delivered,
/// acknowledged by the trading platform (its signed answer kept), or refused by it.
enum IssuedOrderRepository {
  /// An order and what became of it.
  struct Issued: Sendable, Equatable {
    enum Status: String, Sendable {
      /// A termination issued by one supervisor, waiting for a second to confirm it.
      case awaitingConfirmation
      case pending, acknowledged, refused
    }

    let order: SupervisionOrder
    let platform: String
    let status: Status
    /// The trading platform's signed acknowledgement, or its refusal (problem+json).
    let answer: String?
    let answeredAt: Int64?
  }

  static func issue(
    _ order: SupervisionOrder, platform: String, status: Issued.Status = .pending,
    on database: any SQLDatabase
  ) async throws {
    let body = String(decoding: try JSONEncoder().encode(order), as: UTF8.self)
    try await database.raw(
      "INSERT INTO sup_orders (id, platform, section, department, body, status, issued_at, seq) VALUES (\(bind: order.id), \(bind: platform), \(bind: order.section), \(bind: order.department), \(bind: body), \(bind: status.rawValue), \(bind: order.issuedAt), (SELECT COALESCE(MAX(seq), 0) + 1 FROM sup_orders))"
    ).run()
  }

  /// A termination confirmed: its body now names the confirming supervisor, and it is sent.
  static func confirm(_ order: SupervisionOrder, on database: any SQLDatabase) async throws {
    let body = String(decoding: try JSONEncoder().encode(order), as: UTF8.self)
    try await database.raw(
      "UPDATE sup_orders SET body = \(bind: body), status = 'pending' WHERE id = \(bind: order.id) AND status = 'awaitingConfirmation'"
    ).run()
  }

  static func answer(
    _ id: String, status: Issued.Status, answer: String, at now: Int64,
    on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "UPDATE sup_orders SET status = \(bind: status.rawValue), answer = \(bind: answer), answered_at = \(bind: now) WHERE id = \(bind: id)"
    ).run()
  }

  static func pending(on database: any SQLDatabase) async throws -> [Issued] {
    try await select("WHERE status = 'pending' ORDER BY seq, id", on: database)
  }

  static func find(_ id: String, on database: any SQLDatabase) async throws -> Issued? {
    try await select("WHERE id = \(bind: id)", on: database).first
  }

  /// The orders on one process, oldest first.
  static func orders(
    platform: String, section: String, on database: any SQLDatabase
  ) async throws -> [Issued] {
    try await select(
      "WHERE platform = \(bind: platform) AND section = \(bind: section) ORDER BY seq, id",
      on: database)
  }

  /// The orders a department issued, newest first (at most `limit`).
  static func issued(by department: String, limit: Int, on database: any SQLDatabase)
    async throws -> [Issued]
  {
    try await select(
      "WHERE department = \(bind: department) ORDER BY seq DESC LIMIT \(bind: limit)", on: database)
  }

  private static func select(_ clause: SQLQueryString, on database: any SQLDatabase) async throws
    -> [Issued]
  {
    try await database.raw(
      "SELECT platform, body, status, answer, answered_at FROM sup_orders " + clause
    ).all().map {
      Issued(
        order: try JSONDecoder().decode(
          SupervisionOrder.self, from: Data(try $0.decode(column: "body", as: String.self).utf8)),
        platform: try $0.decode(column: "platform", as: String.self),
        status: Issued.Status(rawValue: try $0.decode(column: "status", as: String.self))
          ?? .pending,
        answer: try $0.decode(column: "answer", as: String?.self),
        answeredAt: try $0.decode(column: "answered_at", as: Int64?.self))
    }
  }
}
