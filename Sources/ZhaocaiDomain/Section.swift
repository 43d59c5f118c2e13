/// Where a section stands in its lifecycle (DESIGN.md, "The lifecycle").
public enum SectionPhase: String, Codable, Sendable {
  case draft
  case bidding
  case opening
  case evaluation
  case publicity
  case awarded
  case contracted
  case reported
  case archived
  case failed
  case terminated

  /// No transition leaves these.
  public var isFinal: Bool { self == .archived || self == .failed || self == .terminated }
}

/// What the platform established about an uploaded envelope, without opening it.
public struct SealedBidFacts: Codable, Sendable, Equatable {
  public var envelopeHash: String
  public var openingTime: Int64
  /// The key ids the envelope's shares are sealed to, and how many are needed.
  public var holderKeyIDs: [String]
  public var threshold: Int

  public init(envelopeHash: String, openingTime: Int64, holderKeyIDs: [String], threshold: Int) {
    self.envelopeHash = envelopeHash
    self.openingTime = openingTime
    self.holderKeyIDs = holderKeyIDs
    self.threshold = threshold
  }
}

/// What the party registry knows of a party's ties (条例34): a digest of its person in charge
/// (单位负责人) and the parties that control or manage it (控股、管理关系).
public struct PartyTies: Codable, Sendable, Equatable {
  public var representative: String?
  public var controllers: [String]

  public init(representative: String? = nil, controllers: [String] = []) {
    self.representative = representative
    self.controllers = controllers
  }

  /// Whether two parties may not bid for one section: the same person in charge, or one
  /// controlling or managing the other.
  public static func areTied(_ a: String, _ aTies: PartyTies, _ b: String, _ bTies: PartyTies)
    -> Bool
  {
    if let representative = aTies.representative, representative == bTies.representative {
      return true
    }
    return aTies.controllers.contains(b) || bTies.controllers.contains(a)
  }
}

/// A bid the platform holds for a bidder: the latest envelope it sent.
public struct BidRecord: Codable, Sendable, Equatable {
  public let bidder: String
  public let envelopeHash: String
  public let receivedAt: Int64
  /// 1 for the first envelope, +1 for each replacement.
  public let version: Int
  /// The bidder's ties as the registry knew them when it bid; checked at the close.
  public var ties: PartyTies? = nil
}

/// An objection awaiting the tenderer's answer; the step it concerns waits for it.
public struct PendingObjection: Codable, Sendable, Equatable {
  public let id: String
  public let raisedAt: Int64
  public let answerDue: LegalDate
}

/// A section (标段) of a tender project: the aggregate every trading transition acts on.
public struct Section: Codable, Sendable, Equatable {
  public internal(set) var terms: SectionTerms
  public internal(set) var phase: SectionPhase
  public internal(set) var schedule: TenderSchedule?
  public internal(set) var bids: [String: BidRecord]
  public internal(set) var pendingObjections: [PendingObjection]
  public internal(set) var amendmentCount: Int
  /// Key holders who have released their shares of this section's bid keys.
  public internal(set) var releasedHolders: [String] = []
  /// The opening record: what each bid said, or why it could not be decrypted.
  public internal(set) var openingResults: [String: OpeningResult] = [:]
  public internal(set) var openingConfirmations: Set<String> = []
  /// The signs of deemed collusion (条例40) found among the opened bids; nil before the opening.
  public internal(set) var collusionFindings: [CollusionFinding]? = nil
  public internal(set) var evaluation: EvaluationState? = nil
  public internal(set) var award: AwardState? = nil
  public internal(set) var bonds: [String: BidBond] = [:]
  /// The hash of each version of the tender documents, in order.
  public internal(set) var documentVersions: [String] = []
  /// Parties that downloaded the documents (the download register keeps who, when, where).
  public internal(set) var downloaders: Set<String> = []
  /// Prequalification: who applied, and whether the result is out.
  public internal(set) var applicants: Set<String> = []
  public internal(set) var prequalified = false
  /// The supervision order that suspends the section, if one does (条例62).
  public internal(set) var suspendingOrder: String? = nil
  /// When the tenderer filed that it tenders by itself (自行招标, 法12).
  public internal(set) var selfTenderingFiledAt: Int64? = nil

