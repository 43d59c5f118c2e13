import Crypto
import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Live tracking: each overseen trading platform's messages are verified with its key and applied
/// once, in sequence; process events are kept as the process's timeline and folded into where it
/// stands. Only what `SectionEvent.isSupervised` lets through ever arrives; the rest comes as
/// empty `withheld` messages that only move the sequence on.
extension SupervisionPlatform {
  /// What became of one received message.
  struct Received: Sendable {
    let sequence: UInt64?
    let status: String
    let code: String?
    /// The signed acknowledgement of a filing the message made (sent again with a duplicate).
    var acknowledgement: SignedMessage? = nil
  }

  func receive(_ wires: [SignedMessage]) async throws -> [Received] {
    let now = now()
    var results: [Received] = []
    for wire in wires {
      do {
        let sender = try wire.claimedSender()
        let platform = try await store.transaction {
          try await TrackingRepository.platform(sender, on: $0)
        }
        guard let platform, let raw = Data(base64Encoded: platform.publicKey) else {
          throw ExchangeError.unknownSender(sender)
        }
        let message = try wire.verified(
          with: try Curve25519.Signing.PublicKey(rawRepresentation: raw), for: platformID)
        guard message.sender == sender else { throw ExchangeError.badSignature }
        let (status, acknowledgement) = try await store.transaction { database in
          let last = try await TrackingRepository.lastApplied(sender, on: database)
          // The relay sends from the position this platform reports, so a gap is only ever a
          // message to send again later.
          if message.sequence > last + 1 { return ("held", String?.none) }
          if message.sequence <= last {
            return (
              "duplicate",
              try await FilingRepository.acknowledgement(
                platform: sender, sequence: message.sequence, on: database)
            )
          }
          return ("applied", try await apply(message, on: database, receivedAt: now))
        }
        results.append(
          Received(
            sequence: message.sequence, status: status, code: nil,
            acknowledgement: try acknowledgement.map {
              try JSONDecoder().decode(SignedMessage.self, from: Data($0.utf8))
            }))
      } catch {
        results.append(
          Received(sequence: nil, status: "refused", code: SupervisionProblem(error).code))
      }
    }
    return results
  }

  /// Applies one message in sequence; returns the acknowledgement of the filing it made, if any.
  private func apply(
    _ message: ExchangeMessage, on database: any SQLDatabase, receivedAt now: Int64
  )
    async throws -> String?
  {
    var acknowledgement: String?
    let decoder = JSONDecoder()
    var section: String?
    var at = message.sentAt
    switch message.kind {
    case "section.event":
      let logged = try decoder.decode(
        LoggedEvent.self, from: Data(message.payload.utf8))
      var process =
        try await TrackingRepository.process(
          platform: message.sender, section: logged.section, on: database)
        ?? TrackedProcess(platform: message.sender, section: logged.section)
      process.fold(logged.event, at: logged.at, terms: logged.terms)
      try await TrackingRepository.save(process, on: database)
      (section, at) = (logged.section, logged.at)
      if let kind = logged.event.filing {
        acknowledgement = try await acknowledge(
          kind, of: logged, sequence: message.sequence, from: message.sender, at: now,
          on: database)
      }
    case "notice.published":
      let logged = try decoder.decode(
        LoggedNotice.self, from: Data(message.payload.utf8))
      (section, at) = (logged.section, logged.at)
    default:
      break  // withheld: the sequence moves on, nothing is kept
    }
    if section != nil {
      try await TrackingRepository.store(
        platform: message.sender, sequence: message.sequence, section: section, at: at,
        kind: message.kind, payload: message.payload, receivedAt: now, on: database)
    }
    try await TrackingRepository.setLastApplied(message.sender, message.sequence, on: database)
    return acknowledgement
  }

  /// 备案: a written report or a self-tendering filing, received and acknowledged with this
  /// platform's signature; the acknowledgement is kept, logged, and answered to the sender.
  private func acknowledge(
    _ kind: FilingKind, of logged: LoggedEvent, sequence: UInt64,
    from platform: String, at now: Int64, on database: any SQLDatabase
  ) async throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let receipt = SupervisionMessages.FilingAcknowledgement(
      platform: platform, section: logged.section, kind: kind.rawValue, filedAt: logged.at,
      acknowledgedAt: now, sequence: sequence)
    let signed = try SignedMessage.sign(
      ExchangeMessage(
        sender: platformID, recipient: platform, sequence: sequence,
        kind: SupervisionMessages.filingAcknowledgementKind,
        sentAt: now, payload: String(decoding: try encoder.encode(receipt), as: UTF8.self)),
      with: key)
    let text = String(decoding: try encoder.encode(signed), as: UTF8.self)
    try await FilingRepository.received(
      .init(
        platform: platform, section: logged.section, kind: kind.rawValue, filedAt: logged.at,
        acknowledgement: text), sequence: sequence, on: database)
    try await Self.log("filing.acknowledged", receipt, at: now, on: database)
    return text
  }

  /// The processes in a supervisor's remit.
  func processes(of supervisor: Supervisor, on database: any SQLDatabase) async throws
    -> [TrackedProcess]
  {
    try await TrackingRepository.processes(
      industry: supervisor.department.industry,
      regionPrefix: String(supervisor.department.region.prefix(2)), on: database
    ).filter(supervisor.oversees)
  }

  /// Whether a process is known and in the supervisor's remit.
  func oversees(
    _ supervisor: Supervisor, platform: String, section: String, on database: any SQLDatabase
  ) async throws -> Bool {
    guard
      let process = try await TrackingRepository.process(
        platform: platform, section: section, on: database)
    else { return false }
    return supervisor.oversees(process)
  }

  /// One process, if it is in the supervisor's remit; otherwise the same refusal as for one that
  /// does not exist.
  func process(
    _ platform: String, _ section: String, of supervisor: Supervisor, on database: any SQLDatabase
  ) async throws -> TrackedProcess {
    guard
      let process = try await TrackingRepository.process(
        platform: platform, section: section, on: database),
      supervisor.oversees(process)
    else { throw SupervisionProblem.notInRemit("process \(platform)/\(section)") }
    return process
  }

  /// The section events the trading platform sent for a process, in order.
  func timeline(platform trading: String, section: String, on database: any SQLDatabase)
    async throws -> [(at: Int64, event: SectionEvent)]
  {
    let decoder = JSONDecoder()
    return try await TrackingRepository.timeline(
      platform: trading, section: section, on: database
    ).compactMap { entry -> (at: Int64, event: SectionEvent)? in
      guard entry.kind == "section.event",
        let logged = try? decoder.decode(
          LoggedEvent.self, from: Data(entry.payload.utf8))
      else { return nil }
      return (logged.at, logged.event)
    }
  }

  /// The rule alerts a process's timeline shows now.
  func alerts(of process: TrackedProcess, at now: Int64, on database: any SQLDatabase)
    async throws -> [Alert]
  {
    let timeline = try await timeline(
      platform: process.platform, section: process.section, on: database)
    return AlertRules.alerts(
      section: process.section, timeline: timeline, now: now, calendar: calendar)
  }
}

extension Operations.listFilings.Output: ProblemAnswerable {}
