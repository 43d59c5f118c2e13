/// A member of the evaluation committee and what recusal must know of them.
public struct CommitteeMember: Codable, Sendable, Equatable {
  public var id: String
  /// An expert drawn from the pool, or the tenderer's representative.
  public var isExpert: Bool
  /// Credit codes of the member's employer and past employers.
  public var employers: [String]
  /// Credit codes of parties the member has declared a conflict with.
  public var conflicts: [String]

  public init(id: String, isExpert: Bool, employers: [String] = [], conflicts: [String] = []) {
    self.id = id
    self.isExpert = isExpert
    self.employers = employers
    self.conflicts = conflicts
  }
}

/// The evaluation in progress.
public struct EvaluationState: Codable, Sendable, Equatable {
  public internal(set) var members: [CommitteeMember]
  public internal(set) var askingForTime: Set<String> = []
  public internal(set) var extended = false
  /// bidder → member → ground.
  public internal(set) var rejectionFlags: [String: [String: RejectionGround]] = [:]
  public internal(set) var sheets: [String: ScoreSheet] = [:]
  public internal(set) var reportedAt: Int64?
  public internal(set) var candidates: [String] = []
  /// Candidates who stood down, and why (条例55).
  public internal(set) var excused: [String: ExcuseGround] = [:]
  /// member → when it checked in (条例46).
  public internal(set) var checkedIn: [String: Int64] = [:]
  /// member → the member it votes to lead the committee, until one is elected.
  public internal(set) var leaderVotes: [String: String] = [:]
  public internal(set) var leader: String?
  /// The stage under way: nil before the leader is elected and after the price stage.
  public internal(set) var stage: EvaluationStage?
  /// Members done with the stage under way.
  public internal(set) var concluded: Set<String> = []
  public internal(set) var returns: [StageReturn] = []
  /// Experts who recused after the draw (条例46), and how many of their seats wait.
  public internal(set) var recusedMembers: [String] = []
  public internal(set) var vacancies = 0

  // States logged before candidates could stand down have no `excused`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    members = try container.decode([CommitteeMember].self, forKey: .members)
    askingForTime = try container.decode(Set<String>.self, forKey: .askingForTime)
    extended = try container.decode(Bool.self, forKey: .extended)
    rejectionFlags = try container.decode(
      [String: [String: RejectionGround]].self, forKey: .rejectionFlags)
    sheets = try container.decode([String: ScoreSheet].self, forKey: .sheets)
    reportedAt = try container.decodeIfPresent(Int64.self, forKey: .reportedAt)
    candidates = try container.decode([String].self, forKey: .candidates)
    excused = try container.decodeIfPresent([String: ExcuseGround].self, forKey: .excused) ?? [:]
    // States logged before check-in and stages have none of them: their members check in.
    checkedIn = try container.decodeIfPresent([String: Int64].self, forKey: .checkedIn) ?? [:]
    leaderVotes =
      try container.decodeIfPresent([String: String].self, forKey: .leaderVotes) ?? [:]
    leader = try container.decodeIfPresent(String.self, forKey: .leader)
    stage = try container.decodeIfPresent(EvaluationStage.self, forKey: .stage)
    concluded = try container.decodeIfPresent(Set<String>.self, forKey: .concluded) ?? []
    returns = try container.decodeIfPresent([StageReturn].self, forKey: .returns) ?? []
    recusedMembers =
      try container.decodeIfPresent([String].self, forKey: .recusedMembers) ?? []
    vacancies = try container.decodeIfPresent(Int.self, forKey: .vacancies) ?? 0
  }

  init(members: [CommitteeMember]) { self.members = members }

  /// Every stage is done: the report may be made.
  public var stagesDone: Bool { leader != nil && stage == nil }

  /// Bids a majority of the committee flagged for rejection.
  public var rejected: Set<String> {
    Set(rejectionFlags.filter { $0.value.count * 2 > members.count }.keys)
  }
}

/// Why a candidate stands down before the award (条例55): it gives up, it cannot perform, or it
/// failed to provide the performance bond the documents require.
public enum ExcuseGround: String, Codable, Sendable, CaseIterable {
  case gaveUp
  case cannotPerform
  case noPerformanceBond

