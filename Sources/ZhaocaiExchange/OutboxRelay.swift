import Crypto
import Foundation
import ZhaocaiCrypto
import ZhaocaiStore

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// How a platform's log leaves it (docs/EXCHANGE.md): each outbox row becomes a signed message
/// whose sequence is its log index + 1 (gapless, in commit order), disclosing only what the
/// receiver may learn. Delivery is at least once; the receiver's inbox makes it exactly once in
/// effect. Every platform — trading or supervision — relays through this.
public struct OutboxRelay: Sendable {
  /// Why a round failed.
  public enum Failure: Error, Sendable, Equatable {
    case unreachable(String)
    case refused(status: Int)
    /// A snapshot not signed with the key it must be signed with (or no key is known).
    case unsigned
  }

  public let store: Store
  /// The sending platform's id at the hub, and the key its messages are signed with.
  public let sender: String
  /// Whom the messages are addressed to (`ExchangeMessage.recipient`): one relay per receiver.
  public let recipient: String
  public let key: Curve25519.Signing.PrivateKey
  public let now: @Sendable () -> Int64
  /// The kind and payload the receiver gets for a row's topic and payload.
  public let disclose:
    @Sendable (_ topic: String, _ payload: String) -> (kind: String, payload: String)

  public init(
    store: Store, sender: String, recipient: String, key: Curve25519.Signing.PrivateKey,
    now: @escaping @Sendable () -> Int64,
    disclose: @escaping @Sendable (String, String) -> (kind: String, payload: String)
  ) {
    self.store = store
    self.sender = sender
    self.recipient = recipient
    self.key = key
    self.now = now
    self.disclose = disclose
  }

  /// The signed message an outbox row becomes.
  public func message(for row: Outbox.Message, at now: Int64) throws -> SignedMessage {
    let disclosed = disclose(row.topic, row.payload)
    return try SignedMessage.sign(
      ExchangeMessage(
        sender: sender, recipient: recipient, sequence: row.logIndex + 1, kind: disclosed.kind,
        sentAt: now,
        payload: disclosed.payload), with: key)
  }

  /// Sends up to `batch` undelivered rows to `base`'s inbox and marks those it holds (applied,
  /// or a duplicate of what it applied); a failed round leaves every row pending for the next.
  @discardableResult
  public func deliver(to base: String, batch: Int = 200) async throws -> Int {
    let pending = try await store.transaction { try await Outbox.pending(limit: batch, on: $0) }
    guard !pending.isEmpty else { return 0 }
    let now = now()
    let results = try await post(pending, to: base, at: now)
    return try await store.transaction { database in
      var delivered = 0
      for (row, result) in zip(pending, results) {
        switch result["status"] as? String {
        case "applied", "duplicate":
          try await Outbox.markDelivered(row.sequence, at: now, on: database)
          delivered += 1
        default:
          break  // refused (the receiver keeps its reason) or held behind an earlier one
        }
      }
      return delivered
    }
  }

  /// Sends up to `batch` rows after the position `base` reports for this sender
  /// (`GET /exchange/senders/{id}`), delivered to others or not: a second receiver needs no
  /// state here. Each result is handed to `answered`; returns how many it applied.
  @discardableResult
  public func deliverFromPosition(
    to base: String, batch: Int = 200,
    answered: ([String: Any]) async throws -> Void = { _ in }
  ) async throws -> Int {
    var ask = URLRequest(url: try Self.url(base, "/exchange/senders/\(sender)"))
    ask.httpMethod = "GET"
    let (held, status) = try await Self.exchange(ask)
    guard status == 200,
      let state = try? JSONSerialization.jsonObject(with: held) as? [String: Any],
      let applied = (state["lastApplied"] as? NSNumber)?.uint64Value
    else { throw Failure.refused(status: status) }
    // Sequence n carries log index n - 1, so the next after `applied` is log index `applied`.
    let rows = try await store.transaction {
      try await Outbox.since(logIndex: applied, limit: batch, on: $0)
    }
    guard !rows.isEmpty else { return 0 }
    let results = try await post(rows, to: base, at: now())
    try await Self.handOn(results, to: answered)
    return results.count { $0["status"] as? String == "applied" }
  }

