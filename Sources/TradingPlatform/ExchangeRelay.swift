import Crypto
import Foundation
import Logging
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

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
  /// The signed message an outbox row becomes: its sequence is the row's log index + 1, and it
  /// discloses only the public record (`HubDisclosure`).
  func message(for row: Outbox.Message, at now: Int64) throws -> SignedMessage {
    let disclosed = HubDisclosure.message(topic: row.topic, payload: row.payload)
    return try SignedMessage.sign(
      ExchangeMessage(
        sender: platformID, sequence: row.logIndex + 1, kind: disclosed.kind, sentAt: now,
        payload: disclosed.payload), with: key)
  }
}

/// The relay of the transactional outbox: each pending row becomes a signed message whose
/// sequence is its log index + 1 (gapless, in commit order), disclosing only the public record
/// (`HubDisclosure`), sent to the hub until the hub has
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

  /// The hub's answer, or why a round failed.
  public enum Failure: Error, Sendable, Equatable {
    case unreachable(String)
    case refused(status: Int)
    /// The hub's snapshot is not signed with the hub's key (or no key is known).
    case unsigned
  }

  /// One round: sends up to `batch` pending messages; returns how many the hub now holds.
  @discardableResult
  public func deliver(batch: Int = 200) async throws -> Int {
    let pending = try await platform.store.transaction {
      try await Outbox.pending(limit: batch, on: $0)
    }
    guard !pending.isEmpty else { return 0 }
    let now = platform.clock.now()
    let signed = try pending.map { try link.message(for: $0, at: now) }
    var request = URLRequest(url: URL(string: link.hub + "/exchange/messages")!)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "content-type")
    request.httpBody = try JSONEncoder().encode(signed)
    let (data, status) = try await exchange(request)
    guard status == 200,
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let results = object["results"] as? [[String: Any]], results.count == pending.count
    else { throw Failure.refused(status: status) }
    var delivered = 0
    try await platform.store.transaction { database in
      for (row, result) in zip(pending, results) {
        switch result["status"] as? String {
        case "applied", "duplicate":
          try await Outbox.markDelivered(row.sequence, at: now, on: database)
          delivered += 1
        case "refused":
          logger.warning(
            "the hub refused a message",
            metadata: [
              "sequence": "\(row.logIndex + 1)", "code": "\(result["code"] as? String ?? "")",
            ])
        default:
          break  // held: the hub waits for an earlier one, which this or a later round sends
        }
      }
    }
    return delivered
  }

  /// Publishes the log's current checkpoint at the hub with the consistency proof from the last
  /// one the hub holds; returns the size published (nil if the hub already has it).
  @discardableResult
  public func pushCheckpoint() async throws -> UInt64? {
    let held = try await send(
      "GET", "/checkpoints?platform=\(link.platformID)", body: nil, expecting: 200)
    let sizes = (held as? [[String: Any]] ?? []).compactMap {
      ($0["size"] as? NSNumber)?.uint64Value
    }
    let last = sizes.max() ?? 0
    let signer = platform.logSigner
    let now = platform.clock.now()
    let (size, note, proof) = try await platform.store.transaction { database in
      let size = try await PersistentLog.size(on: database)
      let proof =
        last > 0 && last < size
        ? try await PersistentLog.consistencyProof(from: last, to: size, on: database) : []
      return (size, try await Receipts.checkpoint(signer: signer, at: now, on: database), proof)
    }
    guard size > last else { return nil }
    try await send(
      "POST", "/checkpoints",
      body: ["platform": link.platformID, "checkpoint": note, "proof": proof.map(\.base64)],
      expecting: 201)
    return size
  }

  /// Copies the hub's registry, trust store and bans — which certificate sign-ins and bids are
  /// checked against (一地注册、全网通用; CA互认; 一处受罚、处处受限) — from one snapshot signed
  /// with the hub's key.
  @discardableResult
  public func syncRegistry() async throws -> PartyRegistry.Snapshot {
    guard let hubKey = link.hubKey else { throw Failure.unsigned }
    var request = URLRequest(url: URL(string: link.hub + "/registry")!)
    request.httpMethod = "GET"
    let (data, status) = try await exchange(request)
    guard status == 200 else { throw Failure.refused(status: status) }
    guard let signed = try? JSONDecoder().decode(SignedMessage.self, from: data),
      let message = try? signed.verified(with: hubKey),
      message.sender == "hub", message.kind == "registry.snapshot",
      let snapshot = try? JSONDecoder().decode(
        PartyRegistry.Snapshot.self, from: Data(message.payload.utf8))
    else { throw Failure.unsigned }
    try await platform.store.transaction { database in
      try await PartyRegistry.replaceCopy(
        parties: snapshot.parties, authorities: snapshot.authorities, on: database)
      try await BanRepository.replaceCopy(with: snapshot.bans, on: database)
    }
    return snapshot
  }

  @discardableResult
  private func send(_ method: String, _ path: String, body: Any?, expecting: Int) async throws
    -> Any?
  {
    var request = URLRequest(url: URL(string: link.hub + path)!)
    request.httpMethod = method
    if let body {
      request.setValue("application/json", forHTTPHeaderField: "content-type")
      request.httpBody = try JSONSerialization.data(withJSONObject: body)
    }
    let (data, status) = try await exchange(request)
    guard status == expecting else { throw Failure.refused(status: status) }
    return try? JSONSerialization.jsonObject(with: data)
  }

  /// Sends a request to the hub: its answer and status, or `unreachable`.
  private func exchange(_ request: URLRequest) async throws -> (Data, Int) {
    do {
      let (data, response) = try await URLSession.shared.data(for: request)
      return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
    } catch {
      throw Failure.unreachable("\(error)")
    }
  }

  /// Delivers until nothing is pending or a round fails, backing off 1 s, 2 s … 60 s between
  /// failed rounds; runs until cancelled (the server's relay task).
  public func run(idle: Duration = .seconds(5)) async {
    var backoff: Duration = .seconds(1)
    while !Task.isCancelled {
      do {
        let delivered = try await deliver()
        if delivered == 0 {
          try await pushCheckpoint()
          try await syncRegistry()
        }
        backoff = .seconds(1)
        if delivered == 0 { try? await Task.sleep(for: idle) }
      } catch {
        logger.notice("the hub is not reachable; retrying", metadata: ["error": "\(error)"])
        try? await Task.sleep(for: backoff)
        backoff = min(backoff * 2, .seconds(60))
      }
    }
  }
}

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
      let after = UInt64(max(0, input.query.after))
      let limit = input.query.limit ?? 500
      // Sequence n carries log index n - 1.
      let rows = try await platform.store.transaction {
        try await Outbox.since(logIndex: after, limit: limit, on: $0)
      }
      let now = platform.clock.now()
      return .ok(
        .init(
          body: .json(
            try rows.map {
              let signed = try link.message(for: $0, at: now)
              return .init(message: signed.message, signature: signed.signature)
            })))
    }
  }
}

extension Operations.listExchangeMessages.Output: ProblemAnswerable {}

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
        sender: platformID, sequence: UInt64(max(now, 0)), kind: "expert.draw.request",
        sentAt: now, payload: String(decoding: try encoder.encode(request), as: UTF8.self)),
      with: key)
    var call = URLRequest(url: URL(string: hub + "/experts/draws")!)
    call.httpMethod = "POST"
    call.setValue("application/json", forHTTPHeaderField: "content-type")
    call.httpBody = try JSONEncoder().encode(signed)
    let (data, response) = try await URLSession.shared.data(for: call)
    guard (response as? HTTPURLResponse)?.statusCode == 201,
      let draw = try? JSONDecoder().decode(VerifiableDraw.self, from: data),
      draw.request == signed, try draw.recomputes(requestedBy: key.publicKey)
    else {
      throw Problem(
        status: 502, code: "HUB_DRAW_FAILED", article: nil,
        english: "the hub's expert draw failed or does not recompute: "
          + String(decoding: data.prefix(300), as: UTF8.self),
        chinese: "公共服务平台专家抽取失败或抽取结果无法复核")
    }
    return draw
  }
}