  /// Only the candidate can give up or declare it cannot perform; a failed bond is the
  /// tenderer's record of a fact.
  public var isDeclaredByCandidate: Bool { self != .noPerformanceBond }

  public var chinese: String {
    switch self {
    case .gaveUp: "放弃中标"
    case .cannotPerform: "因不可抗力不能履行合同"
    case .noPerformanceBond: "未按照招标文件要求提交履约保证金"
    }
  }
}

/// The arithmetic behind a committee's report, by its evaluation method.
public enum ReportWorking: Sendable, Equatable {
  case comprehensive([Scoring.ComprehensiveWorking])
  case lowestEvaluatedPrice([Scoring.PriceWorking])
}

/// From award to archive.
public struct AwardState: Codable, Sendable, Equatable {
  public let bidder: String
  public let awardedAt: Int64
  public let contractDue: LegalDate
  public let reportDue: LegalDate
  public internal(set) var contractSignedAt: Int64?
  public internal(set) var reportFiledAt: Int64?
  public internal(set) var missed: Set<String> = []
}

/// Evaluation, publicity, award, contract, report and archive.
extension Section {
  /// Seats the committee: composition (法37) and recusal of anyone tied to a bidder (条例46).
  public func formCommittee(_ members: [CommitteeMember], at now: Int64) throws(DomainError)
    -> Transition
  {
    try checkCommitteeCanForm(members)
    let experts = members.count { $0.isExpert }
    var next = self
    next.evaluation = EvaluationState(members: members)
    return Transition(
      section: next, events: [.committeeFormed(members: members.count, experts: experts, at: now)])
  }

  /// Whether `members` may be seated now: the phase, no suspension, one seat per person, the
  /// composition (法37) and recusal (条例46). Checked before an expert draw is asked of the hub,
  /// so nothing leaves the platform for a committee that could not be seated.
  public func checkCommitteeCanForm(_ members: [CommitteeMember]) throws(DomainError) {
    guard phase == .evaluation, evaluation == nil else {
      throw .wrongPhase(action: "form the committee", phase: phase)
    }
    if let order = suspendingOrder {
      throw .rule(
        RuleViolation(
          Rules.suspendedByOrder, "supervision order \(order) suspends it",
          chinese: "监督指令\(order)已责令本标段暂停"))
    }
    var seated: Set<String> = []
    for member in members where !seated.insert(member.id).inserted {
      throw .rule(
        RuleViolation(
          Rules.committeeComposition, "\(member.id) holds two seats; each member holds one",
          chinese: "\(member.id)重复占用席位；每名成员只能占一个席位"))
    }
    try checkLawful(members)
  }

  /// The composition of 法37 and, for every member, no tie to a bidder (条例46).
  func checkLawful(_ members: [CommitteeMember]) throws(DomainError) {
    do {
      try EvaluationRules.checkCommittee(
        members: members.count, experts: members.count { $0.isExpert })
    } catch {
      throw .rule(error)
    }
    let bidders = Set(bids.keys)
    if let tied = members.first(where: { !bidders.isDisjoint(with: $0.employers + $0.conflicts) }) {
      throw .rule(
        RuleViolation(
          Rules.expertRecusal, "member \(tied.id) is tied to a bidder and must recuse",
          chinese: "成员\(tied.id)与投标人存在利害关系，应当回避"))
    }
  }

  /// A member says the time is too short; past a third of the committee it is extended (条例48).
  public func askForMoreTime(member: String, at now: Int64) throws(DomainError) -> Transition {
    var state = try openEvaluation(member: member)
    state.askingForTime.insert(member)
    var events: [SectionEvent] = []
    if !state.extended,
      EvaluationRules.mustExtend(asking: state.askingForTime.count, members: state.members.count)
    {
      state.extended = true
      events.append(
        .evaluationExtended(
          asking: state.askingForTime.count, members: state.members.count, at: now))
    }
    var next = self
    next.evaluation = state
    return Transition(section: next, events: events)
  }

