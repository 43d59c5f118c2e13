import Crypto
import Foundation
import HubClient
import Logging
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// A receiver fetching back a gap: the messages as the relay sends them, from a sequence on.
extension TradingAPI {
  func listExchangeMessages(_ input: Operations.listExchangeMessages.Input) async throws
    -> Operations.listExchangeMessages.Output
  {
    await answering {
      guard let link = platform.exchange else {
        throw Problem(
          status: 404, code: "NOT_LINKED", article: nil,
          english: "this platform does not send to a hub", chinese: "本平台未接入公共服务平台")
      }
      let after = UInt64(Paging.position(input.query.after))
      let limit = Paging.limit(input.query.limit, default: 500, max: 1000)
      // Sequence n carries log index n - 1.
      let rows = try await platform.store.transaction {
        try await Outbox.since(logIndex: after, limit: limit, on: $0)
      }
      let now = platform.clock.now()
      let outbox = link.outbox(of: platform)
      return .ok(
        .init(
          body: .json(
            try rows.map {
              let signed = try outbox.message(for: $0, at: now)
              return .init(message: signed.message, signature: signed.signature)
            })))
    }
  }
}

extension Operations.listExchangeMessages.Output: ProblemAnswerable {}
