import Foundation
import Testing

@testable import ZhaocaiDomain

/// Check-in, the leader's election, the stages in order, going back with a reason, and the
/// price criterion scored by formula.
@Suite struct EvaluationStageTests {
  func seated() throws -> LifecycleFixture {
    var f = try LifecycleFixture()
    try f.open()
    f.section = try f.section.formCommittee(LifecycleFixture.committee, at: 0).section
    return f
  }

  @Test func membersCheckInBeforeTheyVoteAndOnlyOnce() throws {
    var f = try seated()
    expectRefused(Rules.evaluationStages) {
      try f.section.voteForLeader(member: "E1", candidate: "E1", at: 1)
    }
    let checkedIn = try f.section.checkIn(member: "E1", at: 1)
    #expect(checkedIn.events == [.memberCheckedIn(member: "E1", at: 1)])
    f.section = checkedIn.section
    #expect(throws: DomainError.self) { try f.section.checkIn(member: "E1", at: 2) }
    #expect(throws: DomainError.notFound("committee member Z")) {
      try f.section.checkIn(member: "Z", at: 2)
    }
    // A draft waits for the check-in as the sheet does.
    let section = f.section
    expectRefused(Rules.evaluationStages) {
      try section.checkScoreDraft(member: "E2", ScoreSheet())
      return Transition(section: section, events: [])
    }
    try f.section.checkScoreDraft(member: "E1", ScoreSheet())
  }

  @Test func theLeaderIsElectedByMoreThanHalfTheCommittee() throws {
    var f = try seated()
    for member in LifecycleFixture.committee.dropLast() {
      f.section = try f.section.checkIn(member: member.id, at: 1).section
    }
    expectRefused(Rules.committeeLeader) {
      try f.section.voteForLeader(member: "E1", candidate: "Z", at: 2)
    }
    // Only a member present can lead.
    expectRefused(Rules.committeeLeader) {
      try f.section.voteForLeader(member: "E1", candidate: "E4", at: 2)
    }
    f.section = try f.section.checkIn(member: "E4", at: 2).section
    f.section = try f.section.voteForLeader(member: "E1", candidate: "E2", at: 2).section
    f.section = try f.section.voteForLeader(member: "E2", candidate: "E2", at: 2).section
    // A vote changed before the election counts once, for the member it names now.
    f.section = try f.section.voteForLeader(member: "E1", candidate: "E3", at: 2).section
    #expect(f.section.evaluation?.leader == nil)
    f.section = try f.section.voteForLeader(member: "T", candidate: "E2", at: 3).section
    let elected = try f.section.voteForLeader(member: "E4", candidate: "E2", at: 4)
    #expect(elected.events == [.leaderElected(member: "E2", votes: 3, at: 4)])
    #expect(elected.section.evaluation?.stage == .qualification)
    expectRefused(Rules.committeeLeader) {
      try elected.section.voteForLeader(member: "E3", candidate: "E3", at: 5)
    }
    #expect(!SectionEvent.memberCheckedIn(member: "E1", at: 1).isSupervised)
    #expect(!SectionEvent.leaderElected(member: "E2", votes: 3, at: 4).isSupervised)
    #expect(SectionEvent.stageCompleted(stage: .price, at: 4).isSupervised)
  }

  @Test func eachStagesWorkIsDoneInItsStageAndTheReportAfterTheLast() throws {
    var f = try seated()
    for member in LifecycleFixture.committee {
      f.section = try f.section.checkIn(member: member.id, at: 1).section
    }
    expectRefused(Rules.evaluationStages) {
      try f.section.concludeStage(member: "E1", .qualification, at: 2)
    }
    for member in LifecycleFixture.committee where f.section.evaluation?.leader == nil {
      f.section = try f.section.voteForLeader(member: member.id, candidate: "E1", at: 2).section
    }
    let bidder = f.bidders[1]
    expectRefused(Rules.evaluationStages) {
      try f.section.submitScores(member: "E1", ScoreSheet(), at: 3)
    }
    expectRefused(Rules.evaluationStages) {
      try f.section.flagRejection(member: "E1", bidder: bidder, ground: .notResponsive)
    }
    f.section = try f.section.flagRejection(member: "E1", bidder: bidder, ground: .notQualified)
      .section
    expectRefused(Rules.evaluationStages) {
      try f.section.concludeStage(member: "E1", .preliminary, at: 3)
    }
    f.section = try f.section.concludeStage(member: "E1", .qualification, at: 3).section
    expectRefused(Rules.evaluationStages) {
      try f.section.concludeStage(member: "E1", .qualification, at: 3)
    }
    expectRefused(Rules.evaluationStages) {
      try f.section.flagRejection(member: "E1", bidder: bidder, ground: .noJointBidAgreement)
    }
    for member in LifecycleFixture.committee.dropFirst(2) {
      f.section = try f.section.concludeStage(member: member.id, .qualification, at: 4).section
    }
    let last = try f.section.concludeStage(member: "T", .qualification, at: 5)
    #expect(
      last.events == [
        .stageConcluded(member: "T", stage: .qualification, at: 5),
        .stageCompleted(stage: .qualification, at: 5),
      ])
    f.section = last.section
    #expect(f.section.evaluation?.stage == .preliminary)
    try f.conclude(.preliminary)
    expectRefused(Rules.evaluationStages) {
      try f.section.concludeStage(member: "E1", .detailed, at: 6)
    }
    expectRefused(Rules.evaluationStages) { try f.section.reportEvaluation(at: 7) }
    for member in LifecycleFixture.committee {
      f.section = try f.section.submitScores(member: member.id, ScoreSheet(), at: 8).section
    }
    #expect(f.section.evaluation?.stage == .price)
    expectRefused(Rules.evaluationStages) { try f.section.reportEvaluation(at: 9) }
    try f.conclude(.price)
    #expect(f.section.evaluation?.stagesDone == true)
    #expect(try f.section.reportEvaluation(at: 10).section.evaluation?.reportedAt == 10)
  }

  @Test func onlyTheLeaderGoesBackWithAReasonAndTheRedoneWorkIsKept() throws {
    var f = try LifecycleFixture()
    try f.open()
    try f.seat(at: 1)
    let (qualified, responsive) = (f.bidders[1], f.bidders[2])
    f.section = try f.section.flagRejection(member: "E2", bidder: qualified, ground: .notQualified)
      .section
    try f.conclude(.qualification)
    f.section = try f.section.flagRejection(
      member: "E2", bidder: responsive, ground: .notResponsive
    )
    .section
    try f.conclude(.preliminary)
    let sheet = ScoreSheet(points: [f.bidders[0]: ["技术": 100]])
    for member in LifecycleFixture.committee {
      f.section = try f.section.submitScores(member: member.id, sheet, at: 8).section
    }
    expectRefused(Rules.committeeLeader) {
      try f.section.returnToStage(member: "E2", .preliminary, reason: "漏评", at: 9)
    }
    expectRefused(Rules.evaluationStages) {
      try f.section.returnToStage(member: "E1", .preliminary, reason: "  ", at: 9)
    }
    expectRefused(Rules.evaluationStages) {
      try f.section.returnToStage(member: "E1", .price, reason: "重算", at: 9)
    }
    #expect(throws: DomainError.self) {
      try f.section.returnToStage(member: "E1", .preliminary, reason: "漏评\u{202E}", at: 9)
    }
    let back = try f.section.returnToStage(
      member: "E1", .preliminary, reason: "第3家投标人的授权委托书漏审", at: 9)
    #expect(
      back.events == [
        .stageReturned(from: .price, to: .preliminary, reason: "第3家投标人的授权委托书漏审", at: 9)
      ])
    let state = try #require(back.section.evaluation)
    #expect(state.stage == .preliminary && state.concluded.isEmpty && state.sheets.isEmpty)
    // Qualification's flag stands; the preliminary flag and every sheet are kept with the return.
    #expect(state.rejectionFlags == [qualified: ["E2": .notQualified]])
    let kept = try #require(state.returns.first)
    #expect(kept.from == .price && kept.to == .preliminary)
    #expect(kept.flags == [responsive: ["E2": .notResponsive]])
    #expect(kept.sheets.count == 5 && kept.sheets["E3"] == sheet)
    // The stages are then done again, in order, and the report follows.
    f.section = back.section
    try f.conclude(.preliminary)
    try f.score()
    let reported = try f.section.reportEvaluation(at: 20).section
    #expect(reported.evaluation?.reportedAt == 20)
    // Each member's signature and dissent go into the log (条例53); an outsider cannot sign.
    #expect(
      try reported.signReport(member: "E3", dissent: "价格分口径有误", at: 21).events == [
        .reportSigned(member: "E3", dissent: "价格分口径有误", at: 21)
      ])
    #expect(throws: DomainError.self) { try reported.signReport(member: "Z", dissent: nil, at: 21) }
    #expect(throws: DomainError.self) {
      try f.section.signReport(member: "E3", dissent: nil, at: 21)
    }
  }

  @Test func aDrawnExpertTiedToABidderRecusesAndIsReplacedByDraw() throws {
    var f = try seated()
    f.section = try f.section.checkIn(member: "E1", at: 1).section
    // Checked in, a member has declared no tie; the representative is not drawn.
    expectRefused(Rules.expertRecusal) { try f.section.recuse(member: "E1", at: 2) }
    #expect(throws: DomainError.self) { try f.section.recuse(member: "T", at: 2) }
    let recused = try f.section.recuse(member: "E2", at: 2)
    #expect(recused.events == [.memberRecused(member: "E2", at: 2)])
    #expect(!SectionEvent.memberRecused(member: "E2", at: 2).isSupervised)
    f.section = recused.section
    #expect(f.section.evaluation?.members.count == 4 && f.section.evaluation?.vacancies == 1)
    // Nothing is decided while the seat is empty.
    expectRefused(Rules.committeeComposition) {
      try f.section.voteForLeader(member: "E1", candidate: "E1", at: 3)
    }
    // The replacement: as many as recused, not one who recused, not tied to a bidder.
    expectRefused(Rules.expertRecusal) {
      try f.section.replenishCommittee([CommitteeMember(id: "E2", isExpert: true)], at: 3)
    }
    expectRefused(Rules.expertRecusal) {
      try f.section.replenishCommittee(
        [CommitteeMember(id: "E5", isExpert: true, employers: [f.bidders[0]])], at: 3)
    }
    #expect(throws: DomainError.self) {
      try f.section.replenishCommittee(
        [CommitteeMember(id: "E5", isExpert: true), CommitteeMember(id: "E6", isExpert: true)],
        at: 3)
    }
    let replenished = try f.section.replenishCommittee(
      [CommitteeMember(id: "E5", isExpert: true)], at: 3)
    #expect(replenished.events == [.committeeReplenished(experts: 1, at: 3)])
    f.section = replenished.section
    #expect(f.section.evaluation?.vacancies == 0 && f.section.evaluation?.members.count == 5)
    #expect(throws: DomainError.self) {
      try f.section.replenishCommittee([CommitteeMember(id: "E6", isExpert: true)], at: 4)
    }
    #expect(try f.section.voteForLeader(member: "E1", candidate: "E1", at: 4).events.isEmpty)
  }

  @Test func sheetsHandedInBeforeStagesExistedConcludeTheDetailedReview() throws {
    var f = try LifecycleFixture()
    try f.open()
    try f.seat()
    // As an evaluation logged before the stages: every sheet in, no stage concluded.
    var state = try #require(f.section.evaluation)
    for member in LifecycleFixture.committee { state.sheets[member.id] = ScoreSheet() }
    f.section.evaluation = state
    try f.conclude(.qualification)
    try f.conclude(.preliminary)
    #expect(f.section.evaluation?.stage == .price)
    try f.conclude(.price)
    #expect(try f.section.reportEvaluation(at: 20).section.evaluation?.reportedAt == 20)
  }

  @Test func aStateLoggedBeforeStagesReadsWithNoneBegun() throws {
    let old = Data(
      #"{"members":[{"id":"E1","isExpert":true,"employers":[],"conflicts":[]}],"askingForTime":[],"extended":false,"rejectionFlags":{},"sheets":{},"candidates":[]}"#
        .utf8)
    let state = try JSONDecoder().decode(EvaluationState.self, from: old)
    #expect(state.checkedIn.isEmpty && state.leader == nil && state.stage == nil)
    #expect(!state.stagesDone && state.returns.isEmpty)
  }

  @Test func thePriceScoreFollowsTheFormulaFromTheBenchmark() throws {
    // Mean 40,000,000 yuan less 2% = 39,200,000; 1 point per 1% above, 0.5 below.
    let formula = PriceFormula(discount: 200, deductionAbove: 100, deductionBelow: 50)
    let prices = [
      "A": Money(yuan: 38_000_000), "B": Money(yuan: 40_000_000), "C": Money(yuan: 42_000_000),
    ]
    let working = try #require(formula.working(criterion: "报价", maxPoints: 3_000, prices: prices))
    #expect(working.mean == Money(yuan: 40_000_000) && working.benchmark == Money(yuan: 39_200_000))
    // A: (38.0 − 39.2) / 39.2 = −3.06%: −1.53 points; B: +2.04%: −2.04; C: +7.14%: −7.14.
    #expect(working.rows.map(\.bidder) == ["A", "B", "C"])
    #expect(working.rows.map(\.deviation) == [-306, 204, 714])
    #expect(working.rows.map(\.score) == [2_847, 2_796, 2_286])
    // Far off, a bid scores nothing, never below.
    let far = formula.working(
      criterion: "报价", maxPoints: 3_000, prices: ["A": Money(yuan: 1), "B": Money.maximum])
    #expect(far?.rows.allSatisfy { $0.score == 0 } == true)
    #expect(formula.working(criterion: "报价", maxPoints: 3_000, prices: [:]) == nil)
  }

  @Test func aFormulaCriterionIsComputedForTheReportNotMarked() throws {
    let formula = PriceFormula(discount: 0, deductionAbove: 200, deductionBelow: 100)
    var f = try LifecycleFixture(
      criteria: [
        Criterion(name: "技术", maxPoints: 7_000),
        Criterion(name: "报价", maxPoints: 3_000, priceFormula: formula),
      ])
    try f.open()
    try f.reachDetailedReview()
    #expect(throws: DomainError.self) {
      try f.section.submitScores(
        member: "E1", ScoreSheet(points: [f.bidders[0]: ["报价": 3_000]]), at: 10)
    }
    #expect(f.section.priceFormulaWorking().isEmpty)
    // Equal technical marks: the price decides, by the formula's scores.
    let even = ScoreSheet(
      points: Dictionary(uniqueKeysWithValues: f.bidders.map { ($0, ["技术": 6_000]) }))
    for member in LifecycleFixture.committee {
      f.section = try f.section.submitScores(member: member.id, even, at: 10).section
    }
    // Prices 40, 41, 42, 43 million: mean and benchmark 41.5 million.
    let working = try #require(f.section.priceFormulaWorking().first)
    #expect(working.benchmark == Money(yuan: 41_500_000))
    #expect(working.rows.map(\.bidder) == [f.bidders[1], f.bidders[2], f.bidders[0], f.bidders[3]])
    try f.conclude(.price)
    let report = try f.section.reportEvaluation(at: 20)
    #expect(report.section.evaluation?.candidates == [f.bidders[1], f.bidders[2], f.bidders[0]])
    guard case .comprehensive(let rows) = report.section.reportWorking(creditScores: [:]) else {
      Issue.record("no comprehensive working")
      return
    }
    let first = try #require(rows.first)
    #expect(first.criteria.first { $0.criterion == "报价" }?.mean == working.rows[0].score)
  }

  @Test func aFormulaIsOneCriterionOfComprehensiveScoringWithinBounds() throws {
    let terms = SectionTerms(
      sectionID: "S1", name: "主体工程", estimate: Money(yuan: 1_000_000),
      bidBond: Money(yuan: 20_000), industry: "交通", region: "350100",
      criteria: [Criterion(name: "报价", maxPoints: 3_000, priceFormula: PriceFormula())])
    #expect(throws: Never.self) { try terms.validated() }
    var bad = terms
    bad.criteria.append(Criterion(name: "报价2", maxPoints: 1_000, priceFormula: PriceFormula()))
    #expect(throws: DomainError.self) { try bad.validated() }
    bad = terms
    bad.criteria[0].priceFormula?.discount = 2_001
    #expect(throws: DomainError.self) { try bad.validated() }
    bad = terms
    bad.criteria[0].fromCredit = true
    #expect(throws: DomainError.self) { try bad.validated() }
    bad = terms
    bad.evaluationMethod = .lowestEvaluatedPrice
    #expect(throws: DomainError.self) { try bad.validated() }
  }
}
