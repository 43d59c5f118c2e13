import Crypto
import Foundation
import HubClient
import Logging
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Where this platform sends its messages and how it signs them (docs/EXCHANGE.md).
public struct ExchangeLink: Sendable {
  /// This platform's id at the hub.
  public let platformID: String
  public let key: Curve25519.Signing.PrivateKey
  /// The hub's API base, e.g. http://127.0.0.1:8090/api/v1.
  public let hub: String
  /// The hub's public key (that of its log's checkpoints), which its registry snapshots must be
  /// signed with; without it the platform copies nothing from the hub.
  public let hubKey: Curve25519.Signing.PublicKey?

  public init(
    platformID: String, key: Curve25519.Signing.PrivateKey, hub: String,
    hubKey: Curve25519.Signing.PublicKey? = nil
  ) {
    self.platformID = platformID
    self.key = key
    self.hub = hub.hasSuffix("/") ? String(hub.dropLast()) : hub
    self.hubKey = hubKey
  }
}

extension ExchangeLink {
  /// The relay of this platform's outbox to the hub, or to the supervision platform
  /// `supervision` (each disclosed what its audience may learn, `ExchangeDisclosure`).
  func outbox(of platform: TradingPlatform, to supervision: SupervisionLink? = nil)
    -> OutboxRelay
  {
    let clock = platform.clock
    let (audience, recipient): (ExchangeDisclosure.Audience, String) =
      supervision.map { (.supervision, $0.platformID) } ?? (.hub, ExchangeMessage.hub)
    return OutboxRelay(
      store: platform.store, sender: platformID, recipient: recipient, key: key,
      now: { clock.now() },
      disclose: { ExchangeDisclosure.message(topic: $0, payload: $1, to: audience) })
  }
}

/// The relay of the transactional outbox: each pending row becomes a signed message whose
/// sequence is its log index + 1 (gapless, in commit order), disclosing only the public record
/// (`ExchangeDisclosure`), sent to the hub until the hub has
/// it (applied, or a duplicate of what it applied). Delivery is at least once; the hub's inbox
/// makes it exactly once in effect. A failed round leaves every row pending for the next.
public struct ExchangeRelay: Sendable {
  public let platform: TradingPlatform
  public let link: ExchangeLink
  let logger: Logger

  public init(
    platform: TradingPlatform, link: ExchangeLink,
    logger: Logger = Logger(label: "zhaocai.relay")
  ) {
    self.platform = platform
    self.link = link
    self.logger = logger
  }

  /// Why a round failed.
  public typealias Failure = OutboxRelay.Failure

  /// One round: sends up to `batch` pending messages; returns how many the hub now holds.
  @discardableResult
  public func deliver(batch: Int = 200) async throws -> Int {
    let delivered = try await link.outbox(of: platform).deliver(
      to: try HubConnection(link.hub), batch: batch)
    platform.metrics.count("relay_delivered", by: delivered)
    return delivered
  }

  /// Publishes the log's current checkpoint at the hub with the consistency proof from the last
  /// one the hub holds; returns the size published (nil if the hub already has it).
  @discardableResult
  public func pushCheckpoint() async throws -> UInt64? {
    try await link.outbox(of: platform).pushCheckpoint(
      to: try HubConnection(link.hub), signer: platform.logSigner)
  }

  /// Copies the hub's registry, trust store and bans — which certificate sign-ins and bids are
  /// checked against (一地注册、全网通用; CA互认; 一处受罚、处处受限) — from one snapshot signed
  /// with the hub's key.
  @discardableResult
  public func syncRegistry() async throws -> PartyRegistry.Snapshot {
    let snapshot = try await HubConnection(link.hub).registry(key: link.hubKey)
    try await platform.store.transaction { database in
      try await RegistryCopyRepository.replaceParties(
        parties: snapshot.parties, authorities: snapshot.authorities, on: database)
      try await RegistryCopyRepository.replaceBans(with: snapshot.bans, on: database)
      try await RegistryCopyRepository.replaceViolations(with: snapshot.violations, on: database)
    }
    return snapshot
  }