  /// A member flags a bid for rejection on a ground of 条例51.
  public func flagRejection(
    member: String, bidder: String, ground: RejectionGround
  ) throws(DomainError) -> Transition {
    var state = try reviewing(member: member, in: ground.stage)
    guard openingResults[bidder]?.items != nil else {
      throw .notFound("an opened bid of \(bidder)", chinese: "\(bidder)已开启的投标文件")
    }
    state.rejectionFlags[bidder, default: [:]][member] = ground
    var next = self
    next.evaluation = state
    return Transition(
      section: next, events: [.rejectionFlagged(member: member, bidder: bidder, ground: ground)])
  }

  /// A member hands in the marks made alone; once in, they do not change.
  public func submitScores(member: String, _ sheet: ScoreSheet, at now: Int64) throws(DomainError)
    -> Transition
  {
    guard evaluation?.sheets[member] == nil else {
      throw .wrongPhase(action: "score twice", phase: phase)
    }
    var state = try reviewing(member: member, in: .detailed)
    try checkMarks(sheet)
    state.sheets[member] = sheet
    let concluded = Self.conclude(&state, member: member, at: now)
    var next = self
    next.evaluation = state
    return Transition(
      section: next,
      events: [.scoresSubmitted(member: member, at: now, sheet: sheet)] + concluded)
  }

  /// Whether `member` may keep `draft` of its sheet now: the evaluation is open, it sits on the
  /// committee and has not handed its sheet in; the marks it holds are bounded as a sheet's are
  /// (a draft may leave marks out). A draft is the member's alone and changes no state.
  public func checkScoreDraft(member: String, _ draft: ScoreSheet) throws(DomainError) {
    let state = try checkedInMember(member)
    guard state.sheets[member] == nil else {
      throw .wrongPhase(action: "keep a draft of a sheet already handed in", phase: phase)
    }
    try checkMarks(draft)
  }

  /// Whether `member` may sign the committee's report now (条例53): the report is made, the
  /// award not yet, and it sits on the committee. Signing once is the caller's record to keep.
  public func checkCanSignReport(member: String) throws(DomainError) {
    guard [.evaluation, .publicity].contains(phase), let state = evaluation,
      state.reportedAt != nil
    else {
      throw .wrongPhase(action: "sign the evaluation report", phase: phase)
    }
    guard state.members.contains(where: { $0.id == member }) else {
      throw .notFound("committee member \(member)", chinese: "评标委员会成员\(member)")
    }
  }

  /// A member signs the report (条例53), stating its dissent if it disagrees; logged, so the
  /// archive keeps who signed and what each dissent said. Once each is the caller's to keep.
  public func signReport(member: String, dissent: String?, at now: Int64) throws(DomainError)
    -> Transition
  {
    try checkCanSignReport(member: member)
    return Transition(
      section: self, events: [.reportSigned(member: member, dissent: dissent, at: now)])
  }

