import Testing

@testable import ZhaocaiDomain

/// A section driven from publication to the opening, with helpers for each later step.
struct LifecycleFixture {
  let calendar = WorkingCalendar.china2026
  let deadline = shanghai("2026-11-27", 9, 30)
  let bidders = ["91350100M000100Y43", "91110000100000589A", "91440300MA5DC6QX9C", "BIDDER-D"]
  var section: Section

  init(
    method: EvaluationMethod = .comprehensiveScoring, stateFunded: Bool = true,
    criteria: [Criterion] = []
  ) throws {
    let terms = SectionTerms(
      sectionID: "S1", name: "主体工程", estimate: Money(yuan: 50_000_000),
      bidBond: Money(yuan: 800_000), evaluationMethod: method, industry: "住建", region: "350100",
      stateFunded: stateFunded, criteria: criteria)
    let schedule = TenderSchedule(
      documentsIssuedAt: shanghai("2026-11-02"), saleEndsAt: shanghai("2026-11-09", 17),
      bidDeadline: deadline, keyHolders: testHolders, threshold: 2)
    section = try Section.draft(terms).section.publish(schedule, at: shanghai("2026-11-02")).section
    for bidder in bidders {
      section = try section.receiveBid(
        bidder: bidder, facts("h-\(bidder)", deadline: deadline), at: shanghai("2026-11-20")
      ).section
    }
    section = try section.closeBidding(at: deadline).section
  }

  static func items(_ yuan: Int64) -> OpeningItems {
    OpeningItems(
      price: Money(yuan: yuan), durationDays: 365, quality: "合格", warrantyMonths: 24,
      projectManagerID: "PM")
  }

  mutating func open(undecryptable: [String: OpeningRules.UndecryptableOutcome] = [:]) throws {
    section = try section.releaseShares(holder: "H1", at: deadline + 60).section
    section = try section.releaseShares(holder: "H3", at: deadline + 90).section
    var results: [String: OpeningResult] = [:]
    for (i, bidder) in bidders.enumerated() {
      results[bidder] =
        undecryptable[bidder].map { .undecryptable($0) }
        ?? .opened(items: Self.items(40_000_000 + Int64(i) * 1_000_000), bidKey: "k\(i)")
    }
    section = try section.publishOpeningRecord(results, threshold: 2, at: deadline + 120).section
    section = try section.closeOpening(at: deadline + 600).section
  }

  /// Seats `committee`; every member checks in and E1 is elected leader.
  mutating func seat(at now: Int64 = 0) throws {
    section = try section.formCommittee(Self.committee, at: now).section
    for member in Self.committee {
      section = try section.checkIn(member: member.id, at: now).section
    }
    for member in Self.committee where section.evaluation?.leader == nil {
      section = try section.voteForLeader(member: member.id, candidate: "E1", at: now).section
    }
  }

  /// Every member concludes `stage`, the stage under way.
  mutating func conclude(_ stage: EvaluationStage, at now: Int64 = 0) throws {
    for member in Self.committee {
      section = try section.concludeStage(member: member.id, stage, at: now).section
    }
  }

  /// Seats the committee and takes it through qualification and the preliminary review.
  mutating func reachDetailedReview(at now: Int64 = 0) throws {
    try seat(at: now)
    try conclude(.qualification, at: now)
    try conclude(.preliminary, at: now)
  }

  /// From the detailed review: every member hands in `sheet`, then concludes the price stage.
  mutating func score(_ sheet: ScoreSheet = ScoreSheet(), at now: Int64 = 10) throws {
    for member in Self.committee {
      section = try section.submitScores(member: member.id, sheet, at: now).section
    }
    try conclude(.price, at: now)
  }

  static let committee = [
    CommitteeMember(id: "T", isExpert: false),
    CommitteeMember(id: "E1", isExpert: true, employers: ["X"]),
    CommitteeMember(id: "E2", isExpert: true),
    CommitteeMember(id: "E3", isExpert: true),
    CommitteeMember(id: "E4", isExpert: true),
  ]
}

