import Crypto
import Foundation
import OpenAPIRuntime
import SQLKit
import TradingClient
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Orders delivered to the trading platform they are addressed to, in the order issued.
extension SupervisionPlatform {
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