  /// The committee's report: every member has scored; at most 3 ranked candidates (条例53).
  /// A criterion marked from credit (`Criterion.fromCredit`) gives each bidder its share of the
  /// points by its credit score at the hub (`creditScores`; 100 for a party without current
  /// records), the same on every sheet; the scores used are logged with the report. With five
  /// or more sheets each criterion's highest and lowest marks are left out (`reportWorking`
  /// shows the arithmetic).
  public func reportEvaluation(
    candidates count: Int = 3, creditScores: [String: Int] = [:],
    at now: Int64
  ) throws(DomainError) -> Transition {
    guard phase == .evaluation, var state = evaluation, state.reportedAt == nil else {
      throw .wrongPhase(action: "report the evaluation", phase: phase)
    }
    guard state.stagesDone else {
      let under = state.stage.map { "the \($0.rawValue) stage is under way" } ?? "no leader yet"
      let underChinese = state.stage.map { "\($0.chinese)尚未完成" } ?? "尚未推举负责人"
      throw .rule(
        RuleViolation(
          Rules.evaluationStages, "the report follows every stage: \(under)",
          chinese: "各评审阶段完成后方可提交评标报告：\(underChinese)"))
    }
    guard state.sheets.count == state.members.count else {
      throw .notFound(
        "score sheets of all \(state.members.count) members",
        chinese: "全部\(state.members.count)名评标委员会成员的评分表")
    }
    // 1 to 3: the report names ranked candidates; a section fails only when no bid is left.
    guard (1...3).contains(count) else {
      throw .rule(
        RuleViolation(
          Rules.maximumThreeCandidates, "\(count) candidates asked for; the report names 1 to 3",
          chinese: "要求推荐中标候选人\(count)个；评标报告应当推荐1至3个"))
    }
    let prices = Self.rankedPrices(openingResults, state)
    let sheets = reportedSheets(state, prices: prices, creditScores: creditScores)
    let creditCriteria =
      terms.evaluationMethod == .comprehensiveScoring
      ? terms.criteria.filter(\.fromCredit) : []
    let scores = Dictionary(
      uniqueKeysWithValues: prices.keys.map { ($0, creditScores[$0] ?? 100) })
    let ranking =
      switch terms.evaluationMethod {
      case .comprehensiveScoring:
        Scoring.comprehensive(
          sheets: sheets, bidders: Array(prices.keys), prices: prices, dropExtremes: true
        ).map(\.bidder)
      case .lowestEvaluatedPrice:
        Scoring.lowestEvaluatedPrice(sheets: sheets, prices: prices).map(\.bidder)
      }
    let candidates = Array(ranking.prefix(count))
    state.reportedAt = now
    state.candidates = candidates
    var next = self
    next.evaluation = state
    let reported = SectionEvent.evaluationReported(candidates: candidates, at: now)
    let credit: [SectionEvent] = creditCriteria.isEmpty ? [] : [.creditScored(scores: scores)]
    if candidates.isEmpty {
      next.phase = .failed
      return Transition(
        section: next,
        events: credit + [reported, .sectionFailed(at: now, rule: Rules.allBidsRejected.code)])
    }
    return Transition(section: next, events: credit + [reported])
  }

  /// The prices a report ranks: those the opening read, less the bids the committee rejected.
  static func rankedPrices(_ results: [String: OpeningResult], _ state: EvaluationState)
    -> [String: Money]
  {
    results.compactMapValues { $0.items?.price }.filter { !state.rejected.contains($0.key) }
  }

  /// The members' sheets as the report counts them: a criterion marked from credit
  /// (`Criterion.fromCredit`) gives each ranked bid its share of the points by its credit score
  /// (100 for a party without current records), the same on every sheet.
  func reportedSheets(
    _ state: EvaluationState, prices: [String: Money], creditScores: [String: Int]
  ) -> [ScoreSheet] {
    var sheets = state.members.compactMap { state.sheets[$0.id] }
    guard terms.evaluationMethod == .comprehensiveScoring else { return sheets }
    for working in priceFormulaWorking(prices: prices) {
      for index in sheets.indices {
        for row in working.rows {
          sheets[index].points[row.bidder, default: [:]][working.criterion] = row.score
        }
      }
    }
    for criterion in terms.criteria where criterion.fromCredit {
      for index in sheets.indices {
        for bidder in prices.keys {
          sheets[index].points[bidder, default: [:]][criterion.name] = CreditScore.marks(
            score: creditScores[bidder] ?? 100, maxPoints: criterion.maxPoints)
        }
      }
    }
    return sheets
  }

  /// The price criterion's scores by formula over the bids not rejected, for the members to
  /// check in the price stage and after; empty before it or without such a criterion.
  public func priceFormulaWorking() -> [PriceFormula.Working] {
    guard let state = evaluation, state.stagesDone || state.stage == .price else { return [] }
    return priceFormulaWorking(prices: Self.rankedPrices(openingResults, state))
  }

  func priceFormulaWorking(prices: [String: Money]) -> [PriceFormula.Working] {
    guard terms.evaluationMethod == .comprehensiveScoring else { return [] }
    return terms.criteria.compactMap { criterion in
      criterion.priceFormula?.working(
        criterion: criterion.name, maxPoints: criterion.maxPoints, prices: prices)
    }
  }