  /// Whether a party may take the tender documents and bid: anyone in open tendering; the
  /// invited in invitation tendering; after prequalification, those who passed it.
  public func admits(_ party: String) -> Bool {
    guard let schedule else { return false }
    if terms.procedure.hasPrequalification {
      return prequalified && schedule.invited.contains(party)
    }
    return terms.procedure == .open || schedule.invited.contains(party)
  }

  /// Whether an unanswered objection holds the next step (条例22, 条例44, 条例54).
  public var isSuspended: Bool { !pendingObjections.isEmpty }
}

/// What a transition changed, for the log, the outbox and the other platforms.
public enum SectionEvent: Codable, Sendable, Equatable {
  /// The terms are logged whole: the record (and open data) starts from them.
  case drafted(terms: SectionTerms)
  case published(schedule: TenderSchedule, at: Int64)
  case documentsIssued(version: Int, hash: String, at: Int64)
  case documentsDownloaded(party: String, version: Int, at: Int64)
  case appliedForPrequalification(party: String, at: Int64)
  case prequalified(parties: [String], at: Int64)
  case amended(number: Int, at: Int64, deadline: Int64, movedFrom: Int64?, rule: String?)
  case objectionRaised(id: String, at: Int64, answerDue: LegalDate)
  case objectionAnswered(id: String, at: Int64)
  /// What an objection, or the answer to it, says in words, when its author gave them: logged
  /// so that the record proves the words as well as the times.
  case objectionStated(id: String, answer: Bool, text: String, at: Int64)
  case bidReceived(bidder: String, envelopeHash: String, at: Int64, version: Int)
  case bidWithdrawn(bidder: String, at: Int64)
  case bondPaid(bidder: String, amount: Money, account: String, at: Int64)
  /// A bank guarantee (电子保函) lodged as the bid bond, where the notice accepts one.
  case guaranteeLodged(bidder: String, amount: Money, issuer: String, number: String, at: Int64)
  case bondRefunded(bidder: String, at: Int64)
  case biddingClosed(at: Int64, bids: Int)
  /// Bids of parties tied to each other (one person in charge, or control), void (条例34).
  case bidsVoided(bidders: [String], rule: String)
  case sectionFailed(at: Int64, rule: String)
  case terminated(at: Int64, reason: String)
  case sharesReleased(holder: String, at: Int64)
  case bidOpened(bidder: String, items: OpeningItems, bidKey: String)
  case bidUndecryptable(bidder: String, outcome: OpeningRules.UndecryptableOutcome)
  case openingRecordPublished(at: Int64, opened: Int, undecryptable: Int)
  /// What the platform found among the opened bids' manifests, files, uploads and bonds.
  case collusionSignsFound(findings: [CollusionFinding], at: Int64)
  case openingConfirmed(bidder: String, at: Int64)
  case openingClosed(at: Int64)
  case committeeFormed(members: Int, experts: Int, at: Int64)
  case evaluationExtended(asking: Int, members: Int, at: Int64)
  case rejectionFlagged(member: String, bidder: String, ground: RejectionGround)
  /// A drawn expert declared a tie to a bidder and left the committee before checking in (条例46).
  case memberRecused(member: String, at: Int64)
  /// Experts drawn to the recused members' seats; the committee may then evaluate.
  case committeeReplenished(experts: Int, at: Int64)
  /// A member checked in, declaring no tie calling for recusal (条例46).
  case memberCheckedIn(member: String, at: Int64)
  case leaderElected(member: String, votes: Int, at: Int64)
  case stageConcluded(member: String, stage: EvaluationStage, at: Int64)
  case stageCompleted(stage: EvaluationStage, at: Int64)
  /// The leader took the committee back to an earlier stage, for the reason given.
  case stageReturned(from: EvaluationStage?, to: EvaluationStage, reason: String, at: Int64)
  /// The sheet itself is logged, so the archive proves every mark.
  case scoresSubmitted(member: String, at: Int64, sheet: ScoreSheet)
  /// The credit score of each bidder a credit criterion was marked from, at the report.
  case creditScored(scores: [String: Int])
  case evaluationReported(candidates: [String], at: Int64)
  /// A member signs the report, with its dissent in writing if it disagrees (条例53).
  case reportSigned(member: String, dissent: String?, at: Int64)
  case publicityStarted(start: Int64, end: Int64)
  /// A candidate stands down, on its own declaration or the tenderer's record of its failure to
  /// provide the performance bond (条例55); a lower-ranked candidate may then be awarded.
  case candidateExcused(bidder: String, ground: ExcuseGround, at: Int64)
  case awarded(bidder: String, rank: Int, at: Int64, contractDue: LegalDate, reportDue: LegalDate)
  /// At the award, when the result makes them public (条例46), the committee's members with
  /// their employers and declared conflicts, and the bidders opened: supervision checks recusal.
  case committeeDisclosed(members: [CommitteeMember], bidders: [String])
  case contractSigned(at: Int64, price: Money, bondRefundDue: LegalDate)
  case reportFiled(at: Int64)
  /// The tenderer's self-tendering filing (自行招标备案, 法12), with the basis it states.
  case selfTenderingFiled(at: Int64, basis: String)
  case archived(at: Int64)
  /// A due date counted over days of a year the working calendar does not hold (its holidays
  /// unpublished or not loaded): only weekends were skipped, so the date may be early.
  case dueDateProvisional(rule: String, due: LegalDate, at: Int64)
  /// A deadline of the law passed without the step: the supervision platform raises its alert.
  case deadlineMissed(rule: String, due: LegalDate, at: Int64)
  /// A supervision order applied (监督指令); a termination it orders follows as `terminated`.
  case orderApplied(id: String, kind: SupervisionOrder.Kind, at: Int64, reason: String)
}

