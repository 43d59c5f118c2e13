import Crypto
import Foundation
import SQLKit
import TradingClient
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// The exchange's ingestion: signed messages from registered platforms verified, applied once and
/// in each sender's order, logged, and folded into notices, open data, statistics and credit.
extension PublicServiceHub {
  /// What became of one received message.
  struct Receipt: Sendable, Equatable {
    enum Status: String, Sendable { case applied, duplicate, held, refused }

    var sender: String?
    var sequence: UInt64?
    var status: Status
    var code: String?
    var detail: String?

    static func refused(_ error: any Error, sender: String?) -> Receipt {
      let problem = HubProblem(error)
      return Receipt(sender: sender, status: .refused, code: problem.code, detail: problem.english)
    }
  }

  /// Verifies each message against its sender's registered key, then applies it once and in
  /// its sender's order. Each sender's messages of a request are applied in one transaction (so
  /// ingestion does not pay a commit per message); should that transaction fail, they are applied
  /// again one per transaction, so a refused message still changes nothing. Answers each
  /// message's receipt, in order, and each sender's gap still open.
  func receive(_ wires: [SignedMessage]) async throws -> (
    results: [Receipt], missing: [String: ClosedRange<UInt64>]
  ) {
    var results = [Receipt?](repeating: nil, count: wires.count)
    var missing: [String: ClosedRange<UInt64>] = [:]
    var bySender: [String: [Int]] = [:]
    var senders: [String] = []
    for (index, wire) in wires.enumerated() {
      guard let sender = try? wire.claimedSender() else {
        results[index] = .refused(ExchangeError.malformed("no sender"), sender: nil)
        continue
      }
      if bySender[sender] == nil { senders.append(sender) }
      bySender[sender, default: []].append(index)
    }
    for sender in senders {
      let indices = bySender[sender]!
      let batches: [[Int]]
      do {
        let received = try await receive(indices.map { wires[$0] }, from: sender)
        for (index, result) in zip(indices, received.results) { results[index] = result }
        missing[sender] = received.missing
        batches = []
      } catch {
        batches = indices.map { [$0] }
      }
      for batch in batches {
        do {
          let received = try await receive(batch.map { wires[$0] }, from: sender)
          results[batch[0]] = received.results[0]
          missing[sender] = received.missing
        } catch {
          results[batch[0]] = .refused(error, sender: sender)
        }
      }
    }
    let receipts = results.map { $0! }
    for status in [Receipt.Status.applied, .duplicate, .held, .refused] {
      let count = receipts.count { $0.status == status }
      if count > 0 {
        metrics.count("exchange_messages", by: count, labels: [("status", status.rawValue)])
      }
    }
    return (receipts, missing)
  }

  /// Fetches a sender's gap back from its endpoint (`GET /exchange/messages?after=N`) and
  /// applies what arrives, as if the sender had sent it; returns how many messages it applied.
  func catchUp(_ sender: String) async throws -> Int {
    let (platform, last, held) = try await store.transaction { database in
      (
        try await HubRepository.find(sender, on: database),
        try await HubRepository.lastApplied(sender, on: database),
        try await HubRepository.held(sender, on: database)
      )
    }
    // Only trading platforms serve what they sent (`GET /exchange/messages`).
    guard let platform, platform.status == .approved, platform.kind == .trading, !held.isEmpty
    else { return 0 }
    let wires = try await TradingConnection(platform.endpoint).messages(after: last, limit: 1000)
    let mine = wires.filter { (try? $0.claimedSender()) == sender }
    guard !mine.isEmpty else { return 0 }
    _ = try await receive(mine, from: sender)
    let now = try await store.transaction {
      try await HubRepository.lastApplied(sender, on: $0)
    }
    return Int(now - last)
  }

