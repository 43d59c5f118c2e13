/// What a complaint (投诉) is about, which decides whether an objection must come first (条例60).
public enum ComplaintMatter: String, Codable, Sendable, CaseIterable {
  /// The prequalification or tender documents, objected to with the tenderer first (条例22).
  case documents
  /// The opening, objected to at the opening first (条例44).
  case opening
  /// The winning candidates, objected to during publicity first (条例54).
  case candidates
  /// Anything else, complained of directly.
  case other

  public var needsObjectionFirst: Bool { self != .other }

  /// What the complaint concerns, as a Chinese refusal or page names it.
  public var chinese: String {
    switch self {
    case .documents: "资格预审文件或招标文件"
    case .opening: "开标"
    case .candidates: "评标结果"
    case .other: "其他事项"
    }
  }
}

/// The objection a complainant raised with the tenderer before complaining, and its answer.
public struct ObjectionHistory: Codable, Sendable, Equatable {
  public var raisedAt: Int64
  /// Nil if the tenderer never answered.
  public var answeredAt: Int64?

  public init(raisedAt: Int64, answeredAt: Int64? = nil) {
    self.raisedAt = raisedAt
    self.answeredAt = answeredAt
  }

  /// The objection a complainant claims, as the process's record has it (条例60): the one with
  /// `id`, or else the one raised within ten minutes of the claimed time; its times are the
  /// record's, not the complainant's. Nil when the record has no such objection.
  public static func onRecord(
    id: String?, claimed: ObjectionHistory?, in timeline: [(at: Int64, event: SectionEvent)]
  ) -> ObjectionHistory? {
    let raised = timeline.compactMap { entry -> (id: String, at: Int64)? in
      if case .objectionRaised(let objection, let at, _) = entry.event { return (objection, at) }
      return nil
    }
    let match =
      if let id {
        raised.first { $0.id == id }
      } else if let claimed {
        raised.first { ($0.at - 600...$0.at + 600).contains(claimed.raisedAt) }
      } else {
        nil as (id: String, at: Int64)?
      }
    guard let match else { return nil }
    let answered = timeline.lazy.compactMap { entry -> Int64? in
      if case .objectionAnswered(let objection, let at) = entry.event, objection == match.id {
        return at
      }
      return nil
    }.first
    return ObjectionHistory(raisedAt: match.at, answeredAt: answered)
  }
}

/// 投诉: a complaint to the supervisory department, filed within 10 days of knowing (条例60),
/// accepted or refused within 3 working days and ruled on within 30 working days of acceptance,
/// the time for inspection, testing or expert assessment excluded (条例61).
///
/// The deadlines bind the department, not the complainant: a late acceptance or ruling is still
/// taken, and shows meanwhile in `overdue(at:)`.
public struct Complaint: Codable, Sendable, Equatable {
  /// Where a complaint stands.
  public enum Status: String, Codable, Sendable {
    case filed
    case accepted
    case refused
    case ruled
    case withdrawn

    /// The status, as a Chinese refusal or page names it.
    public var chinese: String {
      switch self {
      case .filed: "已提出"
      case .accepted: "已受理"
      case .refused: "不予受理"
      case .ruled: "已作出处理决定"
      case .withdrawn: "已撤回"
      }
    }
  }

  /// The work 条例61 leaves out of the 30 working days.
  public enum PauseReason: String, Codable, Sendable, CaseIterable {
    /// 检验
    case inspection
    /// 检测
    case testing
    /// 鉴定
    case appraisal
    /// 专家评审
    case expertReview
  }

  /// A time the ruling clock stood still; `to` is nil while it still does.
  public struct Pause: Codable, Sendable, Equatable {
    public var reason: PauseReason
    public var from: Int64
    public var to: Int64?
  }

  public internal(set) var id: String
  public internal(set) var section: String
  /// The complainant's credit code.
  public internal(set) var complainant: String
  public internal(set) var matter: ComplaintMatter
  public internal(set) var facts: String
  /// When the complainant knew, or should have known, what it complains of.
  public internal(set) var knewAt: Int64
  public internal(set) var filedAt: Int64
  public internal(set) var objection: ObjectionHistory?
  public internal(set) var status: Status
  /// The last day to accept or refuse: 3 working days after the day of filing.
  public internal(set) var acceptanceDue: LegalDate
  public internal(set) var acceptedAt: Int64? = nil
  /// The last day to rule: 30 working days after the day of acceptance, later by each pause.
  public internal(set) var rulingDue: LegalDate? = nil
  public internal(set) var pauses: [Pause] = []
  /// The department ordered the tendering suspended while it handles the complaint (条例62).
  public internal(set) var suspendsProcess = false
  /// The reason for a refusal, or the ruling; either is published.
  public internal(set) var decision: String? = nil
  /// When the complaint was refused or ruled on.
  public internal(set) var decidedAt: Int64? = nil
  public internal(set) var withdrawnAt: Int64? = nil

