/// The stages a committee's review runs through, in order (评标暂行规定19-30): whether each
/// bidder is qualified, whether each bid is complete and responsive, the detailed marks, and the
/// price. A stage is done when every member has concluded it.
public enum EvaluationStage: String, Codable, Sendable, CaseIterable, Comparable {
  case qualification
  case preliminary
  case detailed
  case price

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }

  private var order: Int {
    switch self {
    case .qualification: 0
    case .preliminary: 1
    case .detailed: 2
    case .price: 3
    }
  }

  public var chinese: String {
    switch self {
    case .qualification: "资格评审"
    case .preliminary: "初步评审"
    case .detailed: "详细评审"
    case .price: "价格评审"
    }
  }

  /// The stage after this one; nil after the price.
  public var next: EvaluationStage? {
    switch self {
    case .qualification: .preliminary
    case .preliminary: .detailed
    case .detailed: .price
    case .price: nil
    }
  }
}

extension RejectionGround {
  /// The stage whose review finds this ground, and the only one in which it may be raised:
  /// qualification for the bidder's standing, the price for its price, the preliminary review
  /// for the rest (signature, joint bid, one bid each, response, collusion).
  public var stage: EvaluationStage {
    switch self {
    case .notQualified, .noJointBidAgreement: .qualification
    case .priceBelowCostOrAboveCeiling: .price
    case .notSigned, .multipleBids, .notResponsive, .collusionFraudOrBribery: .preliminary
    }
  }
}

/// A return of the committee to an earlier stage: who asked (the leader), why, and the work of
/// the stages redone, kept as it was (the log keeps every sheet too).
public struct StageReturn: Codable, Sendable, Equatable {
  /// The stage under way when the committee went back; nil once every stage was done.
  public let from: EvaluationStage?
  public let to: EvaluationStage
  public let reason: String
  public let at: Int64
  public let sheets: [String: ScoreSheet]
  /// bidder → member → ground, the flags raised in the stages redone.
  public let flags: [String: [String: RejectionGround]]
}

/// Check-in, the leader's election, the stages and going back.
extension Section {
  /// The member checks in to the committee, declaring by doing so that it has no tie to any of
  /// the opened bidders that calls for recusal (条例46); it may do nothing else before.
  public func checkIn(member: String, at now: Int64) throws(DomainError) -> Transition {
    var state = try openEvaluation(member: member)
    guard state.checkedIn[member] == nil else {
      throw .invalid("\(member) has checked in already", chinese: "\(member)已签到")
    }
    state.checkedIn[member] = now
    var next = self
    next.evaluation = state
    return Transition(section: next, events: [.memberCheckedIn(member: member, at: now)])
  }

  /// A drawn expert with a tie to a bidder leaves the committee before checking in (条例46:
  /// whoever has entered it is replaced); its seat waits for an expert drawn in its place.
  public func recuse(member: String, at now: Int64) throws(DomainError) -> Transition {
    var state = try openEvaluation(member: member)
    guard state.members.first(where: { $0.id == member })?.isExpert == true else {
      throw .invalid(
        "the tenderer's representative is not drawn and not replaced by a draw",
        chinese: "招标人代表不经抽取，也不能以抽取方式更换")
    }
    guard state.checkedIn[member] == nil else {
      throw .rule(
        RuleViolation(
          Rules.expertRecusal,
          "\(member) checked in declaring no tie; a tie found since is for the supervisor",
          chinese: "\(member)已签到并声明无利害关系；此后发现的应当回避情形，请向行政监督部门反映"))
    }
    state.members.removeAll { $0.id == member }
    state.leaderVotes[member] = nil
    state.recusedMembers.append(member)
    state.vacancies += 1
    var next = self
    next.evaluation = state
    return Transition(section: next, events: [.memberRecused(member: member, at: now)])
  }