@Suite struct OpeningTests {
  @Test func sharesAreNotReleasedBeforeTheDeadlineNorUsedBelowThreshold() throws {
    var f = try LifecycleFixture()
    expectRefused(Rules.noDecryptionBeforeDeadline) {
      try f.section.releaseShares(holder: "H1", at: f.deadline - 1)
    }
    #expect(throws: DomainError.notFound("key holder X in the notice")) {
      try f.section.releaseShares(holder: "X", at: f.deadline)
    }
    f.section = try f.section.releaseShares(holder: "H1", at: f.deadline).section
    let results = Dictionary(
      uniqueKeysWithValues: f.bidders.map {
        ($0, OpeningResult.opened(items: LifecycleFixture.items(1), bidKey: "k"))
      })
    expectRefused(Rules.noDecryptionBeforeDeadline) {
      try f.section.publishOpeningRecord(results, threshold: 2, at: f.deadline + 1)
    }
  }

  @Test func undecryptableBidsAreRecordedAndTheOpeningGoesOn() throws {
    var f = try LifecycleFixture()
    try f.open(undecryptable: [f.bidders[1]: .revoked, f.bidders[2]: .withdrawn])
    #expect(f.section.phase == .evaluation)
    #expect(f.section.openingResults[f.bidders[1]] == .undecryptable(.revoked))
    #expect(f.section.openingResults[f.bidders[0]]?.items?.price == Money(yuan: 40_000_000))
  }

  @Test func theSignsFoundAreLoggedWithTheRecordForOpenedBidsOnly() throws {
    var f = try LifecycleFixture()
    f.section = try f.section.releaseShares(holder: "H1", at: f.deadline).section
    f.section = try f.section.releaseShares(holder: "H2", at: f.deadline).section
    var results = Dictionary(
      uniqueKeysWithValues: f.bidders.map {
        ($0, OpeningResult.opened(items: LifecycleFixture.items(1), bidKey: "k"))
      })
    results[f.bidders[2]] = .undecryptable(.revoked)
    let bond = CollusionEvidence(field: "bondAccount", values: ["6222"])
    let signs = [
      CollusionFinding(
        sign: .sameBondAccount, bidders: [f.bidders[1], f.bidders[0]], strength: .strong,
        evidence: [bond]),
      // A bid that did not open has no evidence to weigh: its finding is dropped.
      CollusionFinding(
        sign: .sameBondAccount, bidders: [f.bidders[0], f.bidders[2]], strength: .strong,
        evidence: [bond]),
    ]
    #expect(f.section.collusionFindings == nil)
    let opened = try f.section.publishOpeningRecord(
      results, threshold: 2, at: f.deadline + 60, signs: signs)
    #expect(opened.section.collusionFindings == [signs[0]])
    #expect(signs[0].bidders == [f.bidders[0], f.bidders[1]].sorted())
    #expect(
      opened.events.last == .collusionSignsFound(findings: [signs[0]], at: f.deadline + 60))
    #expect(opened.events.last?.isPublicRecord == false && opened.events.last?.isSupervised == true)
    // None found is logged too: the record shows the check was made.
    let none = try f.section.publishOpeningRecord(results, threshold: 2, at: f.deadline + 60)
    #expect(none.events.last == .collusionSignsFound(findings: [], at: f.deadline + 60))
  }

  @Test func objectionsToTheOpeningAreRaisedAndAnsweredThere() throws {
    var f = try LifecycleFixture()
    f.section = try f.section.releaseShares(holder: "H1", at: f.deadline).section
    f.section = try f.section.releaseShares(holder: "H2", at: f.deadline).section
    let results = Dictionary(
      uniqueKeysWithValues: f.bidders.map {
        ($0, OpeningResult.opened(items: LifecycleFixture.items(1), bidKey: "k"))
      })
    f.section = try f.section.publishOpeningRecord(results, threshold: 2, at: f.deadline + 60)
      .section
    f.section = try f.section.confirmOpening(bidder: f.bidders[0], at: f.deadline + 70).section
    f.section = try f.section.objectToOpening(
      id: "O1", bidder: f.bidders[1], at: f.deadline + 80, calendar: f.calendar
    ).section
    expectRefused(Rules.openingObjectionOnTheSpot) {
      try f.section.closeOpening(at: f.deadline + 90)
    }
    f.section = try f.section.answerObjection(id: "O1", at: f.deadline + 100).section
    f.section = try f.section.closeOpening(at: f.deadline + 110).section
    expectRefused(Rules.openingObjectionOnTheSpot) {
      try f.section.objectToOpening(
        id: "O2", bidder: f.bidders[1], at: f.deadline + 3600, calendar: f.calendar)
    }
    #expect(f.section.openingConfirmations == [f.bidders[0]])
  }
}

