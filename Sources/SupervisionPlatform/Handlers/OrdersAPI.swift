import Crypto
import Foundation
import OpenAPIRuntime
import SQLKit
import TradingClient
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// 监督指令: an order on a process in the supervisor's remit is logged, signed and sent to the
/// trading platform, which applies it and answers with an acknowledgement it signs; the answer
/// is kept. An order the trading platform cannot be reached for stays pending and is sent again.
extension SupervisionAPI {
  func issueOrder(_ input: Operations.issueOrder.Input) async throws
    -> Operations.issueOrder.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw SupervisionProblem.badBody }
      guard let kind = SupervisionOrder.Kind(rawValue: body.kind.rawValue) else {
        throw DomainError.invalid(
          "no order kind \(body.kind.rawValue)", chinese: "无法识别的监督指令类型：\(body.kind.rawValue)")
      }
      let issued = try await platform.issue(
        kind: kind, platform: body.platform, section: body.section, reason: body.reason,
        legalGround: body.legalGround, by: try SupervisionCaller.current.require())
      return .created(.init(body: .json(Self.view(issued))))
    }
  }

  /// A second supervisor of the issuing department confirms a termination; then it is sent.
  func confirmOrder(_ input: Operations.confirmOrder.Input) async throws
    -> Operations.confirmOrder.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let now = platform.now()
      let (order, trading) = try await platform.store.transaction {
        database -> (SupervisionOrder, String) in
        guard let issued = try await IssuedOrderRepository.find(input.path.orderID, on: database),
          issued.order.department == supervisor.department.id
        else { throw SupervisionProblem.notInRemit("order \(input.path.orderID)") }
        guard issued.status == .awaitingConfirmation else {
          throw DomainError.invalid(
            "order \(issued.order.id) awaits no confirmation",
            chinese: "监督指令\(issued.order.id)无需确认")
        }
        guard issued.order.issuedBy != supervisor.id else {
          throw ProblemDetails(
            status: 409, code: "ORDER_NEEDS_SECOND_SUPERVISOR",
            english:
              "a termination is confirmed by a second supervisor of the department, not its issuer",
            chinese: "终止指令须由本部门另一名监督人员确认，签发人不能自行确认")
        }
        var confirmed = issued.order
        confirmed.confirmedBy = supervisor.id
        let order = try confirmed.confirmedForDelivery()
        try await IssuedOrderRepository.confirm(order, on: database)
        try await SupervisionPlatform.log(
          "order.confirmed", ["order": order.id, "confirmedBy": supervisor.id], at: now,
          on: database)
        return (order, issued.platform)
      }
      return .ok(.init(body: .json(Self.view(await platform.deliverInOrder(order, to: trading)))))
    }
  }
}

extension SupervisionAPI {
  func listOrders(_ input: Operations.listOrders.Input) async throws
    -> Operations.listOrders.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let issued = try await platform.store.transaction {
        try await IssuedOrderRepository.issued(
          by: supervisor.department.id, limit: 500, on: $0)
      }
      return .ok(.init(body: .json(issued.map(Self.view))))
    }
  }
}

extension Operations.listOrders.Output: ProblemAnswerable {}
extension Operations.issueOrder.Output: ProblemAnswerable {}
extension Operations.confirmOrder.Output: ProblemAnswerable {}
