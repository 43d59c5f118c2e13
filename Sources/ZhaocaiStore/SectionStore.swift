import Foundation
import SQLKit
import ZhaocaiDomain

/// The service pattern of every platform action: load the section, call the pure transition,
/// save the new state, append each event to the log and the outbox — in one transaction.
public enum SectionStore {
  /// An event as logged and sent: which section, when, what, and who did it from where.
  public struct LoggedEvent: Codable, Sendable, Equatable {
    public let section: String
    public let at: Int64
    public let event: SectionEvent
    public let by: Operator?
  }

  /// Creates a section from a draft transition.
  public static func create(
    _ transition: Transition, at now: Int64, by actor: Operator = .platform, in store: Store
  ) async throws -> [UInt64] {
    try await store.transaction { database in
      _ = try await SectionRepository.save(transition.section, expected: nil, at: now, on: database)
      return try await record(transition, at: now, by: actor, on: database)
    }
  }

  /// A transition as committed, with the log index of each of its events.
  public struct Applied: Sendable {
    public let transition: Transition
    public let logIndices: [UInt64]
  }

  /// Applies a transition to a stored section; a refused transition changes nothing.
  @discardableResult
  public static func apply(
    _ id: String, at now: Int64, by actor: Operator = .platform, in store: Store,
    _ change: @Sendable (Section) throws -> Transition
  ) async throws -> Transition {
    try await applyLogged(id, at: now, by: actor, in: store, change).transition
  }

  /// `apply`, also returning where its events went in the log (for receipts).
  public static func applyLogged(
    _ id: String, at now: Int64, by actor: Operator = .platform, in store: Store,
    _ change: @Sendable (Section) throws -> Transition
  ) async throws -> Applied {
    try await store.transaction { database in
      try await apply(id, at: now, by: actor, on: database, change)
    }
  }

  /// `apply` inside a transaction the caller holds (the scheduler claims and closes in one).
  public static func apply(
    _ id: String, at now: Int64, by actor: Operator = .platform, on database: any SQLDatabase,
    _ change: (Section) throws -> Transition
  ) async throws -> Applied {
    guard let stored = try await SectionRepository.load(id, on: database) else {
      throw DomainError.notFound("section \(id)")
    }
    let transition = try change(stored.section)
    _ = try await SectionRepository.save(
      transition.section, expected: stored.version, at: now, on: database)
    let indices = try await record(transition, at: now, by: actor, on: database)
    return Applied(transition: transition, logIndices: indices)
  }

  /// The log indices of a section's events, in order (for its archive).
  public static func logIndices(of section: String, on database: any SQLDatabase) async throws
    -> [UInt64]
  {
    try await database.raw(
      "SELECT log_index FROM section_log WHERE section_id = \(bind: section) ORDER BY log_index"
    ).all().map { UInt64(try $0.decode(column: "log_index", as: Int64.self)) }
  }

  /// Appends each event to the log and the outbox, and publishes the notices they carry.
  private static func record(
    _ transition: Transition, at now: Int64, by actor: Operator, on database: any SQLDatabase
  ) async throws -> [UInt64] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let section = transition.section
    let payloads = try transition.events.map {
      try encoder.encode(
        LoggedEvent(section: section.terms.sectionID, at: now, event: $0, by: actor))
    }
    let indices = try await PersistentLog.append(payloads.map { Array($0) }, at: now, on: database)
    for (payload, index) in zip(payloads, indices) {
      try await Outbox.enqueue(
        topic: "section.event", payload: String(decoding: payload, as: UTF8.self), logIndex: index,
        at: now, on: database)
    }
    for (event, index) in zip(transition.events, indices) {
      try await database.raw(
        "INSERT INTO section_log (section_id, log_index) VALUES (\(bind: section.terms.sectionID), \(bind: Int64(index)))"
      ).run()
      if let notice = Notice.published(by: event, in: section) {
        try await NoticeRepository.publish(notice, at: now, logIndex: index, on: database)
      }
    }
    return indices
  }
}