  /// Seats the experts drawn to the recused members' seats: as many as there are, none on the
  /// committee already or recused from it, none tied to a bidder, the committee lawful (法37).
  public func replenishCommittee(
    _ experts: [CommitteeMember], at now: Int64
  ) throws(DomainError) -> Transition {
    guard phase == .evaluation, var state = evaluation, state.reportedAt == nil,
      state.vacancies > 0
    else {
      throw .wrongPhase(action: "replace recused members", phase: phase)
    }
    guard experts.count == state.vacancies, experts.allSatisfy(\.isExpert) else {
      throw .invalid(
        "\(state.vacancies) experts are to be drawn, \(experts.count) came",
        chinese: "应补充抽取专家\(state.vacancies)名，实际\(experts.count)名")
    }
    let seated = Set(state.members.map(\.id) + state.recusedMembers)
    if let again = experts.first(where: { seated.contains($0.id) }) {
      throw .rule(
        RuleViolation(
          Rules.expertRecusal, "\(again.id) sits on the committee or recused from it",
          chinese: "\(again.id)已是评标委员会成员或已回避"))
    }
    let members = state.members + experts
    try checkLawful(members)
    state.members = members
    state.vacancies = 0
    var next = self
    next.evaluation = state
    return Transition(
      section: next, events: [.committeeReplenished(experts: experts.count, at: now)])
  }

  /// A checked-in member votes for the committee's leader (评标暂行规定9); a member with the
  /// votes of more than half the committee is elected and the first stage begins. A member may
  /// change its vote until then.
  public func voteForLeader(member: String, candidate: String, at now: Int64) throws(DomainError)
    -> Transition
  {
    try Self.checkComplete(try openEvaluation(member: member))
    var state = try checkedInMember(member)
    guard state.leader == nil else {
      throw .rule(
        RuleViolation(
          Rules.committeeLeader, "the committee has elected its leader already",
          chinese: "评标委员会已推举负责人"))
    }
    guard state.members.contains(where: { $0.id == candidate }) else {
      throw .rule(
        RuleViolation(
          Rules.committeeLeader, "\(candidate) is not a member of the committee",
          chinese: "\(candidate)不是评标委员会成员，不能被推举为负责人"))
    }
    guard state.checkedIn[candidate] != nil else {
      throw .rule(
        RuleViolation(
          Rules.committeeLeader, "\(candidate) has not checked in; a leader is one who is present",
          chinese: "\(candidate)尚未签到，不能被推举为负责人"))
    }
    state.leaderVotes[member] = candidate
    let votes = state.leaderVotes.values.count { $0 == candidate }
    var events: [SectionEvent] = []
    if votes * 2 > state.members.count {
      state.leader = candidate
      state.stage = EvaluationStage.allCases.first
      events.append(.leaderElected(member: candidate, votes: votes, at: now))
    }
    var next = self
    next.evaluation = state
    return Transition(section: next, events: events)
  }

  /// The member has finished its review of `stage`, the stage under way; when every member has,
  /// the next stage begins. The detailed stage is concluded by handing in the score sheet.
  public func concludeStage(member: String, _ stage: EvaluationStage, at now: Int64)
    throws(DomainError) -> Transition
  {
    var state = try reviewing(member: member, in: stage)
    guard stage != .detailed else {
      throw .rule(
        RuleViolation(
          Rules.evaluationStages, "the detailed review is concluded by handing in the score sheet",
          chinese: "详细评审以提交评分表完成"))
    }
    let events = Self.conclude(&state, member: member, at: now)
    var next = self
    next.evaluation = state
    return Transition(section: next, events: events)
  }

