import Testing

@testable import ZhaocaiDomain

@Suite struct AccountTests {
  let bidder = Account(
    id: "bidder-1", role: .bidder, name: "某建设公司", creditCode: "91350100m000100y43",
    signingKey: "AAAA", signatureAlgorithm: "ed25519")

  @Test func anAccountCarriesAValidCreditCode() throws {
    #expect(try bidder.validated().creditCode == "91350100M000100Y43")
    var wrong = bidder
    wrong.creditCode = "91350100M000100Y44"
    #expect(throws: DomainError.self) { try wrong.validated() }
    do {
      _ = try wrong.validated()
    } catch DomainError.rule(let violation) {
      #expect(violation.rule == Rules.creditCodeValid)
    }
    var expert = Account(
      id: "expert-1", role: .expert, name: "专家", creditCode: "91110000100000589A",
      pastEmployers: ["91440300MA5DC6QX9D"])
    #expect(throws: DomainError.self) { try expert.validated() }
    expert.pastEmployers = ["91440300MA5DC6QX9C"]
    #expect(try expert.validated().committeeMember.employers.count == 2)
  }

  @Test func aBidderRegistersItsSignatureKeyAndNamesAreSane() {
    var keyless = bidder
    keyless.signingKey = nil
    #expect(throws: DomainError.self) { try keyless.validated() }
    var slash = bidder
    slash.id = "a/b"
    #expect(throws: DomainError.self) { try slash.validated() }
    #expect(Role.bidder.selfRegistered && !Role.expert.selfRegistered)
    #expect(!Role.keyHolder.selfRegistered && !Role.administrator.selfRegistered)
  }

  @Test func creditCodesAreCompletedWithTheirCheckCharacter() {
    #expect(CreditCode.completing("91350100M000100Y4")?.value == "91350100M000100Y43")
    #expect(CreditCode.completing("91350100M000100Y") == nil)
    #expect(CreditCode.completing("91350100M000100YI") == nil)  // I is not in the alphabet
  }
}

@Suite struct ExpertDrawTests {
  let bidders: Set<String> = ["91350100M000100Y43"]
  var pool: [Account] {
    (1...7).map { i in
      Account(
        id: "expert\(i)", role: .expert, name: "专家\(i)",
        creditCode: i == 7 ? "91350100M000100Y43" : "91110000100000589A",
        conflicts: i == 6 ? ["91350100M000100Y43"] : [],
        specialities: i == 5 ? ["水利"] : ["房建"])
    }
  }

  @Test func theSameSeedDrawsTheSameCommitteeAndTiedExpertsNeverSit() throws {
    var a = SeededGenerator(seed: 42)
    var b = SeededGenerator(seed: 42)
    let first = try ExpertDraw.draw(4, speciality: nil, from: pool, bidders: bidders, using: &a)
    let again = try ExpertDraw.draw(
      4, speciality: nil, from: pool.reversed(), bidders: bidders, using: &b)
    #expect(first == again)
    #expect(Set(first.recused) == ["expert6", "expert7"])
    for seed in UInt64(0)..<200 {
      var generator = SeededGenerator(seed: seed)
      let outcome = try ExpertDraw.draw(
        5, speciality: nil, from: pool, bidders: bidders, using: &generator)
      #expect(Set(outcome.drawn.map(\.id)).isDisjoint(with: ["expert6", "expert7"]))
      #expect(Set(outcome.drawn.map(\.id)).count == 5)
    }
    // A replacement draw leaves out the committee's members and those who recused.
    for seed in UInt64(0)..<50 {
      var generator = SeededGenerator(seed: seed)
      let replacement = try ExpertDraw.draw(
        1, speciality: nil, from: pool, bidders: bidders,
        excluding: ["expert1", "expert2", "expert3", "expert4"], using: &generator)
      #expect(replacement.drawn.map(\.id) == ["expert5"])
    }
  }

  @Test func everyEligibleExpertCanBeDrawn() throws {
    var seen: Set<String> = []
    for seed in UInt64(0)..<100 {
      var generator = SeededGenerator(seed: seed)
      seen.formUnion(
        try ExpertDraw.draw(2, speciality: "房建", from: pool, bidders: bidders, using: &generator)
          .drawn.map(\.id))
    }
    #expect(seen == ["expert1", "expert2", "expert3", "expert4"])
  }

