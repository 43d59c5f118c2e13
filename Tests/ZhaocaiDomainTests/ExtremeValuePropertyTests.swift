import PropertyBased
import Testing

@testable import ZhaocaiDomain

/// Every money, count and time computation and every transition a request can drive, fed the
/// ends of each type and random values: each must answer (a new state or a `DomainError`),
/// never trap, and what it accepts must lie within the law's and the bounds' limits.
@Suite struct ExtremeValuePropertyTests {
  static let cases = 300

  /// Extremes first, then anything: most traps live at the ends of a type.
  static let int64 = Gen.oneOf(
    Gen.element(of: [
      Int64.min, .min + 1, -86_400, -1, 0, 1, 99, 100, 86_400, Money.maximum.fen,
      Money.maximum.fen + 1, InstantBounds.earliest, InstantBounds.latest, .max - 1, .max,
    ]).map { $0 ?? 0 }.eraseToAny(),
    Gen.int64().eraseToAny())
  static let int = Gen.oneOf(
    Gen.element(of: [Int.min, .min + 1, -1, 0, 1, 2, 3, 4, 5, 99, 100, 10_000, .max - 1, .max])
      .map { $0 ?? 0 }.eraseToAny(),
    Gen.int().eraseToAny())
  /// Instants around the fixtures' tender, or anywhere.
  static let instant = Gen.oneOf(
    Gen.int64(in: shanghai("2026-10-01")...shanghai("2027-03-01")).eraseToAny(), int64)

  let terms = SectionTerms(
    sectionID: "P-1", name: "主体工程", estimate: Money(yuan: 50_000_000),
    bidBond: Money(yuan: 800_000), industry: "住建", region: "350100",
    criteria: [Criterion(name: "技术", maxPoints: 6000), Criterion(name: "商务", maxPoints: 4000)])
  let schedule = TenderSchedule(
    documentsIssuedAt: shanghai("2026-11-02"), saleEndsAt: shanghai("2026-11-09", 17),
    bidDeadline: shanghai("2026-11-27", 9, 30), keyHolders: testHolders, threshold: 2)

  @Test func moneyIsWrittenForEveryAmount() async {
    await propertyCheck(count: Self.cases, input: Self.int64) { fen in
      let text = Money(fen: fen).description
      #expect(text.contains("¥"))
      #expect(text.hasPrefix("-") == (fen < 0))
      let digits = text.filter(\.isNumber)
      #expect(UInt64(digits) == fen.magnitude)
    }
  }

  @Test func bondCapsCompareWithoutOverflow() async {
    await propertyCheck(count: Self.cases, input: Self.int64, Self.int64) { bond, estimate in
      let accepted =
        (try? BondRules.checkBidBond(Money(fen: bond), estimate: Money(fen: estimate)))
        != nil
      #expect(accepted == (bond >= 0 && Int128(bond) * 50 <= Int128(estimate)))
      let performance =
        (try? BondRules.checkPerformanceBond(Money(fen: bond), contractPrice: Money(fen: estimate)))
        != nil
      #expect(performance == (bond >= 0 && Int128(bond) * 10 <= Int128(estimate)))
    }
  }

  @Test func draftsAcceptOnlyBoundedAmountsAndPoints() async {
    await propertyCheck(count: Self.cases, input: Self.int64, Self.int64, Self.int) {
      estimate, bond, points in
      var terms = self.terms
      terms.estimate = Money(fen: estimate)
      terms.bidBond = Money(fen: bond)
      terms.criteria = [Criterion(name: "技术", maxPoints: points)]
      guard let draft = try? Section.draft(terms) else { return }
      #expect((1...Money.maximum.fen).contains(estimate))
      #expect(bond >= 0 && Int128(bond) * 50 <= Int128(estimate))
      #expect((1...Criterion.maxPointsAllowed).contains(points))
      #expect(draft.section.phase == .draft)
    }
  }

  @Test func publicationCountsFromNowWhateverTheDates() async {
    await propertyCheck(count: Self.cases, input: Self.instant, Self.instant, Self.instant) {
      now, saleEnd, deadline in
      var schedule = self.schedule
      schedule.documentsIssuedAt = now &- 21 * 86_400
      schedule.saleEndsAt = saleEnd
      schedule.bidDeadline = deadline
      guard let published = try? Section.draft(terms).section.publish(schedule, at: now) else {
        return
      }
      #expect(published.section.schedule?.documentsIssuedAt == now)
      #expect(LegalDate(instant: now).days(until: LegalDate(instant: deadline)) >= 20)
      #expect(LegalDate(instant: now).days(until: LegalDate(instant: saleEnd)) >= 5)
      #expect(InstantBounds.contains(deadline))
    }
  }