  /// The leader takes the committee back to `stage`, before the report, saying why; the flags
  /// and sheets of the stages redone are kept with the return and those stages start afresh.
  public func returnToStage(
    member: String, _ stage: EvaluationStage, reason: String, at now: Int64
  ) throws(DomainError) -> Transition {
    var state = try checkedInMember(member)
    guard let leader = state.leader else {
      throw .rule(
        RuleViolation(
          Rules.committeeLeader, "the committee has no leader yet", chinese: "评标委员会尚未推举负责人"))
    }
    guard member == leader else {
      throw .rule(
        RuleViolation(
          Rules.committeeLeader, "only the committee's leader takes it back to a stage",
          chinese: "只有评标委员会负责人可以退回评审阶段"))
    }
    if let current = state.stage, stage >= current {
      throw .rule(
        RuleViolation(
          Rules.evaluationStages,
          "the committee is in the \(current.rawValue) stage; it can go back only to an earlier one",
          chinese: "当前为\(current.chinese)阶段，只能退回此前的阶段"))
    }
    guard !reason.allSatisfy(\.isWhitespace) else {
      throw .rule(
        RuleViolation(
          Rules.evaluationStages, "going back to a stage needs a reason",
          chinese: "退回评审阶段应当说明理由"))
    }
    let reason = try TextRules.checked(
      reason, field: "the reason", chineseField: "退回理由", maxLength: TextRules.maxTextLength,
      multiline: true)
    let redone = state.rejectionFlags.compactMapValues { byMember in
      let kept = byMember.filter { $0.value.stage >= stage }
      return kept.isEmpty ? nil : kept
    }
    let sheets = stage <= .detailed ? state.sheets : [:]
    state.returns.append(
      StageReturn(
        from: state.stage, to: stage, reason: reason, at: now, sheets: sheets, flags: redone))
    state.rejectionFlags = state.rejectionFlags.compactMapValues { byMember in
      let kept = byMember.filter { $0.value.stage < stage }
      return kept.isEmpty ? nil : kept
    }
    if stage <= .detailed { state.sheets = [:] }
    let from = state.stage
    state.stage = stage
    state.concluded = []
    var next = self
    next.evaluation = state
    return Transition(
      section: next,
      events: [.stageReturned(from: from, to: stage, reason: reason, at: now)])
  }

  /// Records `member` as done with the stage under way and, once all are, moves on.
  static func conclude(_ state: inout EvaluationState, member: String, at now: Int64)
    -> [SectionEvent]
  {
    guard let stage = state.stage else { return [] }
    state.concluded.insert(member)
    var events: [SectionEvent] = [.stageConcluded(member: member, stage: stage, at: now)]
    while let under = state.stage, state.members.allSatisfy({ state.concluded.contains($0.id) }) {
      events.append(.stageCompleted(stage: under, at: now))
      state.stage = under.next
      // A sheet already in concludes the detailed review: an evaluation logged before the
      // stages existed, whose members handed in their sheets, goes on rather than sticking.
      state.concluded = state.stage == .detailed ? Set(state.sheets.keys) : []
    }
    return events
  }

  /// No seat of a recused member waits for its replacement.
  static func checkComplete(_ state: EvaluationState) throws(DomainError) {
    guard state.vacancies == 0 else {
      throw .rule(
        RuleViolation(
          Rules.committeeComposition,
          "\(state.vacancies) recused members await their replacements; the committee waits",
          chinese: "有\(state.vacancies)名回避的成员尚未补充抽取，评标委员会暂不能评审"))
    }
  }

  /// The state, if `member` sits on the committee, the evaluation is open and it checked in.
  func checkedInMember(_ member: String) throws(DomainError) -> EvaluationState {
    let state = try openEvaluation(member: member)
    guard state.checkedIn[member] != nil else {
      throw .rule(
        RuleViolation(
          Rules.evaluationStages, "\(member) has not checked in to the committee",
          chinese: "\(member)尚未签到，不能进行评审"))
    }
    return state
  }

  /// The state, if `member` may do the work of `stage` now: checked in, the leader elected,
  /// `stage` under way and not yet concluded by it.
  func reviewing(member: String, in stage: EvaluationStage) throws(DomainError) -> EvaluationState {
    try Self.checkComplete(try openEvaluation(member: member))
    let state = try checkedInMember(member)
    guard state.leader != nil else {
      throw .rule(
        RuleViolation(
          Rules.evaluationStages, "the committee elects its leader before reviewing",
          chinese: "评标委员会应当先推举负责人，再开始评审"))
    }
    guard state.stage == stage else {
      let now = state.stage.map { "the \($0.rawValue) stage is under way" } ?? "every stage is done"
      let nowChinese = state.stage.map { "当前为\($0.chinese)阶段" } ?? "各评审阶段均已完成"
      throw .rule(
        RuleViolation(
          Rules.evaluationStages, "\(stage.rawValue) work is refused: \(now)",
          chinese: "不能进行\(stage.chinese)：\(nowChinese)"))
    }
    guard !state.concluded.contains(member) else {
      throw .rule(
        RuleViolation(
          Rules.evaluationStages, "\(member) has concluded the \(stage.rawValue) stage",
          chinese: "\(member)已完成\(stage.chinese)"))
    }
    return state
  }
}