@Suite struct EvaluationTests {
  @Test func theCommitteeMustBeLawfulAndFreeOfInterest() throws {
    var f = try LifecycleFixture()
    try f.open()
    let four = Array(LifecycleFixture.committee.prefix(4))
    expectRefused(Rules.committeeComposition) { try f.section.formCommittee(four, at: 0) }
    var tied = LifecycleFixture.committee
    tied[2].employers = ["OTHER", f.bidders[2]]
    expectRefused(Rules.expertRecusal) { try f.section.formCommittee(tied, at: 0) }
    tied = LifecycleFixture.committee
    tied[3].conflicts = [f.bidders[0]]
    expectRefused(Rules.expertRecusal) { try f.section.formCommittee(tied, at: 0) }
    #expect(
      try f.section.formCommittee(LifecycleFixture.committee, at: 0).section.evaluation != nil)
  }

  @Test func moreThanAThirdAskingForTimeExtendsOnce() throws {
    var f = try LifecycleFixture()
    try f.open()
    f.section = try f.section.formCommittee(LifecycleFixture.committee, at: 0).section
    let first = try f.section.askForMoreTime(member: "E1", at: 1)
    #expect(first.events.isEmpty)
    let second = try first.section.askForMoreTime(member: "E2", at: 2)
    #expect(second.events == [.evaluationExtended(asking: 2, members: 5, at: 2)])
    #expect(try second.section.askForMoreTime(member: "E3", at: 3).events.isEmpty)
    #expect(throws: DomainError.notFound("committee member Z")) {
      try second.section.askForMoreTime(member: "Z", at: 3)
    }
  }

  @Test func comprehensiveScoringDropsExtremesAndBreaksTiesByPrice() {
    let sheets = [90, 80, 80, 80, 10].map { mark in
      ScoreSheet(points: ["A": ["tech": mark * 100], "B": ["tech": 8_000]])
    }
    let ranking = Scoring.comprehensive(
      sheets: sheets, bidders: ["A", "B"], prices: ["A": Money(yuan: 2), "B": Money(yuan: 1)],
      dropExtremes: true)
    // A: (80+80+80)/3 = 80 once 90 and 10 are dropped: a tie with B, which is cheaper.
    #expect(ranking.map(\.bidder) == ["B", "A"])
    let kept = Scoring.comprehensive(
      sheets: sheets, bidders: ["A", "B"], prices: ["A": Money(yuan: 2), "B": Money(yuan: 1)],
      dropExtremes: false)
    #expect(kept.first { $0.bidder == "A" }?.score == 6_800)
    // The working a member checks: every mark, the two left out, the mean of the rest.
    let working = Scoring.comprehensiveWorking(
      sheets: sheets, bidders: ["A", "B"], prices: ["A": Money(yuan: 2), "B": Money(yuan: 1)],
      dropExtremes: true)
    #expect(working.map(\.bidder) == ["B", "A"])
    #expect(
      working[1].criteria == [
        .init(
          criterion: "tech", marks: [1_000, 8_000, 8_000, 8_000, 9_000], dropped: [1_000, 9_000],
          mean: 8_000)
      ])
    // Fewer than five sheets: nothing is left out.
    let three = Scoring.comprehensiveWorking(
      sheets: Array(sheets.prefix(3)), bidders: ["A"], prices: [:], dropExtremes: true)
    #expect(three[0].criteria[0].dropped.isEmpty && three[0].total == 8_333)
  }

  @Test func lowestEvaluatedPriceAddsTheMeanAdjustment() {
    let sheets = [
      ScoreSheet(priceAdjustments: ["A": Money(yuan: 300)]),
      ScoreSheet(priceAdjustments: ["A": Money(yuan: 100)]),
    ]
    let ranking = Scoring.lowestEvaluatedPrice(
      sheets: sheets, prices: ["A": Money(yuan: 1_000), "B": Money(yuan: 1_150)])
    #expect(ranking.map(\.bidder) == ["B", "A"])
    #expect(ranking[1].evaluatedPrice == Money(yuan: 1_200))
    let working = Scoring.lowestEvaluatedPriceWorking(
      sheets: sheets, prices: ["A": Money(yuan: 1_000), "B": Money(yuan: 1_150)])
    #expect(working[1].adjustments == [Money(yuan: 100), Money(yuan: 300)])
    #expect(working[1].meanAdjustment == Money(yuan: 200) && working[0].adjustments.isEmpty)
    // Adjustments of any size rank without overflowing.
    let extreme = Scoring.lowestEvaluatedPrice(
      sheets: [
        ScoreSheet(priceAdjustments: ["A": Money(fen: .max)]),
        ScoreSheet(priceAdjustments: ["A": Money(fen: .max)]),
      ], prices: ["A": Money(fen: .max), "B": Money(yuan: 1)])
    #expect(extreme.map(\.bidder) == ["B", "A"])
    #expect(extreme[1].evaluatedPrice == Money(fen: .max))
  }

  @Test func aBidRejectedByMostOfTheCommitteeIsNotACandidate() throws {
    var f = try LifecycleFixture(method: .lowestEvaluatedPrice)
    try f.open()
    try f.reachDetailedReview()
    let cheapest = f.bidders[0]
    for member in LifecycleFixture.committee {
      f.section = try f.section.submitScores(member: member.id, ScoreSheet(), at: 10).section
    }
    #expect(throws: DomainError.wrongPhase(action: "score twice", phase: .evaluation)) {
      try f.section.submitScores(member: "E1", ScoreSheet(), at: 11)
    }
    // The price is reviewed in its own stage, which the sheets just opened.
    for member in ["E1", "E2", "E3"] {
      f.section = try f.section.flagRejection(
        member: member, bidder: cheapest, ground: .priceBelowCostOrAboveCeiling
      ).section
    }
    try f.conclude(.price)
    expectRefused(Rules.maximumThreeCandidates) {
      try f.section.reportEvaluation(candidates: 4, at: 20)
    }
    let report = try f.section.reportEvaluation(at: 20)
    #expect(report.section.evaluation?.candidates == Array(f.bidders[1...3]))
  }

  /// A credit criterion is marked from each bidder's credit score at the hub, not by experts,
  /// and moves a bidder with violation records down the ranking.
  @Test func aCreditCriterionIsMarkedFromTheCreditScores() throws {
    var f = try LifecycleFixture(
      criteria: [
        Criterion(name: "技术", maxPoints: 8_000),
        Criterion(name: "信用", maxPoints: 2_000, fromCredit: true),
      ])
    try f.open()
    try f.reachDetailedReview()
    let even = ScoreSheet(
      points: Dictionary(uniqueKeysWithValues: f.bidders.map { ($0, ["技术": 6_000]) }))
    #expect(throws: DomainError.self) {
      try f.section.submitScores(
        member: "E1", ScoreSheet(points: [f.bidders[1]: ["信用": 2_000]]), at: 10)
    }
    try f.score(even)
    // Equal technical marks: without credit, the cheapest (bidders[0]) would rank first.
    let cheapestFirst = try f.section.reportEvaluation(at: 20)
    #expect(cheapestFirst.section.evaluation?.candidates.first == f.bidders[0])
    let report = try f.section.reportEvaluation(creditScores: [f.bidders[0]: 50], at: 20)
    #expect(report.section.evaluation?.candidates == Array(f.bidders[1...3]))
    #expect(
      report.events.first
        == .creditScored(
          scores: [f.bidders[0]: 50, f.bidders[1]: 100, f.bidders[2]: 100, f.bidders[3]: 100]))
    // The report's arithmetic, shown afterwards, is the one it ranked by: credit marks included.
    #expect(f.section.reportWorking(creditScores: [:]) == nil)
    guard
      case .comprehensive(let working) = report.section.reportWorking(
        creditScores: [f.bidders[0]: 50])
    else {
      Issue.record("no comprehensive working")
      return
    }
    #expect(
      working.map(\.bidder) == (report.section.evaluation?.candidates ?? []) + [f.bidders[0]])
    let last = try #require(working.last)
    #expect(last.criteria.map(\.criterion) == ["信用", "技术"])
    #expect(last.criteria[0].mean == 1_000 && last.total == 7_000)
  }

  @Test func whenEveryBidIsRejectedTheSectionFails() throws {
    var f = try LifecycleFixture()
    try f.open()
    try f.seat()
    try f.conclude(.qualification)
    for bidder in f.bidders {
      for member in ["E1", "E2", "E3"] {
        f.section = try f.section.flagRejection(
          member: member, bidder: bidder, ground: .notResponsive
        ).section
      }
    }
    try f.conclude(.preliminary)
    try f.score()
    let report = try f.section.reportEvaluation(at: 20)
    #expect(report.section.phase == .failed)
    #expect(report.events.last == .sectionFailed(at: 20, rule: "RULE_ALL_BIDS_REJECTED"))
  }
}

