/// A department's decision on a party's violation (不良行为记录), with the ban it imposes, if any
/// (市场禁入): published at the hub within 20 working days, for six months or the ban's length if
/// longer (违法行为记录公告暂行办法), and from there enforced by every trading platform.
public struct CreditDecision: Codable, Sendable, Equatable {
  /// The kind of the message that carries it to the hub.
  public static let messageKind = "credit.decision"

  public var id: String
  public var record: ViolationRecord
  public var ban: Ban?
  /// The process the violation happened in (`platform/section`), if the decision names one.
  public var process: String?

  public init(id: String, record: ViolationRecord, ban: Ban? = nil, process: String? = nil) {
    self.id = id
    self.record = record
    self.ban = ban
    self.process = process
  }

  /// The last day the record may be published.
  public static func publicationDue(decidedAt: Int64, calendar: WorkingCalendar) -> LegalDate {
    calendar.adding(workingDays: 20, to: LegalDate(instant: decidedAt))
  }

  /// Checks the record and the ban together, stretching the record's publication to the ban's
  /// end; refuses a decision published after its 20 working days.
  public func validated(publishedAt now: Int64, calendar: WorkingCalendar) throws(DomainError)
    -> CreditDecision
  {
    guard !id.isBlank else {
      throw .invalid("a credit decision has an id", chinese: "信用处理决定应当载明编号")
    }
    var decision = self
    decision.record = try record.validated()
    if let ban {
      guard ban.party == decision.record.party, ban.startsAt < ban.endsAt, !ban.reason.isBlank
      else {
        throw .invalid(
          "a ban names the record's party, a reason, and ends after it starts",
          chinese: "禁止投标决定应当针对该记录的当事人、载明理由，且结束时间晚于开始时间")
      }
      decision.record.expiresAt = max(decision.record.expiresAt, ban.endsAt)
    }
    let due = Self.publicationDue(decidedAt: record.decidedAt, calendar: calendar)
    guard !TimeLimits.isOverdue(due, now: now) else {
      throw .rule(
        RuleViolation(
          Rules.violationPublication,
          "decided on \(LegalDate(instant: record.decidedAt)), it had to be published by \(due)",
          chinese: "处理决定于\(LegalDate(instant: record.decidedAt))作出，应当不迟于\(due)公告"))
    }
    return decision
  }
}
