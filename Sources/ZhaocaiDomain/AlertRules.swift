/// The rules the supervision platform checks on a section's timeline by itself (预警). It reads
/// what the trading platform logged and counts the law's days with its own calendar, so a
/// platform that counts a due day wrongly, or never reports a missed one, is still caught.
/// Expert recusal (法37, 条例46) is checked once the result makes the committee's names public:
/// the trading platform discloses its members with their ties at the award.
public enum AlertRules {
  private typealias Entry = (at: Int64, event: SectionEvent)

  /// Every alert the timeline shows at `now`, ordered by time, then code: one for each entry
  /// that breaks a rule, one for each step not taken by its due day, and one for each missed
  /// deadline the trading platform reports that these checks did not find. Entries logged
  /// after `now` are not known yet, so a past day can be replayed.
  public static func alerts(
    section: String, timeline: [(at: Int64, event: SectionEvent)], now: Int64,
    calendar: WorkingCalendar
  ) -> [Alert] {
    let entries = timeline.filter { $0.at <= now }
    let missed = missedSteps(entries, now: now, calendar: calendar)
    var found = entries.flatMap { brokenBy($0, section: section) }
    found += amendments(entries, section: section)
    found += openings(entries, section: section)
    found += missed.map { $0.alert(section: section) }
    found += reportedMissed(entries, besides: missed, section: section)
    return found.enumerated().sorted { a, b in
      (a.element.raisedAt, a.element.code, a.offset)
        < (b.element.raisedAt, b.element.code, b.offset)
    }.map(\.element)
  }

  /// 法24, 条例16, 法37, 条例54: what one entry breaks by itself.
  private static func brokenBy(_ entry: Entry, section: String) -> [Alert] {
    var violations: [RuleViolation] = []
    switch entry.event {
    case .published(let schedule, _):
      violations += broken { () throws(RuleViolation) in
        try TimeLimits.checkBidDeadline(
          documentsIssued: schedule.documentsIssuedAt, deadline: schedule.bidDeadline)
      }
      violations += broken { () throws(RuleViolation) in
        try TimeLimits.checkSalePeriod(start: schedule.documentsIssuedAt, end: schedule.saleEndsAt)
      }
    case .committeeFormed(let members, let experts, _):
      violations += broken { () throws(RuleViolation) in
        try EvaluationRules.checkCommittee(members: members, experts: experts)
      }
    case .committeeDisclosed(let members, let bidders):
      for member in members where member.isExpert {
        let ties = Set(member.employers + member.conflicts).intersection(bidders)
        if !ties.isEmpty {
          violations.append(
            RuleViolation(
              Rules.expertRecusal,
              "expert \(member.id) sat on the committee though tied to bidder \(ties.sorted().joined(separator: ", "))",
              chinese:
                "专家\(member.id)与投标人\(ties.sorted().joined(separator: "、"))存在利害关系，仍进入评标委员会"
            ))
        }
      }
    case .publicityStarted(let start, let end):
      // Only the length: the timeline does not say when the tenderer received the report.
      let earliestEnd = LegalDate(instant: start).adding(days: 3)
      if LegalDate(instant: end) < earliestEnd {
        violations.append(
          RuleViolation(
            Rules.publicityMin3Days,
            "publicity from \(LegalDate(instant: start)) ended on \(LegalDate(instant: end));"
              + " it had to last until \(earliestEnd)",
            chinese:
              "公示自\(LegalDate(instant: start))起至\(LegalDate(instant: end))止；"
              + "公示期截止日不得早于\(earliestEnd)"))
      }
    case .collusionSignsFound(let findings, _):
      // A sign is not a broken rule the platform can judge: the alert says what was found and
      // where, and the committee and the supervisor weigh it (条例40).
      for finding in findings {
        let fields = finding.evidence.map(\.field).filter { $0 != "holder" }
        violations.append(
          RuleViolation(
            finding.sign.rule,
            "bidders \(finding.bidders.joined(separator: ", ")): \(fields.joined(separator: ", "))"
              + " (\(finding.strength.rawValue))",
            chinese: "投标人\(finding.bidders.joined(separator: "、"))：\(fields.joined(separator: "、"))"
          ))
      }
    default:
      break
    }
    return violations.map {
      Alert(section: section, rule: $0.rule, detail: $0.detail, raisedAt: entry.at)
    }
  }

  /// 法23, 条例21: an amendment issued too close to the deadline it leaves in place. During
  /// prequalification an amendment concerns the application deadline, 3 days away at least.
  private static func amendments(_ entries: [Entry], section: String) -> [Alert] {
    var applicationDeadline: Int64?
    var alerts: [Alert] = []
    for entry in entries {
      switch entry.event {
      case .published(let schedule, _):
        applicationDeadline = schedule.applicationDeadline
      case .amended(let number, let issuedAt, let deadline, _, _):
        let prequalification = applicationDeadline.map { issuedAt < $0 } ?? false
        if prequalification { applicationDeadline = deadline }
        let earliest = LegalDate(instant: issuedAt).adding(days: prequalification ? 3 : 15)
        guard LegalDate(instant: deadline) < earliest else { continue }
        alerts.append(
          Alert(
            section: section, rule: TimeLimits.amendmentRule(prequalification: prequalification),
            detail: "amendment \(number), issued on \(LegalDate(instant: issuedAt)), leaves the"
              + " deadline on \(LegalDate(instant: deadline)); it had to move to \(earliest)",
            raisedAt: entry.at))
      default:
        break
      }
    }
    return alerts
  }