  @Test func aPoolTooSmallAfterRecusalIsRefused() {
    var generator = SeededGenerator(seed: 1)
    #expect(throws: DomainError.self) {
      try ExpertDraw.draw(6, speciality: nil, from: pool, bidders: bidders, using: &generator)
    }
  }

  @Test func uniformValuesStayInRange() {
    var generator = SeededGenerator(seed: 7)
    for bound in UInt64(1)...50 {
      #expect(generator.uniform(below: bound) < bound)
    }
  }
}

@Suite struct BondTests {
  @Test func aBondIsPaidInTheNoticesAmountFromAnAccountBeforeTheDeadline() throws {
    let f = try LifecycleFixture.bidding()
    let bond = Money(yuan: 800_000)
    let paid = try f.payBond(
      bidder: "A", amount: bond, payingAccount: "6222 0202 0011 2233", at: shanghai("2026-11-10"))
    #expect(paid.section.bonds["A"]?.payingAccount == "6222020200112233")
    #expect(throws: DomainError.self) {
      try f.payBond(
        bidder: "A", amount: Money(yuan: 1), payingAccount: "6222020200112233",
        at: shanghai("2026-11-10"))
    }
    #expect(throws: DomainError.self) {
      try f.payBond(bidder: "A", amount: bond, payingAccount: "现金", at: shanghai("2026-11-10"))
    }
    #expect(throws: DomainError.self) {
      try paid.section.payBond(
        bidder: "A", amount: bond, payingAccount: "6222020200112233", at: shanghai("2026-11-11"))
    }
    #expect(throws: DomainError.self) {
      try f.payBond(
        bidder: "A", amount: bond, payingAccount: "6222020200112233", at: shanghai("2026-11-27", 10)
      )
    }
  }

  /// An electronic bank guarantee (电子保函) stands for the bond only where the notice accepts
  /// one, in the notice's amount, before the deadline, once; it is confidential like a bond.
  @Test func aBankGuaranteeStandsForTheBondOnlyWhereTheNoticeAcceptsOne() throws {
    let bond = Money(yuan: 800_000)
    let guarantee = try BankGuarantee(issuer: "中国建设银行福州分行", number: "BG-2026 0001")
    #expect(guarantee.number == "BG-20260001")
    #expect(throws: DomainError.self) {
      try LifecycleFixture.bidding().lodgeGuarantee(
        bidder: "A", amount: bond, guarantee: guarantee, at: shanghai("2026-11-10"))
    }
    let f = try LifecycleFixture.bidding(guaranteeAccepted: true)
    let lodged = try f.lodgeGuarantee(
      bidder: "A", amount: bond, guarantee: guarantee, at: shanghai("2026-11-10"))
    #expect(lodged.section.bonds["A"]?.guarantee == guarantee)
    #expect(lodged.section.bonds["A"]?.payingAccount == "")
    #expect(lodged.events.allSatisfy { !$0.isPublicRecord && !$0.isSupervised })
    #expect(throws: DomainError.self) {
      try f.lodgeGuarantee(
        bidder: "A", amount: Money(yuan: 1), guarantee: guarantee, at: shanghai("2026-11-10"))
    }
    #expect(throws: DomainError.self) {
      try lodged.section.lodgeGuarantee(
        bidder: "A", amount: bond, guarantee: guarantee, at: shanghai("2026-11-11"))
    }
    #expect(throws: DomainError.self) {
      try lodged.section.payBond(
        bidder: "A", amount: bond, payingAccount: "6222020200112233", at: shanghai("2026-11-11"))
    }
    #expect(throws: DomainError.self) {
      try f.lodgeGuarantee(
        bidder: "A", amount: bond, guarantee: guarantee, at: shanghai("2026-11-27", 10))
    }
    for (issuer, number) in [
      ("", "BG-1234"), ("银行\u{202E}", "BG-1234"), ("银行", "保函一号"), ("银行", "B1"),
    ] {
      #expect(throws: DomainError.self) { try BankGuarantee(issuer: issuer, number: number) }
    }
  }

  @Test func aWithdrawnBidsBondFallsDueIn5DaysAndALateRefundIsRecorded() throws {
    let f = try LifecycleFixture.bidding()
    var section = try f.payBond(
      bidder: "A", amount: Money(yuan: 800_000), payingAccount: "6222020200112233",
      at: shanghai("2026-11-10")
    ).section
    section = try section.receiveBid(
      bidder: "A", facts("h", deadline: shanghai("2026-11-27", 9, 30)), at: shanghai("2026-11-11")
    ).section
    #expect(throws: DomainError.self) {
      try section.refundBond(bidder: "A", at: shanghai("2026-11-12"))
    }
    section = try section.withdrawBid(bidder: "A", at: shanghai("2026-11-12"), calendar: .china2026)
      .section
    // Thursday 12 Nov + 5 days = Tuesday 17 Nov.
    #expect(section.bonds["A"]?.refundDue == LegalDate("2026-11-17"))
    let onTime = try section.refundBond(bidder: "A", at: shanghai("2026-11-17", 16))
    #expect(onTime.events.count == 1)
    let late = try section.refundBond(bidder: "A", at: shanghai("2026-11-18", 9))
    #expect(
      late.events.first
        == .deadlineMissed(
          rule: Rules.bondRefund5Days.code, due: LegalDate("2026-11-17")!,
          at: shanghai("2026-11-18", 9)))
    #expect(throws: DomainError.self) {
      try late.section.refundBond(bidder: "A", at: shanghai("2026-11-19"))
    }
  }
}