  /// The arithmetic of the committee's report, once made, so each member (and afterwards the
  /// tenderer) can check it: with the credit scores the report logged, the same sheets and
  /// ranking the report used. Nil before the report.
  public func reportWorking(creditScores: [String: Int]) -> ReportWorking? {
    guard let state = evaluation, state.reportedAt != nil else { return nil }
    let prices = Self.rankedPrices(openingResults, state)
    let sheets = reportedSheets(state, prices: prices, creditScores: creditScores)
    switch terms.evaluationMethod {
    case .comprehensiveScoring:
      return .comprehensive(
        Scoring.comprehensiveWorking(
          sheets: sheets, bidders: Array(prices.keys), prices: prices, dropExtremes: true))
    case .lowestEvaluatedPrice:
      return .lowestEvaluatedPrice(
        Scoring.lowestEvaluatedPriceWorking(sheets: sheets, prices: prices))
    }
  }

  /// Publicises the candidates within 3 days of the report, for at least 3 days (条例54).
  /// It starts when it is published (`now`), not on a day the tenderer names.
  public func startPublicity(end: Int64, at now: Int64) throws(DomainError) -> Transition {
    let start = now
    guard phase == .evaluation, let reportedAt = evaluation?.reportedAt else {
      throw .wrongPhase(action: "publicise the candidates", phase: phase)
    }
    do {
      try TimeLimits.checkPublicity(reportReceived: reportedAt, start: start, end: end)
    } catch {
      throw .rule(error)
    }
    var next = self
    next.phase = .publicity
    next.schedule?.publicityEndsAt = end
    return Transition(section: next, events: [.publicityStarted(start: start, end: end)])
  }

  /// An objection to the candidates during publicity holds the award until answered (条例54).
  public func objectToCandidates(
    id: String, at now: Int64, calendar: WorkingCalendar
  ) throws(DomainError) -> Transition {
    guard phase == .publicity, let end = schedule?.publicityEndsAt, now < end else {
      throw .wrongPhase(action: "object to the candidates", phase: phase)
    }
    let due = TimeLimits.objectionAnswerDue(receivedAt: now, calendar: calendar)
    var next = self
    next.pendingObjections.append(PendingObjection(id: id, raisedAt: now, answerDue: due))
    return Transition(
      section: next,
      events: [.objectionRaised(id: id, at: now, answerDue: due)]
        + Self.provisional(due, from: now, rule: Rules.objectionAnswer3Days, calendar: calendar))
  }

  /// A candidate stands down during publicity, recorded as a fact (条例55): the award may then go
  /// to the next-ranked candidate. Who may record which ground is the caller's check.
  public func excuseCandidate(
    _ bidder: String, ground: ExcuseGround, at now: Int64
  ) throws(DomainError) -> Transition {
    guard phase == .publicity, var state = evaluation else {
      throw .wrongPhase(action: "record a candidate standing down", phase: phase)
    }
    guard state.candidates.contains(bidder) else {
      throw .notFound("candidate \(bidder)", chinese: "中标候选人\(bidder)")
    }
    guard state.excused[bidder] == nil else {
      throw .invalid(
        "candidate \(bidder) has already stood down", chinese: "中标候选人\(bidder)已记录退出")
    }
    state.excused[bidder] = ground
    var next = self
    next.evaluation = state
    return Transition(
      section: next, events: [.candidateExcused(bidder: bidder, ground: ground, at: now)])
  }

