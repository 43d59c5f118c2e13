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

  /// Delivers the process's pending orders oldest first, up to `order`: a suspension that could
  /// not be sent goes before the resumption issued after it, never after. If an earlier one
  /// cannot be delivered now, the rest stay pending for the relay.
  func deliverInOrder(_ order: SupervisionOrder, to trading: String) async
    -> IssuedOrderRepository.Issued
  {
    let waiting =
      (try? await store.transaction {
        try await IssuedOrderRepository.orders(platform: trading, section: order.section, on: $0)
      })?.filter { $0.status == .pending } ?? []
    for earlier in waiting {
      // Unreachable now: the relay sends it again; it and later ones stay pending meanwhile.
      guard let answered = try? await deliver(earlier.order, to: trading) else { break }
      if earlier.order.id == order.id { return answered }
    }
    return IssuedOrderRepository.Issued(
      order: order, platform: trading, status: .pending, answer: nil, answeredAt: nil)
  }

  /// Sends one order and keeps the answer: a verified acknowledgement, or the refusal.
  @discardableResult
  func deliver(_ order: SupervisionOrder, to trading: String) async throws
    -> IssuedOrderRepository.Issued
  {
    guard
      let peer = try await store.transaction({
        try await TrackingRepository.platform(trading, on: $0)
      }),
      let raw = Data(base64Encoded: peer.publicKey)
    else { throw ExchangeError.unknownSender(trading) }
    let peerKey = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
    let now = now()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let signed = try SignedMessage.sign(
      ExchangeMessage(
        sender: platformID, recipient: trading, sequence: UInt64(max(order.issuedAt, 1)),
        kind: SupervisionMessages.orderKind, sentAt: now,
        payload: String(decoding: try encoder.encode(order), as: UTF8.self)), with: key)
    // A proxy's or gateway's answer, a timeout, a 5xx is thrown: the relay sends it again later.
    let answer: String
    let outcome: IssuedOrderRepository.Issued.Status
    switch try await TradingConnection(peer.endpoint).deliverOrder(signed) {
    case .acknowledged(let acknowledgement):
      // The acknowledgement must be the trading platform's, about this order.
      let message = try acknowledgement.verified(with: peerKey, for: platformID)
      let stated = try JSONDecoder().decode(
        SupervisionMessages.Acknowledgement.self, from: Data(message.payload.utf8))
      guard message.sender == trading, message.kind == SupervisionMessages.acknowledgementKind,
        stated.order == order.id
      else { throw ExchangeError.malformed("the acknowledgement is not for \(order.id)") }
      answer = String(decoding: try encoder.encode(acknowledgement), as: UTF8.self)
      outcome = .acknowledged
    case .refused(let refusal):
      // Refused by the trading platform itself, with its reason: final.
      answer = String(decoding: try encoder.encode(RefusalText(refusal)), as: UTF8.self)
      outcome = .refused
    }
    try await store.transaction { database in
      try await IssuedOrderRepository.answer(
        order.id, status: outcome, answer: answer, at: now, on: database)
      try await Self.log(
        "order.answered", ["order": order.id, "status": outcome.rawValue, "answer": answer],
        at: now, on: database)
    }
    return IssuedOrderRepository.Issued(
      order: order, platform: trading, status: outcome, answer: answer, answeredAt: now)
  }

  /// Sends every pending order again, each process's in the order issued (stopping at the first
  /// that cannot be sent); returns how many got an answer.
  @discardableResult
  public func deliverPendingOrders() async -> Int {
    let pending =
      (try? await store.transaction { try await IssuedOrderRepository.pending(on: $0) })
      ?? []
    var answered = 0
    var blocked: Set<String> = []
    for issued in pending {
      let process = issued.platform + "/" + issued.order.section
      guard !blocked.contains(process) else { continue }
      if (try? await deliver(issued.order, to: issued.platform)) != nil {
        answered += 1
      } else {
        blocked.insert(process)
      }
    }
    return answered
  }
}

extension Operations.issueOrder.Output: ProblemAnswerable {}
extension Operations.confirmOrder.Output: ProblemAnswerable {}

/// A trading platform's refusal of an order, as the order keeps it (its problem's fields).
private struct RefusalText: Encodable {
  let status: Int
  let code: String
  let detail: String
  let detailChinese: String

  init(_ refusal: PeerRefusal) {
    status = refusal.status
    code = refusal.code
    detail = refusal.english
    detailChinese = refusal.chinese
  }
}