@Suite struct DocumentTests {
  @Test func documentsIssuedDuringBiddingAreAnAmendmentThatReachesDownloaders() throws {
    let f = try LifecycleFixture.bidding()
    let v2 = try f.issueDocuments(version: 2, hash: "sha256:2", at: shanghai("2026-11-03")).section
    var section = try v2.download(party: "A", version: 2, at: shanghai("2026-11-04")).section
    // Outside the sale period, or a version that does not exist: refused.
    #expect(throws: DomainError.self) {
      try section.download(party: "B", version: 1, at: shanghai("2026-11-10"))
    }
    #expect(throws: DomainError.self) {
      try section.download(party: "B", version: 3, at: shanghai("2026-11-04"))
    }
    let late = try section.issueDocuments(version: 3, hash: "sha256:3", at: shanghai("2026-11-16"))
    #expect(late.section.partiesToNotify(of: late) == ["A"])
    #expect(late.section.schedule?.bidDeadline == shanghai("2026-12-01", 9, 30))
    section = late.section
    #expect(section.documentVersions == ["sha256:1", "sha256:2", "sha256:3"])
    let notices = late.events.compactMap { Notice.published(by: $0, in: late.section) }
    #expect(notices.map(\.kind) == [.amendment])
    #expect(notices.first?.body.contains("依法顺延") == true)
  }
}

extension LifecycleFixture {
  /// A section in bidding (notice of 2 Nov, deadline 27 Nov 09:30) with documents version 1.
  static func bidding(guaranteeAccepted: Bool? = nil) throws -> Section {
    let terms = SectionTerms(
      sectionID: "S1", name: "主体工程", estimate: Money(yuan: 50_000_000),
      bidBond: Money(yuan: 800_000), industry: "住建", region: "350100",
      tenderer: "91350100M000100Y43", bondGuaranteeAccepted: guaranteeAccepted)
    let schedule = TenderSchedule(
      documentsIssuedAt: shanghai("2026-11-02"), saleEndsAt: shanghai("2026-11-09", 17),
      bidDeadline: shanghai("2026-11-27", 9, 30), keyHolders: testHolders, threshold: 2)
    let draft = try Section.draft(terms).section
    let issued = try draft.issueDocuments(version: 1, hash: "sha256:1", at: shanghai("2026-11-01"))
    let published = try issued.section.publish(schedule, at: shanghai("2026-11-02"))
    #expect(Notice.published(by: published.events[0], in: published.section)?.kind == .tenderNotice)
    return published.section
  }
}