  /// Awards the section after publicity (条例55 for state-funded projects) and starts the clocks
  /// of the contract (法46) and the written report (法47).
  /// The higher-ranked candidates it passes over must have stood down (`excuseCandidate`).
  public func award(
    to bidder: String, at now: Int64, calendar: WorkingCalendar
  ) throws(DomainError) -> Transition {
    guard phase == .publicity, let end = schedule?.publicityEndsAt,
      let candidates = evaluation?.candidates
    else { throw .wrongPhase(action: "award", phase: phase) }
    guard now >= end else {
      throw .rule(
        RuleViolation(
          Rules.publicityMin3Days,
          "the candidates are publicised until \(Notice.legalTime(end)); the award follows it",
          chinese: "中标候选人公示至\(Notice.legalTime(end))，公示期满后方可确定中标人"))
    }
    if let pending = pendingObjections.first {
      throw .rule(
        RuleViolation(
          Rules.objectionAnswer3Days, "objection \(pending.id) awaits its answer",
          chinese: "异议\(pending.id)尚未答复"))
    }
    guard let index = candidates.firstIndex(of: bidder) else {
      throw .notFound("candidate \(bidder)", chinese: "中标候选人\(bidder)")
    }
    guard evaluation?.excused[bidder] == nil else {
      throw .invalid(
        "candidate \(bidder) has stood down and cannot be awarded",
        chinese: "中标候选人\(bidder)已退出，不能确定为中标人")
    }
    let excused = evaluation?.excused ?? [:]
    let excusedHigherRanks = Set(
      candidates.enumerated().filter { excused[$0.element] != nil }.map { $0.offset + 1 })
    do {
      try EvaluationRules.checkAward(
        rank: index + 1, stateFunded: terms.stateFunded, excusedHigherRanks: excusedHigherRanks)
    } catch {
      throw .rule(error)
    }
    let contractDue = TimeLimits.contractDue(awardNoticeAt: now, calendar: calendar)
    let reportDue = TimeLimits.reportDue(awardAt: now, calendar: calendar)
    var next = self
    next.phase = .awarded
    next.award = AwardState(
      bidder: bidder, awardedAt: now, contractDue: contractDue, reportDue: reportDue)
    return Transition(
      section: next,
      events: [
        .awarded(
          bidder: bidder, rank: index + 1, at: now, contractDue: contractDue, reportDue: reportDue),
        .committeeDisclosed(
          members: evaluation?.members ?? [], bidders: openingResults.keys.sorted()),
      ]
        + Self.provisional(
          contractDue, from: now, rule: Rules.contractWithin30Days, calendar: calendar)
        + Self.provisional(reportDue, from: now, rule: Rules.reportWithin15Days, calendar: calendar)
    )
  }

  /// The contract is signed; a performance bond above 10% is refused (条例58), a contract past
  /// its 30 days is recorded as missed (法46), and the bid bonds fall due for refund (条例57).
  public func signContract(
    at now: Int64, price: Money, performanceBond: Money, calendar: WorkingCalendar
  ) throws(DomainError) -> Transition {
    guard phase == .awarded, var state = award, state.contractSignedAt == nil else {
      throw .wrongPhase(action: "sign the contract", phase: phase)
    }
    do {
      try BondRules.checkPerformanceBond(performanceBond, contractPrice: price)
    } catch {
      throw .rule(error)
    }
    var events = overdue(&state, at: now, including: Rules.contractWithin30Days)
    state.contractSignedAt = now
    let refund = TimeLimits.bondRefundDue(after: now, calendar: calendar)
    events.append(.contractSigned(at: now, price: price, bondRefundDue: refund))
    events += Self.provisional(refund, from: now, rule: Rules.bondRefund5Days, calendar: calendar)
    var next = self
    next.phase = state.reportFiledAt == nil ? .contracted : .reported
    next.award = state
    next.bonds = bondsFallDue(on: refund)
    return Transition(section: next, events: events)
  }

  /// The written report is filed with the supervisor (法47); late filing is recorded as missed.
  public func fileReport(at now: Int64) throws(DomainError) -> Transition {
    guard phase == .awarded || phase == .contracted, var state = award, state.reportFiledAt == nil
    else {
      throw .wrongPhase(action: "file the written report", phase: phase)
    }
    var events = overdue(&state, at: now, including: Rules.reportWithin15Days)
    state.reportFiledAt = now
    events.append(.reportFiled(at: now))
    var next = self
    next.award = state
    if phase == .contracted { next.phase = .reported }
    return Transition(section: next, events: events)
  }

