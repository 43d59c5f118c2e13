import Foundation
import HubClient
import Logging
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// The supervision platform's own exchange with the hub: its log goes there like every
/// platform's (gapless, signed, checkpointed), disclosing what is published — credit decisions,
/// complaint rulings, orders and key share releases — and withholding the rest (who complained before a ruling, the
/// orders' answers, the supervisors' work). Pending orders are sent again, and due key shares
/// released, on the same loop.
public struct SupervisionRelay: Sendable {
  public let platform: SupervisionPlatform
  let logger: Logger

  public init(
    platform: SupervisionPlatform, logger: Logger = Logger(label: "zhaocai.supervision.relay")
  ) {
    self.platform = platform
    self.logger = logger
  }

  static let published: [String: String] = [
    CreditDecision.messageKind: CreditDecision.messageKind,
    "complaint.ruled": "complaint.ruled",
    // Published as a record, not as a deliverable order (whose kind is `orderKind`).
    "order.issued": "order.issued",
    "share.released": "share.released",
  ]

  var outbox: OutboxRelay {
    OutboxRelay(
      store: platform.store, sender: platform.platformID, recipient: ExchangeMessage.hub,
      key: platform.key, now: platform.now,
      disclose: { topic, payload in
        Self.published[topic].map { ($0, payload) } ?? ("withheld", "{}")
      })
  }

  /// One round: sends up to `batch` pending messages to the hub; returns how many it holds.
  @discardableResult
  public func deliver(batch: Int = 200) async throws -> Int {
    guard let hub = platform.hub else { return 0 }
    return try await outbox.deliver(to: try HubConnection(hub), batch: batch)
  }

  /// Publishes this platform's checkpoint at the hub, with the consistency proof.
  @discardableResult
  public func pushCheckpoint() async throws -> UInt64? {
    guard let hub = platform.hub else { return nil }
    return try await outbox.pushCheckpoint(
      to: try HubConnection(hub), signer: platform.logSigner)
  }

  /// Sends orders and messages until cancelled, backing off while the hub is down.
  public func run(idle: Duration = .seconds(5)) async {
    var backoff = Backoff()
    while !Task.isCancelled {
      await platform.deliverPendingOrders()
      await platform.releaseDueShares()
      do {
        let delivered = try await deliver()
        if delivered == 0 { try await pushCheckpoint() }
        backoff.succeeded()
        if delivered == 0 { try? await Task.sleep(for: idle) }
      } catch {
        // A refusal (not yet approved, say) is the hub's answer, not a network failure.
        logger.notice(
          error is PeerRefusal
            ? "the hub refused this round; retrying" : "the hub is not reachable; retrying",
          metadata: ["error": "\(error)"])
        try? await Task.sleep(for: backoff.failed())
      }
    }
  }
}