  /// Sends the rows at `logIndices` again (a receiver answers `duplicate` for what it applied,
  /// with what it answered then), handing each result to `answered`.
  public func resend(
    logIndices: [UInt64], to base: String, answered: ([String: Any]) async throws -> Void
  ) async throws {
    let rows = try await store.transaction { database in
      var rows: [Outbox.Message] = []
      for index in logIndices {
        rows += try await Outbox.since(logIndex: index, limit: 1, on: database)
          .filter { $0.logIndex == index }
      }
      return rows
    }
    guard !rows.isEmpty else { return }
    try await Self.handOn(try await post(rows, to: base, at: now()), to: answered)
  }

  /// Every answer is handed on even if one cannot be taken, and the first failure is reported.
  private static func handOn(
    _ results: [[String: Any]], to answered: ([String: Any]) async throws -> Void
  ) async throws {
    var failure: (any Error)?
    for result in results {
      do { try await answered(result) } catch { failure = failure ?? error }
    }
    if let failure { throw failure }
  }

  private func post(_ rows: [Outbox.Message], to base: String, at now: Int64) async throws
    -> [[String: Any]]
  {
    let signed = try rows.map { try message(for: $0, at: now) }
    var request = URLRequest(url: try Self.url(base, "/exchange/messages"))
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "content-type")
    request.httpBody = try JSONEncoder().encode(signed)
    let (data, status) = try await Self.exchange(request)
    guard status == 200,
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let results = object["results"] as? [[String: Any]], results.count == rows.count
    else { throw Failure.refused(status: status) }
    return results
  }

  /// Publishes the log's current checkpoint at the hub with the consistency proof from the last
  /// one the hub holds; returns the size published (nil if the hub already has it).
  @discardableResult
  public func pushCheckpoint(to hub: String, signer: NoteSigner) async throws -> UInt64? {
    var ask = URLRequest(url: try Self.url(hub, "/checkpoints?platform=\(sender)"))
    ask.httpMethod = "GET"
    let (data, status) = try await Self.exchange(ask)
    guard status == 200 else { throw Failure.refused(status: status) }
    let held = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
    let last = held.compactMap { ($0["size"] as? NSNumber)?.uint64Value }.max() ?? 0
    let now = now()
    let (size, note, proof) = try await store.transaction { database in
      let size = try await PersistentLog.size(on: database)
      let proof =
        last > 0 && last < size
        ? try await PersistentLog.consistencyProof(from: last, to: size, on: database) : []
      return (size, try await Receipts.checkpoint(signer: signer, at: now, on: database), proof)
    }
    guard size > last else { return nil }
    var publish = URLRequest(url: try Self.url(hub, "/checkpoints"))
    publish.httpMethod = "POST"
    publish.setValue("application/json", forHTTPHeaderField: "content-type")
    publish.httpBody = try JSONSerialization.data(withJSONObject: [
      "platform": sender, "checkpoint": note, "proof": proof.map(\.base64),
    ])
    let (_, published) = try await Self.exchange(publish)
    guard published == 201 else { throw Failure.refused(status: published) }
    return size
  }

  /// A peer's endpoint joined with a path; an endpoint that is no URL is unreachable, not a
  /// crash of the relay loop that keeps retrying it.
  public static func url(_ base: String, _ path: String) throws -> URL {
    guard let url = URL(string: base + path), url.scheme == "http" || url.scheme == "https" else {
      throw Failure.unreachable("\(base) is not an http(s) endpoint")
    }
    return url
  }

  /// Sends a request: its answer and status, or `unreachable`.
  public static func exchange(_ request: URLRequest) async throws -> (Data, Int) {
    do {
      let (data, response) = try await URLSession.shared.data(for: request)
      return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
    } catch {
      throw Failure.unreachable("\(error)")
    }
  }
}