  /// The scheduler's daily look: records each statutory deadline passed without its step.
  public func checkDeadlines(at now: Int64) -> Transition {
    guard var state = award else { return Transition(section: self, events: []) }
    let events = overdue(&state, at: now, including: nil)
    var next = self
    next.award = state
    return Transition(section: next, events: events)
  }

  /// Closes the file once contract and report are in.
  public func archive(at now: Int64) throws(DomainError) -> Transition {
    guard phase == .reported else { throw .wrongPhase(action: "archive", phase: phase) }
    var next = self
    next.phase = .archived
    return Transition(section: next, events: [.archived(at: now)])
  }

  /// Marks only for opened bids, only on the section's criteria and within their points.
  private func checkMarks(_ sheet: ScoreSheet) throws(DomainError) {
    let opened = Set(openingResults.filter { $0.value.items != nil }.keys)
    for bidder in Set(sheet.points.keys).union(sheet.priceAdjustments.keys)
    where !opened.contains(bidder) {
      throw .invalid(
        "\(bidder) has no opened bid to mark", chinese: "\(bidder)没有已开启的投标文件，无从评分")
    }
    let caps = Dictionary(uniqueKeysWithValues: terms.criteria.map { ($0.name, $0.maxPoints) })
    let fromCredit = Set(terms.criteria.filter(\.fromCredit).map(\.name))
    let byFormula = Set(terms.criteria.filter { $0.priceFormula != nil }.map(\.name))
    for (bidder, marks) in sheet.points {
      for (criterion, points) in marks {
        guard !fromCredit.contains(criterion) else {
          throw .invalid(
            "\(criterion) is marked from the bidders' credit scores, not by experts",
            chinese: "“\(criterion)”按投标人信用评分计分，不由评标专家打分")
        }
        guard !byFormula.contains(criterion) else {
          throw .invalid(
            "\(criterion) is scored from the prices by the documents' formula, not by experts",
            chinese: "“\(criterion)”按招标文件规定的价格公式计分，不由评标专家打分")
        }
        guard points >= 0 else {
          throw .invalid("a mark cannot be negative", chinese: "评分不得为负数")
        }
        guard !caps.isEmpty else {
          // Without criteria any criterion may be marked, but within the points a criterion has.
          guard points <= Criterion.maxPointsAllowed else {
            throw .invalid(
              "a mark is at most \(Criterion.maxPointsAllowed) hundredths of a point",
              chinese: "每项评分不得超过\(Criterion.maxPointsAllowed)（单位：0.01分）")
          }
          continue
        }
        guard let cap = caps[criterion] else {
          throw .invalid(
            "\(criterion) is not a criterion of this section", chinese: "“\(criterion)”不是本标段的评分因素")
        }
        guard points <= cap else {
          throw .invalid(
            "\(bidder) gets \(points) on \(criterion), whose most is \(cap)",
            chinese: "\(bidder)的“\(criterion)”得分\(points)超过该项满分\(cap)（单位：0.01分）")
        }
      }
    }
  }

  func openEvaluation(member: String) throws(DomainError) -> EvaluationState {
    guard phase == .evaluation, let state = evaluation, state.reportedAt == nil else {
      throw .wrongPhase(action: "evaluate", phase: phase)
    }
    guard state.members.contains(where: { $0.id == member }) else {
      throw .notFound("committee member \(member)", chinese: "评标委员会成员\(member)")
    }
    return state
  }

  /// Deadline-missed events not yet recorded; `including` is the step being done now.
  private func overdue(_ state: inout AwardState, at now: Int64, including current: Rule?)
    -> [SectionEvent]
  {
    var events: [SectionEvent] = []
    let checks: [(Rule, LegalDate, Bool)] = [
      (Rules.contractWithin30Days, state.contractDue, state.contractSignedAt == nil),
      (Rules.reportWithin15Days, state.reportDue, state.reportFiledAt == nil),
    ]
    for (rule, due, pending) in checks
    where pending && TimeLimits.isOverdue(due, now: now) && !state.missed.contains(rule.code)
      && (current == nil || current == rule)
    {
      state.missed.insert(rule.code)
      events.append(.deadlineMissed(rule: rule.code, due: due, at: now))
    }
    return events
  }
}