@Suite struct AwardTests {
  /// Evaluated with lowest evaluated price (ranking = price order) and reported on 30 Nov.
  func reported(stateFunded: Bool = true) throws -> LifecycleFixture {
    var f = try LifecycleFixture(method: .lowestEvaluatedPrice, stateFunded: stateFunded)
    try f.open()
    try f.reachDetailedReview()
    try f.score()
    f.section = try f.section.reportEvaluation(at: shanghai("2026-11-30", 17)).section
    return f
  }

  @Test func publicityRulesAndObjectionsHoldTheAward() throws {
    var f = try reported()
    expectRefused(Rules.publicityWithin3Days) {
      try f.section.startPublicity(end: shanghai("2026-12-08"), at: shanghai("2026-12-04"))
    }
    expectRefused(Rules.publicityMin3Days) {
      try f.section.startPublicity(end: shanghai("2026-12-03", 17), at: shanghai("2026-12-01"))
    }
    // Publicity starts when it is published: one that "started" days ago is too short now.
    expectRefused(Rules.publicityMin3Days) {
      try f.section.startPublicity(end: shanghai("2026-12-03", 17), at: shanghai("2026-12-01", 9))
    }
    f.section = try f.section.startPublicity(
      end: shanghai("2026-12-04", 17), at: shanghai("2026-12-01")
    ).section
    expectRefused(Rules.publicityMin3Days) {
      try f.section.award(to: f.bidders[0], at: shanghai("2026-12-03"), calendar: f.calendar)
    }
    f.section = try f.section.objectToCandidates(
      id: "P1", at: shanghai("2026-12-02"), calendar: f.calendar
    ).section
    expectRefused(Rules.objectionAnswer3Days) {
      try f.section.award(to: f.bidders[0], at: shanghai("2026-12-05"), calendar: f.calendar)
    }
    f.section = try f.section.answerObjection(id: "P1", at: shanghai("2026-12-04")).section
    expectRefused(Rules.firstCandidateWins) {
      try f.section.award(to: f.bidders[1], at: shanghai("2026-12-05"), calendar: f.calendar)
    }
    // The first candidate stands down as a recorded fact; then the second may win (条例55).
    #expect(throws: DomainError.notFound("candidate nobody")) {
      try f.section.excuseCandidate("nobody", ground: .gaveUp, at: shanghai("2026-12-05"))
    }
    let excused = try f.section.excuseCandidate(
      f.bidders[0], ground: .gaveUp, at: shanghai("2026-12-05"))
    #expect(
      excused.events == [
        .candidateExcused(bidder: f.bidders[0], ground: .gaveUp, at: shanghai("2026-12-05"))
      ])
    f.section = excused.section
    #expect(
      throws: DomainError.invalid("candidate \(f.bidders[0]) has stood down and cannot be awarded")
    ) {
      try f.section.award(to: f.bidders[0], at: shanghai("2026-12-05"), calendar: f.calendar)
    }
    let awarded = try f.section.award(
      to: f.bidders[1], at: shanghai("2026-12-05"), calendar: f.calendar)
    #expect(awarded.section.award?.contractDue.description == "2027-01-04")
    // The calendar holds 2026 only: the contract's due day in 2027 is recorded as provisional
    // (only weekends skipped), the report's in 2026 is not.
    #expect(
      awarded.events.contains(
        .dueDateProvisional(
          rule: "RULE_CONTRACT_WITHIN_30_DAYS", due: LegalDate("2027-01-04")!,
          at: shanghai("2026-12-05"))))
    #expect(
      !awarded.events.contains {
        if case .dueDateProvisional(let rule, _, _) = $0 {
          rule == "RULE_REPORT_WITHIN_15_DAYS"
        } else {
          false
        }
      })
    // Once the administrator loads the next year, the same award's dates are certain.
    let loaded = f.calendar.merging(
      WorkingCalendar(holidays: [LegalDate("2027-01-01")!], makeUpWorkingDays: [], years: [2027]))
    #expect(loaded.years == [2026, 2027])
    #expect(
      !(try f.section.award(to: f.bidders[1], at: shanghai("2026-12-05"), calendar: loaded).events
        .contains { if case .dueDateProvisional = $0 { true } else { false } }))
    #expect(awarded.section.award?.reportDue.description == "2026-12-21")
  }

  @Test func contractReportAndArchiveWithMissedDeadlinesRecorded() throws {
    var f = try reported(stateFunded: false)
    f.section = try f.section.startPublicity(
      end: shanghai("2026-12-04", 17), at: shanghai("2026-12-01")
    ).section
    f.section = try f.section.award(
      to: f.bidders[1], at: shanghai("2026-12-07"), calendar: f.calendar
    ).section
    let due = f.section.award!.reportDue
    #expect(f.section.checkDeadlines(at: shanghai("2026-12-22")).events.isEmpty)
    let look = f.section.checkDeadlines(at: shanghai("2026-12-23"))
    #expect(
      look.events == [
        .deadlineMissed(rule: "RULE_REPORT_WITHIN_15_DAYS", due: due, at: shanghai("2026-12-23"))
      ])
    #expect(look.section.checkDeadlines(at: shanghai("2026-12-24")).events.isEmpty)
    f.section = look.section
    expectRefused(Rules.performanceBondMax10Percent) {
      try f.section.signContract(
        at: shanghai("2026-12-24"), price: Money(yuan: 41_000_000),
        performanceBond: Money(yuan: 4_100_001), calendar: f.calendar)
    }
    let late = try f.section.signContract(
      at: shanghai("2027-01-08"), price: Money(yuan: 41_000_000),
      performanceBond: Money(yuan: 4_100_000), calendar: f.calendar)
    #expect(
      late.events.first
        == .deadlineMissed(
          rule: "RULE_CONTRACT_WITHIN_30_DAYS", due: f.section.award!.contractDue,
          at: shanghai("2027-01-08")))
    #expect(late.section.phase == .contracted)
    #expect(throws: DomainError.wrongPhase(action: "archive", phase: .contracted)) {
      try late.section.archive(at: 0)
    }
    let filed = try late.section.fileReport(at: shanghai("2027-01-09"))
    #expect(filed.events == [.reportFiled(at: shanghai("2027-01-09"))])
    #expect(filed.section.phase == .reported)
    #expect(try filed.section.archive(at: shanghai("2027-01-10")).section.phase == .archived)
  }
}
