import Testing

@testable import ZhaocaiDomain

/// Expects a transition to be refused for `rule`.
func expectRefused(
  _ rule: Rule, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Transition
) {
  do {
    _ = try body()
    Issue.record("\(rule.code) was not enforced", sourceLocation: sourceLocation)
  } catch DomainError.rule(let violation) {
    #expect(violation.rule == rule, sourceLocation: sourceLocation)
  } catch {
    Issue.record("refused for another reason: \(error)", sourceLocation: sourceLocation)
  }
}

@Suite struct SectionTransitionTests {
  let terms = SectionTerms(
    sectionID: "ZC-2026-0042-1", name: "主体工程", estimate: Money(yuan: 50_000_000),
    bidBond: Money(yuan: 800_000), industry: "住建", region: "350100")
  let schedule = TenderSchedule(
    documentsIssuedAt: shanghai("2026-11-02"), saleEndsAt: shanghai("2026-11-09", 17),
    bidDeadline: shanghai("2026-11-27", 9, 30), keyHolders: testHolders, threshold: 2)
  let calendar = WorkingCalendar.china2026

  func published() throws -> Section {
    try Section.draft(terms).section.publish(schedule, at: shanghai("2026-11-02")).section
  }

  @Test func aDraftIsPublishedOnlyWithLawfulDates() throws {
    var bad = schedule
    bad.bidDeadline = shanghai("2026-11-21", 9, 30)
    let draft = try Section.draft(terms).section
    expectRefused(Rules.bidDeadlineMin20Days) { try draft.publish(bad, at: shanghai("2026-11-02")) }
    bad = schedule
    bad.saleEndsAt = shanghai("2026-11-06", 17)
    expectRefused(Rules.salePeriodMin5Days) { try draft.publish(bad, at: shanghai("2026-11-02")) }
    let transition = try draft.publish(schedule, at: shanghai("2026-11-02"))
    #expect(transition.section.phase == .bidding)
    #expect(transition.events == [.published(schedule: schedule, at: shanghai("2026-11-02"))])
    #expect(throws: DomainError.wrongPhase(action: "publish", phase: .bidding)) {
      try transition.section.publish(schedule, at: shanghai("2026-11-03"))
    }
  }

  /// Where a supervision platform oversees the section, its key must be one of the holders.
  @Test func aNoticeWithoutTheSupervisionPlatformsKeyIsRefused() throws {
    let draft = try Section.draft(terms).section
    var holders = schedule
    holders.keyHolders[2].sealingKey = "c3VwZXJ2aXNpb24="
    #expect(throws: DomainError.self) {
      try draft.publish(schedule, at: shanghai("2026-11-02"), supervisionKey: "c3VwZXJ2aXNpb24=")
    }
    #expect(
      try draft.publish(holders, at: shanghai("2026-11-02"), supervisionKey: "c3VwZXJ2aXNpb24=")
        .section.phase == .bidding)
  }

  @Test func aBondAbove2PercentIsRefusedAtDraft() {
    var greedy = terms
    greedy.bidBond = Money(fen: 100_000_001)
    expectRefused(Rules.bidBondMax2Percent) { try Section.draft(greedy) }
  }

  @Test func aLateAmendmentMovesTheDeadlineAndSaysWhy() throws {
    let section = try published()
    let early = try section.amend(at: shanghai("2026-11-10"))
    #expect(early.section.schedule?.bidDeadline == schedule.bidDeadline)
    let late = try early.section.amend(at: shanghai("2026-11-20", 15))
    #expect(late.section.schedule?.bidDeadline == shanghai("2026-12-05", 9, 30))
    #expect(
      late.events == [
        .amended(
          number: 2, at: shanghai("2026-11-20", 15), deadline: shanghai("2026-12-05", 9, 30),
          movedFrom: schedule.bidDeadline, rule: "RULE_AMENDMENT_MIN_15_DAYS")
      ])
  }

  @Test func objectionsCloseInTimeAndHoldTheOpeningUntilAnswered() throws {
    let section = try published()
    expectRefused(Rules.objectionToDocumentsInTime) {
      try section.raiseObjection(id: "OBJ-1", at: shanghai("2026-11-18"), calendar: calendar)
    }
    var state = try section.raiseObjection(
      id: "OBJ-1", at: shanghai("2026-11-16"), calendar: calendar
    ).section
    #expect(state.isSuspended)
    #expect(state.pendingObjections.first?.answerDue.description == "2026-11-19")
    for bidder in ["A", "B", "C"] {
      state = try state.receiveBid(
        bidder: bidder, facts("h\(bidder)", deadline: schedule.bidDeadline),
        at: shanghai("2026-11-25")
      ).section
    }
    expectRefused(Rules.objectionAnswer3Days) { try state.closeBidding(at: schedule.bidDeadline) }
    state = try state.answerObjection(id: "OBJ-1", at: shanghai("2026-11-18")).section
    #expect(try state.closeBidding(at: schedule.bidDeadline).section.phase == .opening)
    #expect(throws: DomainError.notFound("objection OBJ-9")) {
      try state.answerObjection(id: "OBJ-9", at: 0)
    }
  }

  @Test func bidsAreReplacedOrWithdrawnBeforeTheDeadlineAndRefusedAfter() throws {
    var state = try published()
    state = try state.receiveBid(
      bidder: "A", facts("h1", deadline: schedule.bidDeadline), at: shanghai("2026-11-20")
    )
    .section
    let replaced = try state.receiveBid(
      bidder: "A", facts("h2", deadline: schedule.bidDeadline), at: shanghai("2026-11-21")
    )
    #expect(replaced.section.bids["A"]?.version == 2)
    #expect(replaced.section.bids["A"]?.envelopeHash == "h2")
    state = try replaced.section.withdrawBid(
      bidder: "A", at: shanghai("2026-11-22"), calendar: .china2026
    ).section
    #expect(state.bids.isEmpty)
    expectRefused(Rules.lateBidRefused) {
      try state.receiveBid(
        bidder: "B", facts("h", deadline: schedule.bidDeadline), at: schedule.bidDeadline)
    }
    expectRefused(Rules.lateBidRefused) {
      try replaced.section.withdrawBid(
        bidder: "A", at: schedule.bidDeadline + 60, calendar: .china2026)
    }
  }

  @Test func anEnvelopeSealedForAnotherOpeningTimeIsRefused() throws {
    let state = try published()
    expectRefused(Rules.openingAtDeadline) {
      try state.receiveBid(
        bidder: "A", facts("h", deadline: schedule.bidDeadline - 3600), at: shanghai("2026-11-20"))
    }
  }

  @Test func anEnvelopeNotSealedToTheNoticesHoldersIsRefused() throws {
    let state = try published()
    let when = shanghai("2026-11-20")
    expectRefused(Rules.bidMustBeEncrypted) {
      try state.receiveBid(
        bidder: "A", facts("h", deadline: schedule.bidDeadline, holders: ["k1", "k2"]), at: when)
    }
    expectRefused(Rules.bidMustBeEncrypted) {
      try state.receiveBid(
        bidder: "A", facts("h", deadline: schedule.bidDeadline, holders: ["k1", "k2", "mine"]),
        at: when)
    }
    expectRefused(Rules.bidMustBeEncrypted) {
      try state.receiveBid(
        bidder: "A", facts("h", deadline: schedule.bidDeadline, threshold: 3), at: when)
    }
  }

  @Test func aNoticeNeedsAValidKeyHolderSet() throws {
    let draft = try Section.draft(terms).section
    var bad = schedule
    bad.keyHolders = [testHolders[0]]
    #expect(throws: DomainError.self) { try draft.publish(bad, at: 0) }
    bad = schedule
    bad.keyHolders = [testHolders[0], testHolders[0], testHolders[1]]
    #expect(throws: DomainError.self) { try draft.publish(bad, at: 0) }
    bad = schedule
    bad.threshold = 4
    #expect(throws: DomainError.self) { try draft.publish(bad, at: 0) }
  }

  @Test func biddingClosesOnlyAtTheDeadline() throws {
    let state = try published()
    expectRefused(Rules.noDecryptionBeforeDeadline) {
      try state.closeBidding(at: schedule.bidDeadline - 1)
    }
  }

  @Test func fewerThanThreeBidsFailTheSection() throws {
    var state = try published()
    for bidder in ["A", "B"] {
      state = try state.receiveBid(
        bidder: bidder, facts(bidder, deadline: schedule.bidDeadline), at: shanghai("2026-11-20")
      )
      .section
    }
    let closed = try state.closeBidding(at: schedule.bidDeadline)
    #expect(closed.section.phase == .failed)
    #expect(
      closed.events == [
        .biddingClosed(at: schedule.bidDeadline, bids: 2),
        .sectionFailed(at: schedule.bidDeadline, rule: "RULE_MIN_3_BIDS"),
      ])
    #expect(throws: DomainError.wrongPhase(action: "terminate", phase: .failed)) {
      try closed.section.terminate(at: schedule.bidDeadline, reason: "x")
    }
  }

  @Test func aSectionCanBeTerminatedAtAnyPointBeforeItIsFinal() throws {
    let state = try published()
    let ended = try state.terminate(at: shanghai("2026-11-10"), reason: "项目取消")
    #expect(ended.section.phase == .terminated)
    #expect(throws: DomainError.wrongPhase(action: "receive a bid", phase: .terminated)) {
      try ended.section.receiveBid(
        bidder: "A", facts("h", deadline: schedule.bidDeadline), at: shanghai("2026-11-11"))
    }
  }

  /// 条例34: the tenderer and its agency do not bid in their own tender.
  @Test func theTendererAndItsAgencyCannotBid() throws {
    var terms = self.terms
    terms.tenderer = "91350100M000100Y43"
    terms.agency = "91350100MA2XN0K61Q"
    let state = try Section.draft(terms).section.publish(schedule, at: shanghai("2026-11-02"))
      .section
    for party in [terms.tenderer, terms.agency!] {
      expectRefused(Rules.bidderIndependent) {
        try state.receiveBid(
          bidder: party, facts(party, deadline: schedule.bidDeadline), at: shanghai("2026-11-20"))
      }
    }
  }

  /// Once the deadline has passed a bid is late whether or not bidding was closed yet (办法27).
  @Test func aBidAfterTheCloseIsLateNotInTheWrongPhase() throws {
    var state = try published()
    for bidder in ["A", "B"] {
      state = try state.receiveBid(
        bidder: bidder, facts(bidder, deadline: schedule.bidDeadline), at: shanghai("2026-11-20")
      ).section
    }
    let failed = try state.closeBidding(at: schedule.bidDeadline).section
    expectRefused(Rules.lateBidRefused) {
      try failed.receiveBid(
        bidder: "C", facts("C", deadline: schedule.bidDeadline), at: schedule.bidDeadline + 60)
    }
    #expect(throws: DomainError.self) { try failed.checkCanOpen(at: schedule.bidDeadline + 60) }
    do {
      try failed.checkCanOpen(at: schedule.bidDeadline + 60)
    } catch DomainError.rule(let violation) {
      #expect(violation.rule == Rules.minimumThreeBids)
    }
    do {
      try state.checkCanOpen(at: schedule.bidDeadline - 60)
    } catch DomainError.rule(let violation) {
      #expect(violation.rule == Rules.noDecryptionBeforeDeadline)
    }
  }

  /// 法24: the documents are issued when the notice is published, whatever date is named.
  @Test func publicationIssuesTheDocumentsAtOnce() throws {
    var backdated = schedule
    backdated.documentsIssuedAt = shanghai("2026-10-01")
    let draft = try Section.draft(terms).section
    expectRefused(Rules.salePeriodMin5Days) {
      try draft.publish(backdated, at: shanghai("2026-11-10"))
    }
    let published = try draft.publish(backdated, at: shanghai("2026-11-02")).section
    #expect(published.schedule?.documentsIssuedAt == shanghai("2026-11-02"))
  }

  /// 条例34: a bidder the tenderer controls is refused; bids of bidders with one person in charge
  /// or in a control relation are all void at the close, and the rest go on (or fail).
  @Test func tiedPartiesCannotBidTogether() throws {
    var terms = self.terms
    terms.tenderer = "T"
    let state = try Section.draft(terms).section.publish(schedule, at: shanghai("2026-11-02"))
      .section
    expectRefused(Rules.bidderIndependent) {
      try state.receiveBid(
        bidder: "A", facts("A", deadline: schedule.bidDeadline),
        ties: PartyTies(controllers: ["T"]), at: shanghai("2026-11-20"))
    }
    expectRefused(Rules.bidderIndependent) {
      try state.receiveBid(
        bidder: "A", facts("A", deadline: schedule.bidDeadline),
        tendererTies: PartyTies(controllers: ["A"]), at: shanghai("2026-11-20"))
    }
    var bidding = state
    let ties: [String: PartyTies] = [
      "A": PartyTies(representative: "r1"), "B": PartyTies(representative: "r1"),
      "C": PartyTies(controllers: ["D"]), "D": PartyTies(), "E": PartyTies(), "F": PartyTies(),
    ]
    for bidder in ties.keys.sorted() {
      bidding = try bidding.receiveBid(
        bidder: bidder, facts(bidder, deadline: schedule.bidDeadline), ties: ties[bidder],
        at: shanghai("2026-11-20")
      ).section
    }
    let closed = try bidding.closeBidding(at: schedule.bidDeadline)
    #expect(
      closed.events.contains(
        .bidsVoided(bidders: ["A", "B", "C", "D"], rule: "RULE_BIDDER_INDEPENDENT")))
    #expect(closed.section.phase == .failed)
    #expect(Set(closed.section.bids.keys) == ["E", "F"])
    #expect(
      PartyTies.areTied("X", PartyTies(), "Y", PartyTies()) == false)
  }
}