  /// One sender's messages in one transaction: each verified (a bad signature refuses that
  /// message only), then applied in sequence order through the inbox; answers each message's
  /// result and the gap still open at the end.
  private func receive(_ wires: [SignedMessage], from sender: String) async throws -> (
    results: [Receipt], missing: ClosedRange<UInt64>?
  ) {
    let now = now()
    let registered = try await store.transaction {
      try await HubRepository.find(sender, on: $0)
    }
    guard let registered, let raw = Data(base64Encoded: registered.publicKey),
      let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    else { throw ExchangeError.unknownSender(sender) }
    // Signatures are checked on every core in chunks, which the write transaction takes in order
    // as they are ready: storing the first overlaps checking the later ones.
    let checking = Self.verify(wires, with: key, from: sender)
    // A refused batch (a platform not approved, say) stops the checks still to run.
    defer { for chunk in checking { chunk.cancel() } }
    return try await store.transaction { database in
      guard let platform = try await HubRepository.find(sender, on: database),
        platform.publicKey == registered.publicKey
      else { throw ExchangeError.unknownSender(sender) }
      guard platform.status == .approved else { throw ExchangeError.senderNotApproved(sender) }
      let last = try await HubRepository.lastApplied(sender, on: database)
      // Held from earlier requests: the bytes the sender signed (older rows: as the hub encoded
      // the message), which become the log entry once the gap before them is filled.
      let heldBytes = try await HubRepository.held(sender, on: database)
      let held = heldBytes.compactMapValues {
        try? JSONDecoder().decode(ExchangeMessage.self, from: Data($0.utf8))
      }
      var inbox = Inbox(applied: [sender: last], held: held.isEmpty ? [:] : [sender: held])
      var results: [Receipt] = []
      var accepted = Accepted()
      // This request's messages the inbox took (applied now or held), by sequence.
      var prepared: [UInt64: Checked] = [:]
      for chunk in checking {
        for verification in await chunk.value {
          let checked: Checked
          switch verification {
          case .success(let verified):
            checked = verified
          case .failure(let error):
            results.append(.refused(error, sender: sender))
            continue
          }
          let message = checked.message
          let outcome = inbox.receive(message)
          if outcome.conflicting {
            results.append(.refused(ExchangeError.conflicting(message.sequence), sender: sender))
            continue
          }
          if !outcome.duplicate { prepared[message.sequence] = checked }
          for applied in outcome.apply {
            try await accepted.take(
              prepared[applied.sequence]
                ?? Checked(applied, signedBytes: heldBytes[applied.sequence].map { Data($0.utf8) }),
              from: platform, on: database)
          }
          // Stored a hundred at a time, while the later chunks are still being checked.
          if accepted.messages.count >= 100 {
            try await accepted.record(from: sender, receivedAt: now, on: database)
            accepted = Accepted()
          }
          let status: Receipt.Status =
            outcome.duplicate ? .duplicate : outcome.apply.isEmpty ? .held : .applied
          results.append(Receipt(sender: sender, sequence: message.sequence, status: status))
        }
      }
      try await accepted.record(from: sender, receivedAt: now, on: database)
      try await HubRepository.setLastApplied(sender, inbox.applied[sender] ?? last, on: database)
      try await HubRepository.setHeld(
        sender,
        Dictionary(
          uniqueKeysWithValues: (inbox.held[sender] ?? [:]).map { sequence, message in
            (
              sequence,
              prepared[sequence].map { String(decoding: $0.entry, as: UTF8.self) }
                ?? heldBytes[sequence]
                ?? String(decoding: Checked(message).entry, as: UTF8.self)
            )
          }), on: database)
      let applied = inbox.applied[sender] ?? last
      let firstHeld = inbox.held[sender]?.keys.min()
      return (results, firstHeld.map { (applied + 1)...($0 - 1) })
    }
  }

  /// A verified message and the bytes the sender signed (the hub's log entry for it; without
  /// them, the message encoded as `SignedMessage.sign` encodes it).
  struct Checked: Sendable {
    let message: ExchangeMessage
    let entry: [UInt8]

    init(_ message: ExchangeMessage, signedBytes: Data? = nil) {
      self.message = message
      entry =
        signedBytes.map(Array.init) ?? Array((try? SignedMessage.encoder.encode(message)) ?? Data())
    }
  }

