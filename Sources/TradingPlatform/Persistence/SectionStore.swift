import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// The service pattern of every platform action: load the section, call the pure transition,
/// save the new state, append each event to the log and the outbox — in one transaction.
enum SectionStore {

  /// Creates a section from a draft transition.
  static func create(
    _ transition: Transition, at now: Int64, by actor: Operator = .platform, in store: Store
  ) async throws -> [UInt64] {
    try await store.transaction { database in
      _ = try await SectionRepository.save(transition.section, expected: nil, at: now, on: database)
      return try await record(transition, at: now, by: actor, on: database)
    }
  }

  /// A transition as committed, with the log index of each of its events.
  struct Applied: Sendable {
    let transition: Transition
    let logIndices: [UInt64]
  }

  /// Applies a transition to a stored section; a refused transition changes nothing.
  @discardableResult
  static func apply(
    _ id: String, at now: Int64, by actor: Operator = .platform, in store: Store,
    _ change: @Sendable (Section) throws -> Transition
  ) async throws -> Transition {
    try await applyLogged(id, at: now, by: actor, in: store, change).transition
  }

  /// `apply`, also returning where its events went in the log (for receipts).
  static func applyLogged(
    _ id: String, at now: Int64, by actor: Operator = .platform, in store: Store,
    _ change: @Sendable (Section) throws -> Transition
  ) async throws -> Applied {
    try await store.transaction { database in
      try await apply(id, at: now, by: actor, on: database, change)
    }
  }

  /// `apply` inside a transaction the caller holds (the scheduler claims and closes in one).
  /// A section a supervision order suspends refuses every change but a supervision order's
  /// (`bySupervisionOrder`).
  static func apply(
    _ id: String, at now: Int64, by actor: Operator = .platform, on database: any SQLDatabase,
    bySupervisionOrder: Bool = false, _ change: (Section) throws -> Transition
  ) async throws -> Applied {
    guard let stored = try await SectionRepository.load(id, forUpdate: true, on: database) else {
      throw DomainError.notFound("section \(id)", chinese: "标段\(id)")
    }
    if !bySupervisionOrder { try stored.section.checkNotSuspendedByOrder() }
    let transition = try change(stored.section)
    _ = try await SectionRepository.save(
      transition.section, expected: stored.version, at: now, on: database)
    let indices = try await record(transition, at: now, by: actor, on: database)
    return Applied(transition: transition, logIndices: indices)
  }

  /// A section's logged events, oldest first (the last `limit` entries where one is given);
  /// its notices, logged beside them, are not events and are left out.
  static func loggedEvents(of section: String, limit: Int? = nil, on database: any SQLDatabase)
    async throws -> [LoggedEvent]
  {
    let indices = try await logIndices(of: section, on: database)
    let decoder = JSONDecoder()
    var events: [LoggedEvent] = []
    for index in indices.suffix(limit ?? indices.count) {
      guard let entry = try await PersistentLog.entry(index, on: database),
        let logged = try? decoder.decode(LoggedEvent.self, from: Data(entry))
      else { continue }
      events.append(logged)
    }
    return events
  }

  /// The log indices of a section's events, in order (for its archive).
  static func logIndices(of section: String, on database: any SQLDatabase) async throws
    -> [UInt64]
  {
    try await database.raw(
      "SELECT log_index FROM section_log WHERE section_id = \(bind: section) ORDER BY log_index"
    ).all().map { UInt64(try $0.decode(column: "log_index", as: Int64.self)) }
  }

  /// Appends each event to the log and the outbox, and after each event the notice it
  /// publishes, if any, as an entry of its own; returns the events' log indices.
  private static func record(
    _ transition: Transition, at now: Int64, by actor: Operator, on database: any SQLDatabase
  ) async throws -> [UInt64] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let section = transition.section
    let id = section.terms.sectionID
    var entries: [(topic: String, payload: Data, notice: Notice?, filing: FilingKind?)] = []
    for event in transition.events {
      // The section forgets a withdrawn bid; the bidder's workspace still says it withdrew.
      if case .bidWithdrawn(let bidder, let at) = event {
        try await BidWithdrawalRepository.record(section: id, bidder: bidder, at: at, on: database)
      }
      entries.append(
        (
          "section.event",
          try encoder.encode(
            LoggedEvent(
              section: id, at: now, event: event, by: actor,
              terms: event.isPublication ? section.terms : nil)), nil, event.filing
        ))
      if let notice = Notice.published(by: event, in: section) {
        let logged = LoggedNotice(
          section: id, at: now, notice: notice, region: section.terms.region,
          industry: section.terms.industry, by: actor)
        entries.append(("notice.published", try encoder.encode(logged), notice, nil))
      }
    }
    let indices = try await PersistentLog.append(
      entries.map { Array($0.payload) }, at: now, on: database)
    var eventIndices: [UInt64] = []
    for (entry, index) in zip(entries, indices) {
      try await Outbox.enqueue(
        topic: entry.topic, payload: String(decoding: entry.payload, as: UTF8.self),
        logIndex: index, at: now, on: database)
      try await database.raw(
        "INSERT INTO section_log (section_id, log_index) VALUES (\(bind: id), \(bind: Int64(index)))"
      ).run()
      if let filing = entry.filing {
        try await SentFilingRepository.sent(
          filing, section: id, logIndex: index, on: database)
      }
      if let notice = entry.notice {
        try await NoticeRepository.publish(notice, at: now, logIndex: index, on: database)
      } else {
        eventIndices.append(index)
      }
    }
    return eventIndices
  }
}
