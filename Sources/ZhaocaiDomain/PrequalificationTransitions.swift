/// 资格预审: applications until the application deadline (条例17), then the result, which admits
/// those who passed to the tender; fewer than 3 and the tender is held again (条例19).
extension Section {
  public func applyForPrequalification(party: String, at now: Int64) throws(DomainError)
    -> Transition
  {
    guard phase == .bidding, terms.procedure.hasPrequalification, let schedule,
      schedule.inPrequalification(at: now)
    else {
      throw .wrongPhase(action: "apply for prequalification", phase: phase)
    }
    if terms.procedure == .invitationWithPrequalification, !schedule.invited.contains(party) {
      throw .invalid(
        "\(party) was not invited to apply", chinese: "\(party)未受邀请参加资格预审")
    }
    var next = self
    next.applicants.insert(party)
    return Transition(
      section: next, events: [.appliedForPrequalification(party: party, at: now)])
  }

  /// The review's result after the application deadline: the parties that passed.
  public func prequalify(_ passed: [String], at now: Int64) throws(DomainError) -> Transition {
    guard phase == .bidding, terms.procedure.hasPrequalification, !prequalified,
      let schedule, let applications = schedule.applicationDeadline, now >= applications
    else {
      throw .wrongPhase(action: "publish the prequalification result", phase: phase)
    }
    let parties = Set(passed)
    guard parties.isSubset(of: applicants) else {
      throw .invalid(
        "only applicants can pass prequalification", chinese: "只有资格预审申请人才能通过资格预审")
    }
    var next = self
    next.prequalified = true
    next.schedule?.invited = parties.sorted()
    let result = SectionEvent.prequalified(parties: parties.sorted(), at: now)
    guard parties.count >= 3 else {
      next.phase = .failed
      return Transition(
        section: next,
        events: [result, .sectionFailed(at: now, rule: Rules.prequalifiedMin3.code)])
    }
    return Transition(section: next, events: [result])
  }
}