  /// Each message verified with the sender's key, on every core; one signed by the key but
  /// claiming another sender is not this sender's message. (Decoding the notices there too
  /// measured no faster.)
  static func verify(
    _ wires: [SignedMessage], with key: Curve25519.Signing.PublicKey, from sender: String
  ) -> [Task<[Result<Checked, ExchangeError>], Never>] {
    stride(from: 0, to: wires.count, by: 25).map { start in
      let chunk = wires[start..<min(start + 25, wires.count)]
      // Below the request's priority, so the transaction goes on as soon as a chunk is ready
      // instead of queueing behind every later check.
      return Task(priority: .low) {
        chunk.map { wire in
          if Task.isCancelled { return .failure(.malformed("not checked: the batch was refused")) }
          do throws(ExchangeError) {
            let (message, bytes) = try wire.verifiedBytes(with: key, for: ExchangeMessage.hub)
            return message.sender == sender
              ? .success(Checked(message, signedBytes: bytes))
              : .failure(.malformed("another sender"))
          } catch {
            return .failure(error)
          }
        }
      }
    }
  }

  /// What one transaction applies: each message does what its kind asks in its turn (a section
  /// event is folded into the open data and the statistics at once, since the next may build on
  /// it); storing the messages, appending them to the hub's log and indexing the notices are
  /// done together, a hundred messages at a time, many rows per statement.
  struct Accepted {
    var messages: [(sequence: UInt64, kind: String, payload: String, sentAt: Int64)] = []
    var entries: [[UInt8]] = []
    var notices: [(notice: LoggedNotice, sequence: UInt64)] = []

    mutating func take(
      _ checked: Checked, from platform: HubRepository.Platform, on database: any SQLDatabase
    ) async throws {
      let sender = platform.id
      let applied = checked.message
      messages.append((applied.sequence, applied.kind, applied.payload, applied.sentAt))
      // The hub's own log binds what it received — the very bytes the sender signed, held or
      // not — and what it republishes is tamper-evident.
      entries.append(checked.entry)
      if applied.kind == "notice.published" {
        guard
          let notice = try? JSONDecoder().decode(
            LoggedNotice.self, from: Data(applied.payload.utf8))
        else { throw ExchangeError.malformed("a notice message without a notice") }
        notices.append((notice, applied.sequence))
      } else if applied.kind == "section.event" {
        guard
          let logged = try? JSONDecoder().decode(
            LoggedEvent.self, from: Data(applied.payload.utf8))
        else { throw ExchangeError.malformed("a section event message without a section event") }
        try await OpenData.ingest(
          logged, payload: applied.payload, from: sender, sequence: applied.sequence,
          on: database)
        try await MarketStatistics.ingest(logged, from: sender, on: database)
      } else if applied.kind == CreditDecision.messageKind {
        // Penalties are a supervisory department's to decide (一处受罚、处处受限).
        guard platform.kind == .supervision else {
          throw ExchangeError.malformed("only a supervision platform publishes credit decisions")
        }
        guard
          let decision = try? JSONDecoder().decode(
            CreditDecision.self, from: Data(applied.payload.utf8)),
          (try? decision.record.validated()) != nil,
          decision.ban.map({ $0.isWellFormed && $0.party == decision.record.party }) ?? true
        else { throw ExchangeError.malformed("a credit decision message without a decision") }
        let now = applied.sentAt
        try await HubCreditRepository.publish(decision.record, at: now, on: database)
        if let ban = decision.ban {
          try await HubCreditRepository.publish(ban, at: now, on: database)
        }
      }
    }

    func record(from sender: String, receivedAt now: Int64, on database: any SQLDatabase)
      async throws
    {
      try await HubRepository.store(messages, from: sender, receivedAt: now, on: database)
      _ = try await PersistentLog.append(entries, at: now, on: database)
      try await HubNoticeRepository.publish(notices, platform: sender, on: database)
    }
  }
}