  @Test func biddingTransitionsAnswerAtAnyTime() async throws {
    let published = try Section.draft(terms).section.publish(schedule, at: shanghai("2026-11-02"))
      .section
    await propertyCheck(count: Self.cases, input: Self.instant, Self.instant) { at, openingTime in
      let received = try? published.receiveBid(
        bidder: "A", facts("h", deadline: openingTime), at: at)
      if received != nil {
        #expect(at < schedule.bidDeadline && openingTime == schedule.bidDeadline)
      }
      _ = try? published.withdrawBid(bidder: "A", at: at, calendar: .china2026)
      _ = try? published.amend(at: at)
      _ = try? published.raiseObjection(id: "O", at: at, calendar: .china2026)
      _ = try? published.download(party: "A", version: Int(truncatingIfNeeded: openingTime), at: at)
      let closed = try? published.closeBidding(at: at)
      if closed != nil { #expect(at >= schedule.bidDeadline) }
      _ = try? published.checkCanOpen(at: at)
      _ = try? published.terminate(at: at, reason: "x")
    }
  }

  @Test func drawsAndReportsTakeOnlySaneCounts() async {
    let pool = (1...9).map {
      Account(
        id: "e\($0)", role: .expert, name: "专家\($0)", creditCode: "91350100M000100Y43",
        specialities: ["房建"])
    }
    await propertyCheck(count: Self.cases, input: Self.int) { count in
      var generator = SeededGenerator(seed: 42)
      let outcome = try? ExpertDraw.draw(
        count, speciality: nil, from: pool, bidders: [], using: &generator)
      #expect((outcome != nil) == (1...9).contains(count))
      #expect(outcome.map { $0.drawn.count == count } ?? true)
    }
  }

  @Test func scoresAndCreditSumWithoutOverflow() async {
    await propertyCheck(count: Self.cases, input: Self.int, Self.int, Self.int) { a, b, c in
      let sheets = [a, b, c, a, b].map {
        ScoreSheet(points: ["X": ["技术": $0, "商务": c], "Y": ["技术": b]])
      }
      let ranked = Scoring.comprehensive(
        sheets: sheets, bidders: ["X", "Y"], prices: [:], dropExtremes: true)
      #expect(ranked.count == 2)
      let marks = CreditScore.marks(score: a, maxPoints: b)
      if b >= 0 { #expect((0...b).contains(marks)) }
      let records = [a, b, c].enumerated().map {
        ViolationRecord(
          party: "X", description: "d", article: "法53", points: $0.element, decidedBy: "D",
          decidedAt: 0, expiresAt: .max)
      }
      #expect((0...100).contains(CreditScore.of("X", records: records, at: 1)))
    }
  }

  @Test func legalDaysAreDefinedForEveryInstant() async {
    await propertyCheck(count: Self.cases, input: Self.int64, Self.int) { instant, days in
      let day = LegalDate(instant: instant)
      let later = day.adding(days: days)
      _ = later.startInstant
      _ = later.description
      _ = day.days(until: later)
      _ = TimeLimits.deadlineAfterAmendment(
        issuedAt: instant, deadline: InstantBounds.latest, prequalification: false)
      _ = try? TimeLimits.checkBidDeadline(documentsIssued: instant, deadline: instant)
      _ = Notice.legalTime(instant)
    }
  }

  @Test func textRulesRefuseEveryControlAndOverride() async {
    let forbidden: [Unicode.Scalar] = [
      "\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{202A}", "\u{202E}", "\u{2066}",
      "\u{2069}",
    ]
    await propertyCheck(
      count: Self.cases, input: Gen.element(of: forbidden), Gen.letterOrNumber.string(of: 0...20)
    ) { scalar, text in
      let value = text + String(Character(scalar ?? "\u{0}")) + text
      #expect(throws: DomainError.self) {
        try TextRules.checked(value, field: "f", chineseField: "字段")
      }
    }
    #expect(throws: DomainError.self) {
      try TextRules.checked(String(repeating: "字", count: 201), field: "f", chineseField: "字段")
    }
    #expect((try? TextRules.checked("第一标段 主体工程（房建）", field: "f", chineseField: "字段")) != nil)
  }
}
