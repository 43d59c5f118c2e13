import Testing

@testable import ZhaocaiDomain

/// Seconds since 1970 of a Shanghai wall-clock time.
func shanghai(_ date: String, _ hour: Int = 9, _ minute: Int = 0) -> Int64 {
  LegalDate(date)!.startInstant + Int64(hour * 3600 + minute * 60)
}

/// Three key holders with made-up ids, and what an envelope sealed to them for `deadline` says.
let testHolders = (1...3).map {
  KeyHolder(name: "H\($0)", suite: "standard", sealingKey: "", keyID: "k\($0)")
}

func facts(
  _ hash: String, deadline: Int64, holders: [String] = ["k1", "k2", "k3"], threshold: Int = 2
) -> SealedBidFacts {
  SealedBidFacts(
    envelopeHash: hash, openingTime: deadline, holderKeyIDs: holders, threshold: threshold)
}

/// Expects `body` to break exactly `rule`.
func expectBreaks(
  _ rule: Rule, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
  do {
    try body()
    Issue.record("\(rule.code) was not enforced", sourceLocation: sourceLocation)
  } catch {
    #expect((error as? RuleViolation)?.rule == rule, "\(error)", sourceLocation: sourceLocation)
  }
}

@Suite struct TimeLimitRuleTests {
  let calendar = WorkingCalendar.china2026

  @Test func bidDeadlineAtLeast20DaysAfterIssue() throws {
    expectBreaks(Rules.bidDeadlineMin20Days) {
      try TimeLimits.checkBidDeadline(
        documentsIssued: shanghai("2026-11-02", 17), deadline: shanghai("2026-11-21", 9))
    }
    try TimeLimits.checkBidDeadline(
      documentsIssued: shanghai("2026-11-02", 17), deadline: shanghai("2026-11-22", 9))
  }

  @Test func salePeriodAtLeast5Days() throws {
    expectBreaks(Rules.salePeriodMin5Days) {
      try TimeLimits.checkSalePeriod(start: shanghai("2026-11-02"), end: shanghai("2026-11-06", 17))
    }
    try TimeLimits.checkSalePeriod(start: shanghai("2026-11-02"), end: shanghai("2026-11-07", 17))
  }

  @Test func prequalificationApplicationsAtLeast5DaysAfterTheSale() throws {
    expectBreaks(Rules.prequalificationMin5Days) {
      try TimeLimits.checkPrequalificationDeadline(
        saleEnd: shanghai("2026-11-06"), deadline: shanghai("2026-11-10"))
    }
    try TimeLimits.checkPrequalificationDeadline(
      saleEnd: shanghai("2026-11-06"), deadline: shanghai("2026-11-11"))
  }

  @Test func aLateAmendmentMovesTheDeadline() {
    let deadline = shanghai("2026-12-01", 9, 30)
    // Issued 20 Nov: 15 days later is 5 Dec, so the deadline moves to 5 Dec 09:30.
    let moved = TimeLimits.deadlineAfterAmendment(
      issuedAt: shanghai("2026-11-20", 16), deadline: deadline)
    #expect(moved == shanghai("2026-12-05", 9, 30))
    // Issued on 16 Nov, exactly 15 days before: it stays.
    #expect(
      TimeLimits.deadlineAfterAmendment(issuedAt: shanghai("2026-11-16", 16), deadline: deadline)
        == deadline)
    // Prequalification: 3 days.
    #expect(
      TimeLimits.deadlineAfterAmendment(
        issuedAt: shanghai("2026-11-30"), deadline: deadline, prequalification: true)
        == shanghai("2026-12-03", 9, 30))
    #expect(TimeLimits.amendmentRule(prequalification: false) == Rules.amendmentMin15Days)
    #expect(
      TimeLimits.amendmentRule(prequalification: true) == Rules.prequalificationAmendmentMin3Days)
  }

  @Test func objectionsToDocumentsCloseBeforeTheDeadline() throws {
    let deadline = shanghai("2026-12-11")
    expectBreaks(Rules.objectionToDocumentsInTime) {
      try TimeLimits.checkObjectionToDocuments(raisedAt: shanghai("2026-12-02"), deadline: deadline)
    }
    try TimeLimits.checkObjectionToDocuments(
      raisedAt: shanghai("2026-12-01", 23, 59), deadline: deadline)
    expectBreaks(Rules.objectionToDocumentsInTime) {
      try TimeLimits.checkObjectionToDocuments(
        raisedAt: shanghai("2026-12-10"), deadline: deadline, prequalification: true)
    }
    try TimeLimits.checkObjectionToDocuments(
      raisedAt: shanghai("2026-12-09"), deadline: deadline, prequalification: true)
  }

  @Test func answersAndFilingsFallDueOnWorkingDays() {
    // An objection received Sunday 27 Sep is answered by 30 Sep; one on 29 Sep by 8 Oct.
    #expect(
      TimeLimits.objectionAnswerDue(receivedAt: shanghai("2026-09-27"), calendar: calendar)
        .description == "2026-09-30")
    #expect(
      TimeLimits.objectionAnswerDue(receivedAt: shanghai("2026-09-29"), calendar: calendar)
        .description == "2026-10-08")
    #expect(
      TimeLimits.contractDue(awardNoticeAt: shanghai("2026-11-23"), calendar: calendar).description
        == "2026-12-23")
    #expect(
      TimeLimits.reportDue(awardAt: shanghai("2026-11-23"), calendar: calendar).description
        == "2026-12-08")
    #expect(
      TimeLimits.bondRefundDue(after: shanghai("2026-11-25"), calendar: calendar).description
        == "2026-11-30")
    let due = TimeLimits.contractDue(awardNoticeAt: shanghai("2026-11-23"), calendar: calendar)
    #expect(!TimeLimits.isOverdue(due, now: shanghai("2026-12-23", 23, 59)))
    #expect(TimeLimits.isOverdue(due, now: shanghai("2026-12-24", 0, 1)))
  }

  @Test func publicityStartsWithin3DaysAndLastsAtLeast3() throws {
    expectBreaks(Rules.publicityWithin3Days) {
      try TimeLimits.checkPublicity(
        reportReceived: shanghai("2026-11-23"), start: shanghai("2026-11-27"),
        end: shanghai("2026-11-30"))
    }
    expectBreaks(Rules.publicityMin3Days) {
      try TimeLimits.checkPublicity(
        reportReceived: shanghai("2026-11-23"), start: shanghai("2026-11-24"),
        end: shanghai("2026-11-26", 17))
    }
    try TimeLimits.checkPublicity(
      reportReceived: shanghai("2026-11-23"), start: shanghai("2026-11-26"),
      end: shanghai("2026-11-29"))
  }
}