@Suite struct AnswerAndMarkTests {
  @Test func anObjectionAnsweredAfterItsThreeDaysIsRecordedAsLate() throws {
    let section = try LifecycleFixture.bidding()
    let raised = try section.raiseObjection(
      id: "O1", at: shanghai("2026-11-10"), calendar: .china2026
    ).section
    let due = try #require(raised.pendingObjections.first?.answerDue)
    #expect(try raised.answerObjection(id: "O1", at: due.startInstant + 3600).events.count == 1)
    let late = try raised.answerObjection(id: "O1", at: due.adding(days: 1).startInstant + 3600)
    #expect(
      late.events.first
        == .deadlineMissed(
          rule: Rules.objectionAnswer3Days.code, due: due,
          at: due.adding(days: 1).startInstant + 3600))
    #expect(late.section.pendingObjections.isEmpty)
  }

  @Test func marksStayWithinTheSectionsCriteriaAndOpenedBids() throws {
    var f = try LifecycleFixture()
    f.section.terms.criteria = [Criterion(name: "技术", maxPoints: 6000)]
    try f.open(undecryptable: ["BIDDER-D": .revoked])
    try f.reachDetailedReview(at: f.deadline + 3600)
    let bidder = f.bidders[0]
    let at = f.deadline + 7200
    #expect(throws: DomainError.self) {
      try f.section.submitScores(member: "E2", ScoreSheet(points: [bidder: ["技术": 6001]]), at: at)
    }
    #expect(throws: DomainError.self) {
      try f.section.submitScores(member: "E2", ScoreSheet(points: [bidder: ["价格": 10]]), at: at)
    }
    #expect(throws: DomainError.self) {
      try f.section.submitScores(member: "E2", ScoreSheet(points: ["BIDDER-D": ["技术": 10]]), at: at)
    }
    #expect(throws: DomainError.self) {
      try f.section.submitScores(member: "E2", ScoreSheet(points: [bidder: ["技术": -1]]), at: at)
    }
    let scored = try f.section.submitScores(
      member: "E2", ScoreSheet(points: [bidder: ["技术": 6000]]), at: at)
    #expect(scored.events.count == 2)
    #expect(scored.events.last == .stageConcluded(member: "E2", stage: .detailed, at: at))
  }
}

@Suite struct TermsAndInvitationTests {
  let terms = SectionTerms(
    sectionID: "S1", name: "主体工程", estimate: Money(yuan: 1_000_000), bidBond: Money(yuan: 20_000),
    industry: "交通", region: "350100")

  @Test func aDraftNeedsUsableIdsANameAndPositiveAmounts() {
    var bad = terms
    bad.sectionID = "S1/../x"
    #expect(throws: DomainError.self) { try Section.draft(bad) }
    bad = terms
    bad.name = "  "
    #expect(throws: DomainError.self) { try Section.draft(bad) }
    bad = terms
    bad.estimate = Money(fen: 0)
    bad.bidBond = Money(fen: 0)
    #expect(throws: DomainError.self) { try Section.draft(bad) }
    bad = terms
    bad.criteria = [Criterion(name: "技术", maxPoints: 10), Criterion(name: "技术", maxPoints: 20)]
    #expect(throws: DomainError.self) { try Section.draft(bad) }
    #expect((try? Section.draft(terms)) != nil)
  }

  @Test func invitationTenderingInvitesThreeAndAdmitsOnlyThem() throws {
    var invitation = terms
    invitation.procedure = .invitation
    let draft = try Section.draft(invitation).section
    var schedule = TenderSchedule(
      documentsIssuedAt: shanghai("2026-11-02"), saleEndsAt: shanghai("2026-11-09", 17),
      bidDeadline: shanghai("2026-11-27", 9, 30), keyHolders: testHolders, threshold: 2)
    schedule.invited = ["91350100M000100Y43", "91110000100000589A"]
    #expect(throws: DomainError.self) { try draft.publish(schedule, at: shanghai("2026-11-02")) }
    schedule.invited.append("91440300MA5DC6QX9X")
    #expect(throws: DomainError.self) { try draft.publish(schedule, at: shanghai("2026-11-02")) }
    schedule.invited[2] = "91440300MA5DC6QX9C"
    let published = try draft.publish(schedule, at: shanghai("2026-11-02")).section
    let facts = facts("h", deadline: shanghai("2026-11-27", 9, 30))
    #expect(throws: DomainError.self) {
      try published.receiveBid(bidder: "9135010080000001X7", facts, at: shanghai("2026-11-20"))
    }
    #expect(
      (try? published.receiveBid(bidder: "91110000100000589A", facts, at: shanghai("2026-11-20")))
        != nil)
    #expect(
      Notice.published(by: .published(schedule: schedule, at: 0), in: published)?.kind
        == .invitation)
  }
}

@Suite struct PrequalificationTests {
  let codes = [
    "91350100M000100Y43", "91110000100000589A", "91440300MA5DC6QX9C", "9135010080000001X7",
  ]