extension Section {
  /// The record that `due`, counted from `now` under `rule`, is provisional, if the calendar
  /// does not hold every year it spans.
  static func provisional(
    _ due: LegalDate, from now: Int64, rule: Rule, calendar: WorkingCalendar
  ) -> [SectionEvent] {
    calendar.covers(from: LegalDate(instant: now), through: due)
      ? [] : [.dueDateProvisional(rule: rule.code, due: due, at: now)]
  }
}

/// A transition's result: the new state and the events it emits.
public struct Transition: Sendable, Equatable {
  public let section: Section
  public let events: [SectionEvent]

  /// The same transition, logging also what objection `id` (or its answer) says, if anything.
  public func stating(_ text: String?, objection id: String, answer: Bool, at now: Int64)
    -> Transition
  {
    guard let text, !text.isEmpty else { return self }
    return Transition(
      section: section,
      events: events + [.objectionStated(id: id, answer: answer, text: text, at: now)])
  }
}

/// Why a transition was refused: a statutory rule, or an action the state does not allow.
public enum DomainError: Error, Sendable, Equatable, CustomStringConvertible {
  case rule(RuleViolation)
  /// `action` is not possible while the section is in `phase`.
  case wrongPhase(action: String, phase: SectionPhase)
  /// What was not found, in English and in Chinese.
  case notFound(String, chinese: String? = nil)
  /// Input the domain cannot accept, whatever the state (e.g. an impossible key-holder set): why,
  /// in English and in Chinese.
  case invalid(String, chinese: String? = nil)

  public var description: String {
    switch self {
    case .rule(let violation): violation.description
    case .wrongPhase(let action, let phase):
      "cannot \(action) while the section is \(phase.rawValue)"
    case .notFound(let what, _): "\(what) not found"
    case .invalid(let why, _): why
    }
  }

  /// Equal when they state the same refusal. The Chinese of `notFound` and `invalid` is left
  /// out: it translates the English, it carries no fact of its own.
  public static func == (lhs: DomainError, rhs: DomainError) -> Bool {
    switch (lhs, rhs) {
    case (.rule(let left), .rule(let right)): left == right
    case (.wrongPhase(let leftAction, let leftPhase), .wrongPhase(let rightAction, let rightPhase)):
      leftAction == rightAction && leftPhase == rightPhase
    case (.notFound(let left, _), .notFound(let right, _)): left == right
    case (.invalid(let left, _), .invalid(let right, _)): left == right
    default: false
    }
  }
}