  /// Files a complaint (条例60): within 10 days of the day the complainant knew, and for the
  /// documents, the opening or the candidates only after an objection to the tenderer.
  ///
  /// The day of knowing is not counted, so the 10th day after it is the last (a rest day moving
  /// to the next working day). For an objection-first matter, the days after the objection was
  /// raised through the day it was answered do not count; if it was never answered, none after
  /// its raising do, so the complaint is in time when the objection was.
  public static func file(
    id: String, section: String, complainant: String, matter: ComplaintMatter, facts: String,
    knewAt: Int64, objection: ObjectionHistory?, at now: Int64, calendar: WorkingCalendar
  ) throws(DomainError) -> Complaint {
    guard !isBlank(id), !isBlank(section), !isBlank(facts) else {
      throw .invalid(
        "a complaint needs an id, its section and the facts complained of",
        chinese: "投诉应当载明编号、所涉标段及投诉事实")
    }
    let complainant = try Account.checkedCreditCode(complainant)
    guard knewAt <= now else {
      throw .invalid(
        "a complaint cannot concern what the complainant learns after filing it",
        chinese: "投诉人知道或者应当知道投诉事项的时间不得晚于投诉时间")
    }
    // However long an objection waited, knowing or objecting more than a year before filing is
    // out of time (and keeps instants a caller sends inside the range day arithmetic needs).
    let yearBefore = now - 366 * 86_400
    guard knewAt >= yearBefore, (objection?.raisedAt ?? now) >= yearBefore else {
      throw .rule(
        RuleViolation(
          Rules.complaintWithin10Days, "the complainant knew or objected over a year before",
          chinese: "投诉人知道或者应当知道、或者提出异议之日距投诉已超过一年"))
    }
    if let objection {
      guard objection.raisedAt <= now else {
        throw .rule(
          RuleViolation(
            Rules.complaintWithin10Days, "the objection must come before the complaint",
            chinese: "异议应当先于投诉提出"))
      }
      if let answeredAt = objection.answeredAt, !(objection.raisedAt...now).contains(answeredAt) {
        throw .invalid(
          "an objection is answered after it is raised and before the complaint",
          chinese: "异议的答复时间应当在异议提出之后、投诉之前")
      }
    } else if matter.needsObjectionFirst {
      throw .rule(
        RuleViolation(
          Rules.complaintWithin10Days,
          "a complaint about the \(matter.rawValue) comes after an objection to the tenderer",
          chinese: "就\(matter.chinese)投诉的，应当先向招标人提出异议"))
    }
    let knew = LegalDate(instant: knewAt)
    var notCounted = 0
    if matter.needsObjectionFirst, let objection {
      notCounted = waitedForAnswer(objection, knew: knew, filedAt: now)
    }
    let lastDay = calendar.nextWorkingDay(onOrAfter: knew.adding(days: 10 + notCounted))
    guard LegalDate(instant: now) <= lastDay else {
      throw .rule(
        RuleViolation(
          Rules.complaintWithin10Days,
          "the complainant knew on \(knew): the last day was \(lastDay)",
          chinese: "投诉人于\(knew)知道或者应当知道，投诉期限至\(lastDay)届满"))
    }
    return Complaint(
      id: id, section: section, complainant: complainant, matter: matter, facts: facts,
      knewAt: knewAt, filedAt: now, objection: objection, status: .filed,
      acceptanceDue: calendar.adding(workingDays: 3, to: LegalDate(instant: now)))
  }

  /// The department accepts the complaint, possibly suspending the tendering meanwhile; the
  /// ruling is due 30 working days after the day of acceptance (条例61).
  public func accept(
    at now: Int64, calendar: WorkingCalendar, suspendingProcess: Bool
  ) throws(DomainError) -> Complaint {
    try require(.filed, to: "accept", chinese: "受理", at: now, notBefore: filedAt)
    var next = self
    next.status = .accepted
    next.acceptedAt = now
    next.rulingDue = calendar.adding(workingDays: 30, to: LegalDate(instant: now))
    next.suspendsProcess = suspendingProcess
    return next
  }

  /// The department refuses the complaint, saying why.
  public func refuse(at now: Int64, reason: String) throws(DomainError) -> Complaint {
    try require(.filed, to: "refuse", chinese: "决定不予受理", at: now, notBefore: filedAt)
    guard !Self.isBlank(reason) else {
      throw .invalid("a refusal says why", chinese: "不予受理应当说明理由")
    }
    var next = self
    next.status = .refused
    next.decision = reason
    next.decidedAt = now
    return next
  }

