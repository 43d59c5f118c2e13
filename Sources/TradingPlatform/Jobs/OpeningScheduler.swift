import Logging
import ZhaocaiDomain
import ZhaocaiStore

/// The platform's scheduler: at each tick it closes bidding on every section whose deadline has
/// come (条例44: fewer than 3 bids fail the section; otherwise it goes to the opening, 法34), runs
/// the opening once enough key holders have released their shares, and
/// records each statutory deadline after the award that passed without its step (the contract,
/// 法46; the written report, 法47), which the supervision platform turns into alerts.
///
/// Each section is claimed and closed in one transaction (`FOR UPDATE SKIP LOCKED` on
/// PostgreSQL), so with several app nodes each section is closed once.
public struct OpeningScheduler: Sendable {
  public let platform: TradingPlatform
  let logger: Logger

  public init(platform: TradingPlatform, logger: Logger = Logger(label: "zhaocai.scheduler")) {
    self.platform = platform
    self.logger = logger
  }

  /// One pass at the platform's now; returns what happened to each section it touched.
  @discardableResult
  public func tick() async throws -> [String: SectionPhase] {
    platform.metrics.count("scheduler_runs")
    let now = platform.clock.now()
    var outcomes: [String: SectionPhase] = [:]
    var waiting: Set<String> = []
    while true {
      let skipped = waiting
      do {
        let closed = try await platform.store.transaction { database -> (String, SectionPhase)? in
          guard
            let id = try await SectionRepository.dueForClosing(
              at: now, excluding: skipped, on: database
            ).first
          else { return nil }
          do {
            let applied = try await SectionStore.apply(id, at: now, on: database) {
              try $0.closeBidding(at: now)
            }
            return (id, applied.transition.section.phase)
          } catch DomainError.rule(let violation) {
            // An objection awaits its answer: this section waits for a later tick.
            throw Waiting(id: id, violation: violation)
          }
        }
        guard let (id, phase) = closed else {
          for opened in try await openWhereSharesSuffice() { outcomes[opened] = .opening }
          try await recordMissedDeadlines(at: now)
          return outcomes
        }
        outcomes[id] = phase
      } catch let wait as Waiting {
        logger.notice(
          "bidding stays open",
          metadata: ["section": "\(wait.id)", "rule": "\(wait.violation.rule.code)"])
        waiting.insert(wait.id)
      }
    }
  }

  /// Runs the opening of every section whose holders have released enough shares (办法30).
  private func openWhereSharesSuffice() async throws -> [String] {
    let ids = try await platform.store.transaction {
      try await SectionRepository.ids(inPhases: [.opening], on: $0)
    }
    var opened: [String] = []
    for id in ids {
      let section = try await platform.store.transaction {
        try await SectionRepository.load(id, on: $0)
      }?.section
      // A section suspended by a supervision order waits for its resumption.
      guard let section, section.suspendingOrder == nil, section.openingResults.isEmpty,
        let threshold = section.schedule?.threshold, section.releasedHolders.count >= threshold
      else { continue }
      // Said before and after: an operator (and the cluster check's kill -9) sees an opening
      // that a node did not finish, which another node's next round runs again from the start.
      logger.info("opening started", metadata: ["section": "\(id)"])
      do {
        _ = try await platform.runOpening(id)
        logger.info("opening published", metadata: ["section": "\(id)"])
        opened.append(id)
      } catch is SectionRepository.ConcurrentUpdate {
        // Another node or the tenderer opened it meanwhile.
        logger.notice("opening already run", metadata: ["section": "\(id)"])
      } catch DomainError.wrongPhase {
        logger.notice("opening already run", metadata: ["section": "\(id)"])
      }
    }
    return opened
  }

  private func recordMissedDeadlines(at now: Int64) async throws {
    let ids = try await platform.store.transaction {
      try await SectionRepository.ids(inPhases: [.awarded, .contracted], on: $0)
    }
    for id in ids {
      let stored = try await platform.store.transaction {
        try await SectionRepository.load(id, on: $0)
      }
      guard let section = stored?.section, section.suspendingOrder == nil,
        !section.checkDeadlines(at: now).events.isEmpty
      else {
        continue
      }
      try await SectionStore.apply(id, at: now, in: platform.store) { $0.checkDeadlines(at: now) }
    }
  }

  private struct Waiting: Error {
    let id: String
    let violation: RuleViolation
  }
}
