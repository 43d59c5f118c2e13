import Crypto
import Foundation
import ZhaocaiCrypto
import ZhaocaiStore

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

  /// Sends up to `batch` undelivered rows to `receiver`'s inbox and marks those it holds
  /// (applied, or a duplicate of what it applied); a failed round leaves every row pending.
  @discardableResult
  public func deliver(to receiver: some MessageReceiver, batch: Int = 200) async throws -> Int {
    // One node's relay at a time sends the outbox, so messages go once and in order; a node
    // that finds the turn taken leaves this round to the one holding it.
    try await store.exclusively(Self.turn(recipient)) {
      try await deliverNow(to: receiver, batch: batch)
    } ?? 0
  }

  /// The name of the turn of relaying to `recipient` (`Store.exclusively`).
  public static func turn(_ recipient: String) -> String { "relay:" + recipient }

  private func deliverNow(to receiver: some MessageReceiver, batch: Int) async throws -> Int {
    let pending = try await store.transaction { try await Outbox.pending(limit: batch, on: $0) }
    guard !pending.isEmpty else { return 0 }
    let now = now()
    let results = try await post(pending, to: receiver, at: now)
    return try await store.transaction { database in
      var delivered = 0
      for (row, result) in zip(pending, results) {
        switch result.status {
        case .applied, .duplicate:
          try await Outbox.markDelivered(row.sequence, at: now, on: database)
          delivered += 1
        case .held, .refused:
          break  // refused (the receiver keeps its reason) or held behind an earlier one
        }
      }
      return delivered
    }
  }

  /// Sends up to `batch` rows after the position `receiver` reports for this sender, delivered
  /// to others or not: a second receiver needs no state here. Each result is handed to
  /// `answered`; returns how many it applied.
  @discardableResult
  public func deliverFromPosition(
    to receiver: some MessageReceiver, batch: Int = 200,
    answered: @escaping @Sendable (DeliveryResult) async throws -> Void = { _ in }
  ) async throws -> Int {
    // As for the hub: one node's round at a time, so the receiver gets each message once.
    try await store.exclusively(Self.turn(recipient)) {
      try await deliverFromPositionNow(to: receiver, batch: batch, answered: answered)
    } ?? 0
  }

  private func deliverFromPositionNow(
    to receiver: some MessageReceiver, batch: Int,
    answered: (DeliveryResult) async throws -> Void
  ) async throws -> Int {
    let applied = try await receiver.lastApplied(from: sender)
    // Sequence n carries log index n - 1, so the next after `applied` is log index `applied`.
    let rows = try await store.transaction {
      try await Outbox.since(logIndex: applied, limit: batch, on: $0)
    }
    guard !rows.isEmpty else { return 0 }
    let results = try await post(rows, to: receiver, at: now())
    try await Self.handOn(results, to: answered)
    return results.count { $0.status == .applied }
  }

  /// Sends the rows at `logIndices` again (a receiver answers `duplicate` for what it applied,
  /// with what it answered then), handing each result to `answered`.
  public func resend(
    logIndices: [UInt64], to receiver: some MessageReceiver,
    answered: (DeliveryResult) async throws -> Void
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
    try await Self.handOn(try await post(rows, to: receiver, at: now()), to: answered)
  }

  /// Every answer is handed on even if one cannot be taken, and the first failure is reported.
  private static func handOn(
    _ results: [DeliveryResult], to answered: (DeliveryResult) async throws -> Void
  ) async throws {
    var failure: (any Error)?
    for result in results {
      do { try await answered(result) } catch { failure = failure ?? error }
    }
    if let failure { throw failure }
  }

  private func post(_ rows: [Outbox.Message], to receiver: some MessageReceiver, at now: Int64)
    async throws -> [DeliveryResult]
  {
    try await receiver.receive(try rows.map { try message(for: $0, at: now) })
  }

  /// Publishes the log's current checkpoint on `board` with the consistency proof from the
  /// last one it holds; returns the size published (nil if the board already has it).
  @discardableResult
  public func pushCheckpoint(to board: some CheckpointBoard, signer: NoteSigner) async throws
    -> UInt64?
  {
    let last = try await board.checkpointSizes(of: sender).max() ?? 0
    let now = now()
    let (size, note, proof) = try await store.transaction { database in
      let size = try await PersistentLog.size(on: database)
      let proof =
        last > 0 && last < size
        ? try await PersistentLog.consistencyProof(from: last, to: size, on: database) : []
      let note = try await Receipts.checkpoint(size: size, signer: signer, at: now, on: database)
      return (size, note, proof)
    }
    guard size > last else { return nil }
    try await board.publishCheckpoint(platform: sender, note: note, proof: proof.map(\.base64))
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
}