@Suite struct CountAndAmountRuleTests {
  @Test func bidBondAtMost2PercentOfTheEstimate() throws {
    expectBreaks(Rules.bidBondMax2Percent) {
      try BondRules.checkBidBond(Money(fen: 20_000_001), estimate: Money(yuan: 10_000_000))
    }
    try BondRules.checkBidBond(Money(yuan: 200_000), estimate: Money(yuan: 10_000_000))
    expectBreaks(Rules.bidBondMax2Percent) {
      try BondRules.checkBidBond(Money(fen: -1), estimate: Money(yuan: 1))
    }
    // An amount a bidder typed is refused, not multiplied into an overflow.
    expectBreaks(Rules.bidBondMax2Percent) {
      try BondRules.checkBidBond(Money(fen: .max), estimate: Money(fen: .max))
    }
    expectBreaks(Rules.performanceBondMax10Percent) {
      try BondRules.checkPerformanceBond(Money(fen: .max / 3), contractPrice: Money(fen: .max))
    }
  }

  @Test func performanceBondAtMost10PercentOfTheContract() throws {
    expectBreaks(Rules.performanceBondMax10Percent) {
      try BondRules.checkPerformanceBond(Money(fen: 100_001), contractPrice: Money(yuan: 10_000))
    }
    try BondRules.checkPerformanceBond(Money(yuan: 1000), contractPrice: Money(yuan: 10_000))
  }

  @Test func committeeOfFiveOrMoreOddTwoThirdsExperts() throws {
    for (members, experts) in [(3, 3), (6, 6), (5, 3), (7, 4), (9, 5)] {
      expectBreaks(Rules.committeeComposition) {
        try EvaluationRules.checkCommittee(members: members, experts: experts)
      }
    }
    for (members, experts) in [(5, 4), (7, 5), (9, 6), (5, 5)] {
      try EvaluationRules.checkCommittee(members: members, experts: experts)
    }
  }

  @Test func moreThanAThirdAskingExtendsTheEvaluation() {
    #expect(!EvaluationRules.mustExtend(asking: 2, members: 7))
    #expect(EvaluationRules.mustExtend(asking: 3, members: 7))
    #expect(!EvaluationRules.mustExtend(asking: 1, members: 5))
    #expect(EvaluationRules.mustExtend(asking: 2, members: 5))
    #expect(!EvaluationRules.mustExtend(asking: 3, members: 9))
  }

  @Test func atMostThreeRankedCandidates() throws {
    expectBreaks(Rules.maximumThreeCandidates) {
      try EvaluationRules.checkCandidates(ranks: [1, 2, 3, 4])
    }
    expectBreaks(Rules.maximumThreeCandidates) {
      try EvaluationRules.checkCandidates(ranks: [1, 3])
    }
    expectBreaks(Rules.maximumThreeCandidates) { try EvaluationRules.checkCandidates(ranks: []) }
    try EvaluationRules.checkCandidates(ranks: [2, 1, 3])
  }

  @Test func stateFundedProjectsAwardTheFirstCandidate() throws {
    expectBreaks(Rules.firstCandidateWins) {
      try EvaluationRules.checkAward(rank: 2, stateFunded: true, excusedHigherRanks: [])
    }
    try EvaluationRules.checkAward(rank: 2, stateFunded: true, excusedHigherRanks: [1])
    try EvaluationRules.checkAward(rank: 2, stateFunded: false, excusedHigherRanks: [])
  }
}

@Suite struct SealedBidRuleTests {
  let deadline = shanghai("2026-12-15", 9, 30)

  @Test func lateBidsAreRefused() throws {
    expectBreaks(Rules.lateBidRefused) {
      try OpeningRules.checkSubmission(at: deadline, deadline: deadline)
    }
    try OpeningRules.checkSubmission(at: deadline - 1, deadline: deadline)
  }

  @Test func nothingIsDecryptedBeforeTheDeadline() throws {
    expectBreaks(Rules.noDecryptionBeforeDeadline) {
      try OpeningRules.checkDecryptionAllowed(at: deadline - 1, deadline: deadline)
    }
    try OpeningRules.checkDecryptionAllowed(at: deadline, deadline: deadline)
  }

  @Test func fewerThanThreeBidsAreNotOpened() throws {
    expectBreaks(Rules.minimumThreeBids) { try OpeningRules.checkEnoughBids(2) }
    try OpeningRules.checkEnoughBids(3)
  }

  @Test func undecryptableBidsAreRevokedOrWithdrawnByFault() {
    #expect(OpeningRules.outcome(ofUndecryptableBid: .bidder) == .revoked)
    #expect(OpeningRules.outcome(ofUndecryptableBid: .others) == .withdrawn)
  }
}
