/// A process as the supervision platform follows it, folded from the events a trading platform
/// sends it: what it is, where it stands, when its bids open, and whether an order suspends it.
public struct TrackedProcess: Codable, Sendable, Equatable {
  public var platform: String
  public var section: String
  /// Known once the draft or the notice arrives; until then the process is outside every remit.
  public var terms: SectionTerms?
  public var phase: SectionPhase
  public var bidDeadline: Int64?
  /// The prequalification's application deadline, if the process has one.
  public var applicationDeadline: Int64?
  public var suspendingOrder: String?
  public var updatedAt: Int64

  public init(platform: String, section: String) {
    self.platform = platform
    self.section = section
    phase = .draft
    updatedAt = 0
  }

  /// The process after `event` at `at`; `terms` come with the draft and the publication.
  public mutating func fold(_ event: SectionEvent, at: Int64, terms: SectionTerms? = nil) {
    updatedAt = max(updatedAt, at)
    switch event {
    case .drafted(let drafted): self.terms = drafted
    case .published(let schedule, _):
      if let terms { self.terms = terms }
      phase = .bidding
      bidDeadline = schedule.bidDeadline
      applicationDeadline = schedule.applicationDeadline
    case .amended(_, let amendedAt, let deadline, _, _):
      // As the trading platform moves them (`Section.amend`): during prequalification the
      // amendment's deadline is the application deadline, and the bid deadline keeps its
      // distance from it; the share released at the opening depends on getting this right.
      if let application = applicationDeadline, amendedAt < application {
        // Saturating: these instants come from another platform's messages.
        bidDeadline = bidDeadline.map { $0 &+ (deadline &- application) }
        applicationDeadline = deadline
      } else {
        bidDeadline = deadline
      }
    case .biddingClosed: phase = .opening
    case .sectionFailed: phase = .failed
    case .committeeFormed: phase = .evaluation
    case .publicityStarted: phase = .publicity
    case .awarded: phase = .awarded
    case .contractSigned: phase = .contracted
    case .reportFiled: if phase == .contracted { phase = .reported }
    case .archived: phase = .archived
    case .terminated: phase = .terminated
    case .orderApplied(let id, let kind, _, _):
      switch kind {
      case .suspend: suspendingOrder = id
      case .resume, .terminate: suspendingOrder = nil
      case .correct: break
      }
    default: break
    }
  }
}
