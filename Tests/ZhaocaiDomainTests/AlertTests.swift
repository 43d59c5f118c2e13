import Testing

@testable import ZhaocaiDomain

/// A section's timeline as the supervision platform receives it: it keeps every rule unless a
/// test changes it.
struct AlertTimeline {
  typealias Entry = (at: Int64, event: SectionEvent)

  static let calendar = WorkingCalendar.china2026
  static let deadline = shanghai("2026-11-27", 9, 30)
  static let objectionAt = shanghai("2026-11-12", 10)
  /// Due on Monday 16 November (the third day is a Sunday).
  static let answerDue = TimeLimits.objectionAnswerDue(receivedAt: objectionAt, calendar: calendar)
  static let awardAt = shanghai("2026-12-07", 10)
  /// 6 January 2027 and 22 December 2026.
  static let contractDue = TimeLimits.contractDue(awardNoticeAt: awardAt, calendar: calendar)
  static let reportDue = TimeLimits.reportDue(awardAt: awardAt, calendar: calendar)

  var schedule = TenderSchedule(
    documentsIssuedAt: shanghai("2026-11-02"), saleEndsAt: shanghai("2026-11-09", 17),
    bidDeadline: deadline, keyHolders: testHolders, threshold: 2)
  var amendments: [Entry] = []
  var objectionAnswered: Int64? = shanghai("2026-11-13", 10)
  var committee = (members: 5, experts: 4)
  var publicity = (start: shanghai("2026-12-01"), end: shanghai("2026-12-04", 17))
  /// Days the trading platform adds to the due days it sends with the award.
  var laxDays = 0
  var contractSigned: Int64? = shanghai("2026-12-20", 10)
  var reportFiled: Int64? = shanghai("2026-12-15", 10)
  /// More entries, such as the trading platform's own deadline-missed events.
  var more: [Entry] = []

  static func amendment(_ number: Int, at issued: Int64, deadline: Int64) -> Entry {
    (issued, .amended(number: number, at: issued, deadline: deadline, movedFrom: nil, rule: nil))
  }

  static func missed(_ rule: Rule, due: LegalDate, at: Int64) -> Entry {
    (at, .deadlineMissed(rule: rule.code, due: due, at: at))
  }

  var published: Entry {
    (shanghai("2026-11-02"), .published(schedule: schedule, at: shanghai("2026-11-02")))
  }

  var entries: [Entry] {
    let deadline = Self.deadline
    let committeeAt = shanghai("2026-11-27", 14)
    var entries: [Entry] = [
      published,
      (
        Self.objectionAt,
        .objectionRaised(id: "O1", at: Self.objectionAt, answerDue: Self.answerDue)
      ),
      (deadline, .biddingClosed(at: deadline, bids: 4)),
      (deadline + 120, .openingRecordPublished(at: deadline + 120, opened: 4, undecryptable: 0)),
      (
        committeeAt,
        .committeeFormed(members: committee.members, experts: committee.experts, at: committeeAt)
      ),
      (
        shanghai("2026-11-30"),
        .evaluationReported(candidates: ["A", "B", "C"], at: shanghai("2026-11-30"))
      ),
      (publicity.start, .publicityStarted(start: publicity.start, end: publicity.end)),
      (
        Self.awardAt,
        .awarded(
          bidder: "A", rank: 1, at: Self.awardAt,
          contractDue: Self.contractDue.adding(days: laxDays),
          reportDue: Self.reportDue.adding(days: laxDays))
      ),
    ]
    entries += amendments + more
    if let objectionAnswered {
      entries.append((objectionAnswered, .objectionAnswered(id: "O1", at: objectionAnswered)))
    }
    if let contractSigned {
      let refundDue = TimeLimits.bondRefundDue(after: contractSigned, calendar: Self.calendar)
      entries.append(
        (
          contractSigned,
          .contractSigned(
            at: contractSigned, price: Money(yuan: 41_000_000), bondRefundDue: refundDue)
        ))
    }
    if let reportFiled { entries.append((reportFiled, .reportFiled(at: reportFiled))) }
    // In the order they were logged.
    return entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
      .map(\.element)
  }

