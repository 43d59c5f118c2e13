import Crypto
import Foundation
import OpenAPIRuntime
import SQLKit
import TradingClient
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Supervision orders issued on processes in a supervisor's remit, and their answers recorded.
extension SupervisionPlatform {
  /// Issues an order on a process in the supervisor's remit and tries to deliver it at once.
  func issue(
    kind: SupervisionOrder.Kind, platform trading: String, section: String, reason: String,
    legalGround: String? = nil, by supervisor: Supervisor
  ) async throws -> IssuedOrderRepository.Issued {
    let order = try await store.transaction { database in
      try await record(
        kind: kind, platform: trading, section: section, reason: reason,
        legalGround: legalGround, by: supervisor, on: database)
    }
    // Termination is irreversible: it waits for a second supervisor's confirmation.
    guard kind != .terminate else {
      return IssuedOrderRepository.Issued(
        order: order, platform: trading, status: .awaitingConfirmation, answer: nil,
        answeredAt: nil)
    }
    return await deliverInOrder(order, to: trading)
  }

  /// Records and logs an order on a process in the supervisor's remit, in the caller's
  /// transaction (with the complaint step that calls for it, say); it is delivered afterwards.
  func record(
    kind: SupervisionOrder.Kind, platform trading: String, section: String, reason: String,
    legalGround: String? = nil, by supervisor: Supervisor, on database: any SQLDatabase
  ) async throws -> SupervisionOrder {
    let now = now()
    let order = try SupervisionOrder(
      id: "ZL-\(now)-" + String(UInt32.random(in: 0...UInt32.max), radix: 16), section: section,
      kind: kind, reason: reason, department: supervisor.department.id, issuedBy: supervisor.id,
      issuedAt: now, legalGround: legalGround
    ).validated()
    _ = try await process(trading, section, of: supervisor, on: database)
    try await IssuedOrderRepository.issue(
      order, platform: trading, status: kind == .terminate ? .awaitingConfirmation : .pending,
      on: database)
    try await Self.log("order.issued", order, at: now, on: database)
    return order
  }
}