  /// Delivers until nothing is pending or a round fails, backing off 1 s, 2 s … 60 s between
  /// failed rounds; runs until cancelled (the server's relay task). A round that has not ended
  /// within `roundLimit` is left behind and counts as failed: sending again is safe, and one
  /// stuck statement must not stop the platform's delivery for good.
  public func run(idle: Duration = .seconds(5), roundLimit: Duration = .seconds(30)) async {
    var backoff = Backoff()
    while !Task.isCancelled {
      do {
        let delivered = try await withDeadline(roundLimit) { try await self.round() }
        backoff.succeeded()
        if delivered == 0 { try? await Task.sleep(for: idle) }
      } catch {
        // A refusal (not yet approved, say) is the hub's answer, not a network failure.
        logger.notice(
          error is PeerRefusal
            ? "the hub refused this round; retrying"
            : error is RoundOverdue
              ? "the relay's round did not end in time; retrying"
              : "the hub is not reachable; retrying",
          metadata: ["error": "\(error)"])
        try? await Task.sleep(for: backoff.failed())
      }
    }
  }

  /// One round of the loop: supervision's share, then the hub's; when the hub has everything,
  /// the checkpoint, the registry and unacknowledged filings. Returns how many went to the hub.
  private func round() async throws -> Int {
    var supervisionIdle = false
    do {
      supervisionIdle = try await deliverToSupervision() == 0
    } catch {
      // Each receiver catches up when it is back; one being down holds up neither.
      logger.notice(
        error is PeerRefusal
          ? "the supervision platform refused this round"
          : "the supervision platform is not reachable", metadata: ["error": "\(error)"])
    }
    let delivered = try await deliver()
    guard delivered == 0 else { return delivered }
    if let size = try await pushCheckpoint() {
      logger.info("checkpoint published at the hub", metadata: ["size": "\(size)"])
    }
    try await syncRegistry()
    if supervisionIdle {
      do {
        try await resendUnacknowledgedFilings()
      } catch {
        logger.notice(
          "filings could not be sent again to the supervision platform",
          metadata: ["error": "\(error)"])
      }
    }
    return 0
  }
}

extension ExchangeLink {
  /// Asks the hub for a committee (专家资源共享): a signed `expert.draw.request`; the answer is
  /// the hub's record of the draw, which must recompute to what it says before it is used.
  func drawExperts(_ request: VerifiableDraw.Request, at now: Int64) async throws
    -> VerifiableDraw
  {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // The sequence of a request is its time: requests are not part of the log's stream.
    let signed = try SignedMessage.sign(
      ExchangeMessage(
        sender: platformID, recipient: ExchangeMessage.hub, sequence: UInt64(max(now, 0)),
        kind: "expert.draw.request",
        sentAt: now, payload: String(decoding: try encoder.encode(request), as: UTF8.self)),
      with: key)
    let draw: VerifiableDraw
    do {
      draw = try await HubConnection(hub).drawExperts(signed)
    } catch let refusal as PeerRefusal
      where (400..<500).contains(refusal.status)
      && Rules.all.contains(where: { $0.code == refusal.code })
    {
      // The hub refused by a rule (too few eligible experts, say): the same refusal as a local
      // draw's, not a failure of the hub. The hub states the rule before the detail, in Chinese
      // too; a hub that sent only the rule in Chinese leaves the detail to the English.
      let rule = Rules.all.first(where: { $0.code == refusal.code })!
      let stated = refusal.english.isEmpty ? "refused by the hub" : refusal.english
      let chinesePrefix = "\(rule.chinese)（\(rule.article)）："
      throw DomainError.rule(
        RuleViolation(
          rule,
          stated.hasPrefix(rule.english + ": ")
            ? String(stated.dropFirst(rule.english.count + 2)) : stated,
          chinese: refusal.chinese.hasPrefix(chinesePrefix)
            ? String(refusal.chinese.dropFirst(chinesePrefix.count)) : nil))
    } catch let refusal as PeerRefusal {
      throw Problem.hubDrawFailed(status: refusal.status)
    }
    guard draw.request == signed, try draw.recomputes(requestedBy: key.publicKey) else {
      throw Problem.hubDrawFailed(status: 201)
    }
    return draw
  }
}

extension Problem {
  static func hubDrawFailed(status: Int) -> Problem {
    Problem(
      status: 502, code: "HUB_DRAW_FAILED", article: nil,
      english: "the hub's expert draw failed (status \(status)) or does not recompute",
      chinese: "公共服务平台专家抽取失败或抽取结果无法复核")
  }
}