  func alerts(at now: Int64 = shanghai("2027-01-31")) -> [Alert] {
    AlertRules.alerts(section: "S1", timeline: entries, now: now, calendar: Self.calendar)
  }
}

/// 预警: the supervision platform's own checks on a section's timeline.
@Suite struct AlertTests {
  typealias Entry = AlertTimeline.Entry
  let calendar = AlertTimeline.calendar

  func startOf(_ day: String) -> Int64 { LegalDate(day)!.startInstant }

  @Test func aSectionThatKeepsEveryRuleRaisesNothing() {
    #expect(AlertTimeline().alerts() == [])
  }

  /// 法37, 条例46: disclosed at the award, an expert tied to a bidder is raised; a committee
  /// free of ties (and a tenderer's representative, who is no expert) raises nothing.
  @Test func anExpertTiedToABidderIsRaisedWhenTheCommitteeIsDisclosed() {
    var f = AlertTimeline()
    let bidders = ["A", "B", "C", "D"]
    let clean = [
      CommitteeMember(id: "T", isExpert: false, employers: ["TENDERER"]),
      CommitteeMember(id: "E1", isExpert: true, employers: ["X"], conflicts: ["Y"]),
    ]
    f.more = [(AlertTimeline.awardAt, .committeeDisclosed(members: clean, bidders: bidders))]
    #expect(f.alerts() == [])
    f.more = [
      (
        AlertTimeline.awardAt,
        .committeeDisclosed(
          members: clean + [CommitteeMember(id: "E2", isExpert: true, employers: ["Z", "C"])],
          bidders: bidders)
      )
    ]
    #expect(
      f.alerts() == [
        Alert(
          section: "S1", code: "RULE_EXPERT_RECUSAL", article: "法37, 条例46",
          detail: "expert E2 sat on the committee though tied to bidder C",
          raisedAt: AlertTimeline.awardAt)
      ])
  }

  @Test func aBidDeadlineUnder20DaysAfterIssueIsRaisedAtPublication() {
    var f = AlertTimeline()
    f.schedule.bidDeadline = shanghai("2026-11-21", 9, 30)
    #expect(
      f.alerts() == [
        Alert(
          section: "S1", code: "RULE_DEADLINE_MIN_20_DAYS", article: "法24",
          detail: "the deadline must fall on or after 2026-11-22", raisedAt: shanghai("2026-11-02"))
      ])
    f.schedule.bidDeadline = shanghai("2026-11-22", 9, 30)
    #expect(f.alerts() == [])
  }

  @Test func aSalePeriodUnder5DaysIsRaised() {
    var f = AlertTimeline()
    f.schedule.saleEndsAt = shanghai("2026-11-06", 17)
    #expect(f.alerts().map(\.code) == ["RULE_SALE_PERIOD_MIN_5_DAYS"])
    f.schedule.saleEndsAt = shanghai("2026-11-07", 17)
    #expect(f.alerts() == [])
  }

  @Test func aNoticeBreakingTwoRulesRaisesBothInCodeOrder() {
    var f = AlertTimeline()
    f.schedule.saleEndsAt = shanghai("2026-11-06", 17)
    f.schedule.bidDeadline = shanghai("2026-11-20", 9, 30)
    let alerts = f.alerts()
    #expect(alerts.map(\.code) == ["RULE_DEADLINE_MIN_20_DAYS", "RULE_SALE_PERIOD_MIN_5_DAYS"])
    #expect(alerts.allSatisfy { $0.raisedAt == shanghai("2026-11-02") })
  }

  @Test func eachLateAmendmentThatLeavesTheDeadlineIsRaised() {
    var f = AlertTimeline()
    let deadline = AlertTimeline.deadline
    f.amendments = [
      AlertTimeline.amendment(1, at: shanghai("2026-11-12", 16), deadline: deadline),
      AlertTimeline.amendment(2, at: shanghai("2026-11-13", 16), deadline: deadline),
      AlertTimeline.amendment(3, at: shanghai("2026-11-20", 16), deadline: deadline),
    ]
    let alerts = f.alerts()
    #expect(alerts.map(\.code) == ["RULE_AMENDMENT_MIN_15_DAYS", "RULE_AMENDMENT_MIN_15_DAYS"])
    #expect(alerts.map(\.raisedAt) == [shanghai("2026-11-13", 16), shanghai("2026-11-20", 16)])
    #expect(
      alerts.first?.detail
        == "amendment 2, issued on 2026-11-13, leaves the deadline on 2026-11-27; it had to move to 2026-11-28"
    )
  }

  @Test func aLateAmendmentThatMovedTheDeadlineRaisesNothing() {
    var f = AlertTimeline()
    let issued = shanghai("2026-11-20", 16)
    let moved = TimeLimits.deadlineAfterAmendment(
      issuedAt: issued, deadline: AlertTimeline.deadline)
    f.amendments = [
      (
        issued,
        .amended(
          number: 1, at: issued, deadline: moved, movedFrom: AlertTimeline.deadline,
          rule: Rules.amendmentMin15Days.code)
      )
    ]
    #expect(f.alerts() == [])
  }

  @Test func prequalificationAmendmentsNeedOnly3Days() {
    var f = AlertTimeline()
    let applications = shanghai("2026-11-16", 9)
    f.schedule.applicationDeadline = applications
    f.amendments = [
      AlertTimeline.amendment(1, at: shanghai("2026-11-12", 10), deadline: applications),
      AlertTimeline.amendment(2, at: shanghai("2026-11-14", 10), deadline: applications),
    ]
    #expect(
      f.alerts().map(\.code) == ["RULE_PREQUALIFICATION_AMENDMENT_MIN_3_DAYS"])
    #expect(f.alerts().first?.raisedAt == shanghai("2026-11-14", 10))
  }

  @Test func eachSignFoundAtTheOpeningIsAnAlertWithItsRule() {
    let deadline = AlertTimeline.deadline
    let findings = CollusionSign.allCases.map {
      CollusionFinding(
        sign: $0, bidders: ["B", "A"], strength: .moderate,
        evidence: [
          CollusionEvidence(field: "holder", values: ["A"]), .init(field: "x", values: []),
        ])
    }
    let alerts = AlertRules.alerts(
      section: "S1",
      timeline: [
        AlertTimeline().published,
        (deadline + 60, .collusionSignsFound(findings: findings, at: deadline + 60)),
      ], now: deadline + 3600, calendar: calendar)
    #expect(alerts.map(\.code) == CollusionSign.allCases.map(\.rule.code).sorted())
    #expect(
      Set(alerts.map(\.article)) == [
        "条例40(1)", "条例40(2)", "条例40(3)", "条例40(4)", "条例40(5)", "条例40(6)",
      ])
    #expect(
      alerts.allSatisfy {
        $0.detail == "bidders A, B: x (moderate)" && $0.raisedAt == deadline + 60
      })
    let none = AlertRules.alerts(
      section: "S1",
      timeline: [
        AlertTimeline().published,
        (deadline + 60, .collusionSignsFound(findings: [], at: deadline + 60)),
      ], now: deadline + 3600, calendar: calendar)
    #expect(none == [])
  }

  @Test func bidsOpenedWithFewerThanThreeRaiseOneAlert() {
    let published = AlertTimeline().published
    let deadline = AlertTimeline.deadline
    func alerts(_ timeline: [Entry]) -> [Alert] {
      AlertRules.alerts(section: "S1", timeline: timeline, now: deadline + 3600, calendar: calendar)
    }
    let opened = alerts([
      published, (deadline, .biddingClosed(at: deadline, bids: 2)),
      (deadline + 120, .openingRecordPublished(at: deadline + 120, opened: 2, undecryptable: 0)),
    ])
    #expect(opened.map(\.code) == ["RULE_MIN_3_BIDS"])
    #expect(opened.first?.raisedAt == deadline)
    let failed = alerts([
      published, (deadline, .biddingClosed(at: deadline, bids: 2)),
      (deadline, .sectionFailed(at: deadline, rule: Rules.minimumThreeBids.code)),
    ])
    #expect(failed == [])
    // Four came, but the record shows two opened: the others vanished before the opening.
    let thinned = alerts([
      published, (deadline, .biddingClosed(at: deadline, bids: 4)),
      (deadline + 120, .openingRecordPublished(at: deadline + 120, opened: 1, undecryptable: 1)),
    ])
    #expect(thinned.map(\.code) == ["RULE_MIN_3_BIDS"])
    #expect(thinned.first?.raisedAt == deadline + 120)
    let counted = alerts([
      published, (deadline, .biddingClosed(at: deadline, bids: 3)),
      (deadline + 120, .openingRecordPublished(at: deadline + 120, opened: 2, undecryptable: 1)),
    ])
    #expect(counted == [])
  }

  @Test(arguments: [(4, 3), (6, 5), (5, 3)])
  func aCommitteeOfTheWrongMakeUpIsRaised(members: Int, experts: Int) {
    var f = AlertTimeline()
    f.committee = (members, experts)
    #expect(f.alerts().map(\.code) == ["RULE_COMMITTEE_COMPOSITION"])
    #expect(f.alerts().first?.raisedAt == shanghai("2026-11-27", 14))
  }

  @Test func aCommitteeOfSevenWithFiveExpertsRaisesNothing() {
    var f = AlertTimeline()
    f.committee = (7, 5)
    #expect(f.alerts() == [])
  }

  @Test func publicityUnder3DaysIsRaised() {
    var f = AlertTimeline()
    f.publicity.end = shanghai("2026-12-03", 17)
    #expect(
      f.alerts() == [
        Alert(
          section: "S1", code: "RULE_PUBLICITY_MIN_3_DAYS", article: "条例54",
          detail: "publicity from 2026-12-01 ended on 2026-12-03; it had to last until 2026-12-04",
          raisedAt: shanghai("2026-12-01"))
      ])
  }

  @Test func anUnsignedContractIsRaisedTheDayAfterItsDueDay() {
    var f = AlertTimeline()
    f.contractSigned = nil
    #expect(f.alerts(at: shanghai("2027-01-06", 23, 59)) == [])
    #expect(
      f.alerts(at: startOf("2027-01-07")) == [
        Alert(
          section: "S1", code: "RULE_CONTRACT_WITHIN_30_DAYS", article: "法46",
          detail: "the contract, due on 2027-01-06, has not come", raisedAt: startOf("2027-01-07"))
      ])
  }

  @Test func aContractSignedLateKeepsItsAlert() {
    var f = AlertTimeline()
    f.contractSigned = shanghai("2027-01-08")
    f.more = [
      AlertTimeline.missed(
        Rules.contractWithin30Days, due: AlertTimeline.contractDue, at: shanghai("2027-01-08"))
    ]
    #expect(
      f.alerts() == [
        Alert(
          section: "S1", code: "RULE_CONTRACT_WITHIN_30_DAYS", article: "法46",
          detail: "the contract, due on 2027-01-06, came on 2027-01-08",
          raisedAt: startOf("2027-01-07"))
      ])
    f.contractSigned = shanghai("2027-01-06", 17)
    f.more = []
    #expect(f.alerts() == [])
  }

  @Test func aLateReportTheTradingPlatformAlsoReportsIsOneAlert() {
    var f = AlertTimeline()
    f.reportFiled = nil
    #expect(f.alerts(at: shanghai("2026-12-22", 23, 59)) == [])
    f.reportFiled = shanghai("2027-01-09")
    // The trading platform's daily look found it missed on 23 December.
    f.more = [
      AlertTimeline.missed(
        Rules.reportWithin15Days, due: AlertTimeline.reportDue, at: shanghai("2026-12-23"))
    ]
    let before = f.alerts(at: shanghai("2026-12-25"))
    #expect(
      before == [
        Alert(
          section: "S1", code: "RULE_REPORT_WITHIN_15_DAYS", article: "法47",
          detail: "the written report, due on 2026-12-22, has not come",
          raisedAt: startOf("2026-12-23"))
      ])
    let after = f.alerts()
    #expect(after.map(\.code) == ["RULE_REPORT_WITHIN_15_DAYS"])
    #expect(after.first?.raisedAt == startOf("2026-12-23"))
    #expect(after.first?.detail == "the written report, due on 2026-12-22, came on 2027-01-09")
    f.reportFiled = shanghai("2026-12-22", 17)
    f.more = []
    #expect(f.alerts() == [])
  }

  @Test func anUnansweredObjectionIsRaisedOncePastItsDueDay() {
    var f = AlertTimeline()
    f.objectionAnswered = nil
    #expect(f.alerts(at: shanghai("2026-11-16", 23, 59)) == [])
    #expect(
      f.alerts(at: startOf("2026-11-17")) == [
        Alert(
          section: "S1", code: "RULE_OBJECTION_ANSWER_3_DAYS", article: "条例22, 条例54",
          detail: "the answer to objection O1, due on 2026-11-16, has not come",
          raisedAt: startOf("2026-11-17"))
      ])
    // A second unanswered objection is a second alert.
    let second = shanghai("2026-11-12", 11)
    f.more = [(second, .objectionRaised(id: "O2", at: second, answerDue: AlertTimeline.answerDue))]
    #expect(
      f.alerts(at: startOf("2026-11-17")).map(\.detail) == [
        "the answer to objection O1, due on 2026-11-16, has not come",
        "the answer to objection O2, due on 2026-11-16, has not come",
      ])
  }

  @Test func anObjectionAnsweredLateIsOneAlertThoughTheTradingPlatformReportsItToo() {
    var f = AlertTimeline()
    f.objectionAnswered = shanghai("2026-11-18")
    f.more = [
      AlertTimeline.missed(
        Rules.objectionAnswer3Days, due: AlertTimeline.answerDue, at: shanghai("2026-11-18"))
    ]
    #expect(
      f.alerts().map(\.detail) == [
        "the answer to objection O1, due on 2026-11-16, came on 2026-11-18"
      ])
    f.objectionAnswered = shanghai("2026-11-16", 17)
    f.more = []
    #expect(f.alerts() == [])
  }

  @Test func dueDaysAreTheLawsNotThoseTheTradingPlatformSent() {
    var f = AlertTimeline()
    f.laxDays = 14
    f.contractSigned = nil
    #expect(f.alerts(at: startOf("2027-01-07")).map(\.code) == ["RULE_CONTRACT_WITHIN_30_DAYS"])
    // Its own report of the day it thought due is the same occurrence.
    let sentDue = AlertTimeline.contractDue.adding(days: 14)
    f.more = [
      AlertTimeline.missed(Rules.contractWithin30Days, due: sentDue, at: shanghai("2027-01-21"))
    ]
    #expect(f.alerts().map(\.code) == ["RULE_CONTRACT_WITHIN_30_DAYS"])
  }

  @Test func otherMissedDeadlinesTheTradingPlatformReportsAreRaised() {
    var f = AlertTimeline()
    let refundDue = LegalDate("2026-12-25")!
    f.more = [
      AlertTimeline.missed(Rules.bondRefund5Days, due: refundDue, at: shanghai("2026-12-28")),
      (
        shanghai("2026-12-29"),
        .deadlineMissed(
          rule: "RULE_OF_A_NEWER_PLATFORM", due: refundDue, at: shanghai("2026-12-29"))
      ),
    ]
    let alerts = f.alerts()
    #expect(alerts.map(\.code) == ["RULE_BOND_REFUND_5_DAYS", "RULE_OF_A_NEWER_PLATFORM"])
    #expect(alerts.map(\.article) == ["条例57, 条例35", ""])
    #expect(alerts.allSatisfy { $0.raisedAt == startOf("2026-12-26") })
  }

  @Test func alertsComeInTimeOrderAndOnlyFromWhatIsLoggedByNow() {
    var f = AlertTimeline()
    f.committee = (4, 3)
    f.publicity.end = shanghai("2026-12-03", 17)
    f.objectionAnswered = nil
    #expect(
      f.alerts(at: shanghai("2026-11-27", 13)).map(\.code) == ["RULE_OBJECTION_ANSWER_3_DAYS"])
    #expect(
      f.alerts(at: shanghai("2026-12-02")).map(\.code) == [
        "RULE_OBJECTION_ANSWER_3_DAYS", "RULE_COMMITTEE_COMPOSITION", "RULE_PUBLICITY_MIN_3_DAYS",
      ])
  }

  @Test func everyRuleIsFoundByItsCode() {
    #expect(Set(Rules.all.map(\.code)).count == Rules.all.count)
    #expect(Rules.all.contains(Rules.bondRefund5Days))
    #expect(Rules.all.contains(Rules.creditCodeValid))
    #expect(Rules.all.count == 42)
  }
}