  /// Stops the ruling clock for inspection, testing or expert assessment (条例61).
  public func pauseClock(reason: PauseReason, at now: Int64) throws(DomainError) -> Complaint {
    try require(
      .accepted, to: "pause the ruling clock", chinese: "暂停计算处理期限", at: now,
      notBefore: pauses.last?.to ?? acceptedAt ?? filedAt)
    var next = self
    next.pauses.append(Pause(reason: reason, from: now, to: nil))
    return next
  }

  /// Restarts the ruling clock; the ruling falls due later by the working days after the day
  /// the pause began, through the day the clock restarts. The first day counts as worked on;
  /// the day of restarting is given back whole.
  public func resumeClock(at now: Int64, calendar: WorkingCalendar) throws(DomainError)
    -> Complaint
  {
    guard status == .accepted, isPaused, let pause = pauses.last, let rulingDue else {
      throw .invalid(
        "the ruling clock of complaint \(id) is not paused", chinese: "投诉\(id)的处理期限未暂停计算")
    }
    guard now >= pause.from else {
      throw .invalid(
        "the clock restarts after it stopped", chinese: "恢复计算处理期限的时间不得早于暂停时间")
    }
    let paused = calendar.workingDays(
      after: LegalDate(instant: pause.from), through: LegalDate(instant: now))
    var next = self
    next.pauses[pauses.count - 1].to = now
    next.rulingDue = calendar.adding(workingDays: paused, to: rulingDue)
    return next
  }

  /// The department rules on the complaint; the ruling is then published.
  public func rule(decision: String, at now: Int64) throws(DomainError) -> Complaint {
    try require(
      .accepted, to: "rule on", chinese: "作出处理决定", at: now, notBefore: acceptedAt ?? filedAt)
    guard !Self.isBlank(decision) else {
      throw .invalid("a ruling states the decision", chinese: "处理决定应当载明决定内容")
    }
    var next = self
    next.status = .ruled
    next.decision = decision
    next.decidedAt = now
    return next
  }

  /// The complainant withdraws the complaint before it is decided; an open pause ends with it.
  public func withdraw(at now: Int64) throws(DomainError) -> Complaint {
    guard status == .filed || status == .accepted else {
      throw .invalid(
        "cannot withdraw complaint \(id) while it is \(status.rawValue)",
        chinese: "投诉\(id)当前状态为“\(status.chinese)”，不能撤回")
    }
    guard now >= filedAt else {
      throw .invalid(
        "a complaint is withdrawn after it is filed", chinese: "撤回投诉的时间不得早于投诉时间")
    }
    var next = self
    if isPaused { next.pauses[pauses.count - 1].to = now }
    next.status = .withdrawn
    next.withdrawnAt = now
    return next
  }

  /// Whether the ruling clock stands still.
  public var isPaused: Bool { pauses.last.map { $0.to == nil } ?? false }

  /// Whether the tendering waits for this complaint: ordered suspended and not yet ruled on.
  public var holdsProcess: Bool { suspendsProcess && status == .accepted }

  /// The deadlines of 条例61 passed without the department's step: acceptance or refusal, or
  /// the ruling. A stopped clock holds the ruling's due day, unless it had passed already.
  public func overdue(at now: Int64) -> [Rule] {
    let clock = isPaused ? pauses.last?.from ?? now : now
    let late =
      switch status {
      case .filed: TimeLimits.isOverdue(acceptanceDue, now: now)
      case .accepted: rulingDue.map { TimeLimits.isOverdue($0, now: clock) } ?? false
      default: false
      }
    return late ? [Rules.complaintDecisionDays] : []
  }

  /// Days not counted for the period of filing: after the objection was raised (or the day of
  /// knowing, if later) through its answer, or through the filing if there was none.
  private static func waitedForAnswer(
    _ objection: ObjectionHistory, knew: LegalDate, filedAt: Int64
  ) -> Int {
    let raised = max(LegalDate(instant: objection.raisedAt), knew)
    let answered = LegalDate(instant: objection.answeredAt ?? filedAt)
    return max(0, raised.days(until: answered))
  }

  /// Refuses `action` (in Chinese, `chineseAction`) unless the complaint is `expected` and its
  /// clock runs, and `now` is not before `earliest`.
  private func require(
    _ expected: Status, to action: String, chinese chineseAction: String, at now: Int64,
    notBefore earliest: Int64
  ) throws(DomainError) {
    guard status == expected, !isPaused else {
      let state = isPaused ? "paused" : status.rawValue
      let chineseState = isPaused ? "处理期限暂停计算" : status.chinese
      throw .invalid(
        "cannot \(action) complaint \(id) while it is \(state)",
        chinese: "投诉\(id)当前状态为“\(chineseState)”，不能\(chineseAction)")
    }
    guard now >= earliest else {
      throw .invalid(
        "cannot \(action) complaint \(id) before its previous step",
        chinese: "投诉\(id)的上一步骤完成之前，不能\(chineseAction)")
    }
  }

  private static func isBlank(_ text: String) -> Bool { text.allSatisfy(\.isWhitespace) }
}
