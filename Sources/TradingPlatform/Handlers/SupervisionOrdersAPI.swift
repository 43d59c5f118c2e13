import Foundation
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// 监督指令 received: an order signed by the supervision platform is applied to its section (the
/// only change a suspended section accepts), logged with the supervisor as operator, and answered
/// with an acknowledgement this platform signs. An order delivered again gets the same answer.
extension TradingAPI {
  func receiveSupervisionOrder(_ input: Operations.receiveSupervisionOrder.Input) async throws
    -> Operations.receiveSupervisionOrder.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      guard let supervision = platform.supervision, let link = platform.exchange else {
        throw Problem(
          status: 404, code: "NOT_SUPERVISED", article: nil,
          english: "this platform reports to no supervision platform",
          chinese: "本平台未接入行政监督平台")
      }
      let message = try SignedMessage(message: body.message, signature: body.signature)
        .verified(with: supervision.key, for: link.platformID)
      guard message.sender == supervision.platformID,
        message.kind == SupervisionMessages.orderKind
      else { throw ExchangeError.malformed("not a supervision order of \(supervision.platformID)") }
      let order = try JSONDecoder().decode(
        SupervisionOrder.self, from: Data(message.payload.utf8)
      ).validated()
      let now = platform.clock.now()
      let supervisor = Operator(
        account: order.issuedBy, role: "supervisor", address: supervision.platformID)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let acknowledgement = try await platform.store.transaction { database in
        if let sent = try await AppliedOrderRepository.acknowledgement(
          of: order.id, on: database)
        {
          return sent
        }
        let applied = try await SectionStore.apply(
          order.section, at: now, by: supervisor, on: database, bySupervisionOrder: true
        ) { try $0.apply(order, at: now) }
        let section = applied.transition.section
        let acknowledgement = String(
          decoding: try encoder.encode(
            SupervisionMessages.Acknowledgement(
              order: order.id, section: order.section, appliedAt: now,
              logIndex: applied.logIndices.first ?? 0, phase: section.phase.rawValue,
              suspended: section.suspendingOrder != nil)), as: UTF8.self)
        try await AppliedOrderRepository.record(
          order.id, section: order.section, acknowledgement: acknowledgement, at: now,
          on: database)
        return acknowledgement
      }
      // The acknowledgement's sequence is its time: acknowledgements are answers, not part of
      // the log's stream.
      let signed = try SignedMessage.sign(
        ExchangeMessage(
          sender: link.platformID, recipient: supervision.platformID, sequence: UInt64(max(now, 1)),
          kind: SupervisionMessages.acknowledgementKind, sentAt: now, payload: acknowledgement),
        with: link.key)
      return .ok(.init(body: .json(.init(message: signed.message, signature: signed.signature))))
    }
  }
}

extension Operations.receiveSupervisionOrder.Output: ProblemAnswerable {}
