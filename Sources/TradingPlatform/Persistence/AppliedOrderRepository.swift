import SQLKit
import ZhaocaiExchange
import ZhaocaiStore

/// The supervision orders a trading platform applied, each with the acknowledgement it sent, so
/// an order delivered again is acknowledged again and applied once.
enum AppliedOrderRepository {
  static func acknowledgement(of order: String, on database: any SQLDatabase) async throws
    -> String?
  {
    try await database.raw(
      "SELECT ack FROM supervision_orders WHERE order_id = \(bind: order)"
    ).first()?.decode(column: "ack", as: String.self)
  }

  static func record(
    _ order: String, section: String, acknowledgement: String, at now: Int64,
    on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO supervision_orders (order_id, section_id, ack, applied_at) VALUES (\(bind: order), \(bind: section), \(bind: acknowledgement), \(bind: now))"
    ).run()
  }
}