  /// 条例44: bids opened although fewer than 3 came, one alert per close of bidding: either the
  /// close is not followed by the section's end, or the opening record counts fewer than 3.
  private static func openings(_ entries: [Entry], section: String) -> [Alert] {
    var alerts: [Alert] = []
    var raisedForThisClose = false
    for (index, entry) in entries.enumerated() {
      var detail: String?
      switch entry.event {
      case .biddingClosed(_, let bids):
        raisedForThisClose = false
        let untilNextClose = entries[(index + 1)...].prefix { !closesBidding($0.event) }
        if bids < 3, !untilNextClose.contains(where: { endsSection($0.event) }) {
          detail = "bidding closed with \(bids) bid(s) and the section went on"
        }
      case .openingRecordPublished(_, let opened, let undecryptable)
      where opened + undecryptable < 3 && !raisedForThisClose:
        detail = "the opening record shows \(opened + undecryptable) bid(s) opened"
      default:
        break
      }
      guard let detail else { continue }
      raisedForThisClose = true
      alerts.append(
        Alert(section: section, rule: Rules.minimumThreeBids, detail: detail, raisedAt: entry.at))
    }
    return alerts
  }

  /// A statutory step not taken by its due day, as the law counts it.
  private struct MissedStep {
    let rule: Rule
    let due: LegalDate
    /// The due day the trading platform sent, which its own deadline-missed event names.
    let sentDue: LegalDate
    let detail: String

    func alert(section: String) -> Alert {
      Alert(
        section: section, rule: rule, detail: detail, raisedAt: due.adding(days: 1).startInstant)
    }
  }

  /// 法46, 法47, 条例22, 条例54: the contract, the written report and the answer to each
  /// objection, due on the days the supervisor's calendar gives, not those the platform sent.
  private static func missedSteps(
    _ entries: [Entry], now: Int64, calendar: WorkingCalendar
  ) -> [MissedStep] {
    var missed: [MissedStep?] = []
    var objections: Set<String> = []
    for (index, entry) in entries.enumerated() {
      let later = entries[(index + 1)...].map(\.event)
      switch entry.event {
      case .awarded(_, _, let awardedAt, let contractDue, let reportDue):
        missed.append(
          step(
            Rules.contractWithin30Days, "the contract",
            due: TimeLimits.contractDue(awardNoticeAt: awardedAt, calendar: calendar),
            sentDue: contractDue, doneAt: later.lazy.compactMap(contractSigned).first, now: now))
        missed.append(
          step(
            Rules.reportWithin15Days, "the written report",
            due: TimeLimits.reportDue(awardAt: awardedAt, calendar: calendar),
            sentDue: reportDue, doneAt: later.lazy.compactMap(reportFiled).first, now: now))
      case .objectionRaised(let id, let raisedAt, let answerDue):
        guard objections.insert(id).inserted else { continue }
        missed.append(
          step(
            Rules.objectionAnswer3Days, "the answer to objection \(id)",
            due: TimeLimits.objectionAnswerDue(receivedAt: raisedAt, calendar: calendar),
            sentDue: answerDue, doneAt: later.lazy.compactMap { answered(id, $0) }.first,
            now: now))
      default:
        break
      }
    }
    return missed.compactMap { $0 }
  }

  private static func step(
    _ rule: Rule, _ what: String, due: LegalDate, sentDue: LegalDate, doneAt: Int64?, now: Int64
  ) -> MissedStep? {
    guard TimeLimits.isOverdue(due, now: doneAt ?? now) else { return nil }
    let outcome = doneAt.map { "came on \(LegalDate(instant: $0))" } ?? "has not come"
    return MissedStep(
      rule: rule, due: due, sentDue: sentDue, detail: "\(what), due on \(due), \(outcome)")
  }

  /// Missed deadlines the trading platform reports that the checks above did not find (a bond
  /// refunded late, a due day counted differently): one alert each, the rest being found twice.
  private static func reportedMissed(
    _ entries: [Entry], besides found: [MissedStep], section: String
  ) -> [Alert] {
    var unmatched = found
    var alerts: [Alert] = []
    for entry in entries {
      guard case .deadlineMissed(let code, let due, _) = entry.event else { continue }
      if let index = unmatched.firstIndex(where: {
        $0.rule.code == code && ($0.due == due || $0.sentDue == due)
      }) {
        unmatched.remove(at: index)
        continue
      }
      // A code this version does not know (a newer platform's rule) still raises its alert.
      let rule = Rules.all.first { $0.code == code }
      alerts.append(
        Alert(
          section: section, code: code, article: rule?.article ?? "",
          detail: "the trading platform reports the step due on \(due) missed"
            + (rule.map { ": \($0.english)" } ?? ""),
          raisedAt: due.adding(days: 1).startInstant))
    }
    return alerts
  }

  private static func broken(_ check: () throws(RuleViolation) -> Void) -> [RuleViolation] {
    do {
      try check()
      return []
    } catch {
      return [error]
    }
  }

  private static func closesBidding(_ event: SectionEvent) -> Bool {
    switch event {
    case .biddingClosed: true
    default: false
    }
  }

  private static func endsSection(_ event: SectionEvent) -> Bool {
    switch event {
    case .sectionFailed, .terminated: true
    default: false
    }
  }

  private static func contractSigned(_ event: SectionEvent) -> Int64? {
    switch event {
    case .contractSigned(let at, _, _): at
    default: nil
    }
  }

  private static func reportFiled(_ event: SectionEvent) -> Int64? {
    switch event {
    case .reportFiled(let at): at
    default: nil
    }
  }

  private static func answered(_ id: String, _ event: SectionEvent) -> Int64? {
    switch event {
    case .objectionAnswered(id, let at): at
    default: nil
    }
  }
}