  func published(applications: Int64 = shanghai("2026-11-16")) throws -> Transition {
    let terms = SectionTerms(
      sectionID: "P1", name: "资格预审标段", estimate: Money(yuan: 1_000_000),
      bidBond: Money(yuan: 20_000), procedure: .openWithPrequalification, industry: "水利",
      region: "350100")
    var schedule = TenderSchedule(
      documentsIssuedAt: shanghai("2026-11-02"), saleEndsAt: shanghai("2026-11-09", 17),
      bidDeadline: shanghai("2026-12-15", 9, 30), keyHolders: testHolders, threshold: 2)
    schedule.applicationDeadline = applications
    return try Section.draft(terms).section.publish(schedule, at: shanghai("2026-11-02"))
  }

  @Test func applicationsAreDueAtLeast5DaysAfterTheSale() throws {
    expectRefused(Rules.prequalificationMin5Days) {
      try published(applications: shanghai("2026-11-13"))
    }
    let notice = try published()
    #expect(
      Notice.published(by: notice.events[0], in: notice.section)?.kind == .prequalificationNotice)
  }

  @Test func amendmentsAndObjectionsDuringPrequalificationUseItsDeadline() throws {
    let section = try published().section
    // 3 days before the application deadline (16 Nov): on 14 Nov the deadline moves to 17 Nov,
    // and the bid deadline moves with it.
    let amended = try section.amend(at: shanghai("2026-11-14"))
    #expect(amended.section.schedule?.applicationDeadline == shanghai("2026-11-17"))
    #expect(amended.section.schedule?.bidDeadline == shanghai("2026-12-16", 9, 30))
    #expect(
      amended.events.first
        == .amended(
          number: 1, at: shanghai("2026-11-14"), deadline: shanghai("2026-11-17"),
          movedFrom: shanghai("2026-11-16"), rule: Rules.prequalificationAmendmentMin3Days.code))
    expectRefused(Rules.objectionToDocumentsInTime) {
      try section.raiseObjection(id: "O", at: shanghai("2026-11-15"), calendar: .china2026)
    }
    #expect(
      (try? section.raiseObjection(id: "O", at: shanghai("2026-11-14"), calendar: .china2026))
        != nil)
  }

  @Test func onlyThosePassedBidAndFewerThanThreeFail() throws {
    var section = try published().section
    for code in codes {
      section = try section.applyForPrequalification(party: code, at: shanghai("2026-11-10"))
        .section
    }
    #expect(throws: DomainError.self) {
      try section.applyForPrequalification(party: "X", at: shanghai("2026-11-16", 10))
    }
    #expect(throws: DomainError.self) { try section.prequalify(codes, at: shanghai("2026-11-15")) }
    #expect(throws: DomainError.self) {
      try section.prequalify(["9135010090000001XJ"], at: shanghai("2026-11-17"))
    }
    let few = try section.prequalify(Array(codes.prefix(2)), at: shanghai("2026-11-17"))
    #expect(few.section.phase == .failed)
    #expect(
      few.events.last == .sectionFailed(at: shanghai("2026-11-17"), rule: "RULE_PREQUALIFIED_MIN_3")
    )

    let passed = try section.prequalify(Array(codes.prefix(3)), at: shanghai("2026-11-17")).section
    let facts = facts("h", deadline: shanghai("2026-12-15", 9, 30))
    #expect(throws: DomainError.self) {
      try section.receiveBid(bidder: codes[0], facts, at: shanghai("2026-11-12"))
    }
    #expect(throws: DomainError.self) {
      try passed.receiveBid(bidder: codes[3], facts, at: shanghai("2026-11-20"))
    }
    #expect((try? passed.receiveBid(bidder: codes[0], facts, at: shanghai("2026-11-20"))) != nil)
  }
}

/// Amounts typed in yuan (a bid's price on the command line, the pages' amount fields).
@Suite struct YuanTextTests {
  @Test(
    arguments: [
      ("48500000", 4_850_000_000), ("48,500,000.5", 4_850_000_050), ("¥2,980,000.00", 298_000_000),
      ("0.01", 1), ("0", 0), ("10000000000000", 1_000_000_000_000_000),
    ] as [(String, Int64)])
  func readsAnAmountExactly(text: String, fen: Int64) {
    #expect(Money(yuanText: text)?.fen == fen)
  }

  @Test(arguments: [
    "", "-5", "+5", "1.234", "1.", ".5", "1e5", "12 000", "１２", "10000000000000.01",
    "99999999999999999999", "1.5.5", "¥", "0x10", "五万",
  ])
  func refusesWhatIsNotAnAmount(text: String) {
    #expect(Money(yuanText: text) == nil)
  }
}
