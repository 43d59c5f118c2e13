import Testing

@testable import ZhaocaiDomain

/// Expects `body` to be refused for breaking exactly `rule`.
private func expectComplaintRefused(
  _ rule: Rule, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Complaint
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

/// 投诉: filed within 10 days of knowing (条例60), decided within 3 and 30 working days (条例61).
@Suite struct ComplaintTests {
  let calendar = WorkingCalendar.china2026

  func file(
    _ matter: ComplaintMatter = .other, knew: Int64 = shanghai("2026-09-28"),
    objection: ObjectionHistory? = nil, at now: Int64 = shanghai("2026-09-30", 10),
    complainant: String = "91350100M000100Y43"
  ) throws -> Complaint {
    try Complaint.file(
      id: "C1", section: "S1", complainant: complainant, matter: matter,
      facts: "评标委员会未按招标文件规定的标准评审", knewAt: knew, objection: objection, at: now,
      calendar: calendar)
  }

  @Test func anInstantAtEitherEndOfTheRangeIsLateNotACrash() {
    // Times come from the complainant's request: the ends of Int64 must be refused, not trap.
    expectComplaintRefused(Rules.complaintWithin10Days) { try file(knew: .min) }
    expectComplaintRefused(Rules.complaintWithin10Days) {
      try file(
        .candidates, knew: .min, objection: ObjectionHistory(raisedAt: .min, answeredAt: nil))
    }
    #expect(LegalDate(instant: .max) > LegalDate(instant: 0))
    #expect(LegalDate(instant: .min) < LegalDate(instant: 0))
    #expect(LegalDate(instant: -1).description == "1970-01-01")
    #expect(LegalDate(instant: -8 * 3600 - 1).description == "1969-12-31")
  }

  @Test func aComplaintFiledBeforeNationalDayIsToBeAcceptedBy10October() throws {
    let filed = try file()
    #expect(filed.status == .filed)
    // 1–7 October are holidays: 8, 9 and the make-up Saturday 10 October are the 3 working days.
    #expect(filed.acceptanceDue.description == "2026-10-10")
    #expect(filed.overdue(at: shanghai("2026-10-10", 23, 59)).isEmpty)
    #expect(filed.overdue(at: shanghai("2026-10-11", 0)) == [Rules.complaintDecisionDays])
    // The deadline binds the department: a late acceptance is still taken.
    let accepted = try filed.accept(
      at: shanghai("2026-10-12"), calendar: calendar, suspendingProcess: false)
    #expect(accepted.status == .accepted)
    #expect(accepted.overdue(at: shanghai("2026-10-12")).isEmpty)
  }

  @Test func theRulingIsDue30WorkingDaysAfterAnAcceptanceBeforeTheHoliday() throws {
    let accepted = try file().accept(
      at: shanghai("2026-09-30", 16), calendar: calendar, suspendingProcess: true)
    #expect(accepted.rulingDue?.description == "2026-11-17")
    #expect(accepted.holdsProcess)
    #expect(accepted.overdue(at: shanghai("2026-11-17", 23, 59)).isEmpty)
    #expect(accepted.overdue(at: shanghai("2026-11-18", 0)) == [Rules.complaintDecisionDays])
    let ruled = try accepted.rule(decision: "投诉成立，责令重新评标", at: shanghai("2026-11-16"))
    #expect(ruled.status == .ruled)
    #expect(ruled.decision == "投诉成立，责令重新评标")
    #expect(ruled.decidedAt == shanghai("2026-11-16"))
    #expect(!ruled.holdsProcess)
    #expect(ruled.overdue(at: shanghai("2026-11-18")).isEmpty)
  }

  @Test func aPauseForExpertReviewMovesTheRulingByTheWorkingDaysPaused() throws {
    let accepted = try file().accept(
      at: shanghai("2026-09-30", 16), calendar: calendar, suspendingProcess: false)
    let paused = try accepted.pauseClock(reason: .expertReview, at: shanghai("2026-10-19"))
    #expect(paused.isPaused)
    // While the clock stands still the ruling is not late, and cannot be given.
    #expect(paused.overdue(at: shanghai("2026-11-20")).isEmpty)
    #expect(throws: DomainError.self) {
      try paused.rule(decision: "驳回投诉", at: shanghai("2026-10-20"))
    }
    #expect(throws: DomainError.self) {
      try paused.pauseClock(reason: .testing, at: shanghai("2026-10-20"))
    }
    // Paused on Monday 19 October, resumed Monday 26: 20–23 and 26 October are given back.
    let resumed = try paused.resumeClock(at: shanghai("2026-10-26", 15), calendar: calendar)
    #expect(resumed.rulingDue?.description == "2026-11-24")
    #expect(
      resumed.pauses == [
        Complaint.Pause(
          reason: .expertReview, from: shanghai("2026-10-19"), to: shanghai("2026-10-26", 15))
      ])
    #expect(resumed.overdue(at: shanghai("2026-11-24", 23)).isEmpty)
    #expect(resumed.overdue(at: shanghai("2026-11-25")) == [Rules.complaintDecisionDays])
    #expect(throws: DomainError.self) {
      try resumed.resumeClock(at: shanghai("2026-10-27"), calendar: calendar)
    }
  }

  @Test func aComplaintMoreThan10DaysAfterKnowingIsRefused() throws {
    let knew = shanghai("2026-11-02", 15)
    #expect(try file(knew: knew, at: shanghai("2026-11-12", 16)).status == .filed)
    expectComplaintRefused(Rules.complaintWithin10Days) {
      try file(knew: knew, at: shanghai("2026-11-13", 9))
    }
  }

  @Test func aPeriodEndingOnASaturdayRunsToMonday() throws {
    let knew = shanghai("2026-11-04")  // the 10th day after is Saturday 14 November
    #expect(try file(knew: knew, at: shanghai("2026-11-16", 17)).status == .filed)
    expectComplaintRefused(Rules.complaintWithin10Days) {
      try file(knew: knew, at: shanghai("2026-11-17"))
    }
  }

  @Test func theDaysWaitingForTheObjectionsAnswerAreNotCounted() throws {
    let knew = shanghai("2026-11-02")
    let objection = ObjectionHistory(
      raisedAt: shanghai("2026-11-05"), answeredAt: shanghai("2026-11-09"))
    // 3–5 November count, 6–9 November waited for the answer, then 7 more: Monday 16 November.
    #expect(
      try file(.documents, knew: knew, objection: objection, at: shanghai("2026-11-16")).status
        == .filed)
    expectComplaintRefused(Rules.complaintWithin10Days) {
      try file(.documents, knew: knew, objection: objection, at: shanghai("2026-11-17"))
    }
    // A matter complained of directly does not wait for an objection's answer.
    expectComplaintRefused(Rules.complaintWithin10Days) {
      try file(.other, knew: knew, objection: objection, at: shanghai("2026-11-16"))
    }
    // Never answered: nothing after the objection counts, so an objection in time suffices.
    let unanswered = ObjectionHistory(raisedAt: shanghai("2026-11-10"))
    #expect(
      try file(.candidates, knew: knew, objection: unanswered, at: shanghai("2026-11-30")).status
        == .filed)
    let lateObjection = ObjectionHistory(raisedAt: shanghai("2026-11-13"))
    expectComplaintRefused(Rules.complaintWithin10Days) {
      try file(.candidates, knew: knew, objection: lateObjection, at: shanghai("2026-11-18"))
    }
  }

  @Test func documentsOpeningAndCandidatesNeedAnObjectionFirst() throws {
    for matter in ComplaintMatter.allCases where matter.needsObjectionFirst {
      expectComplaintRefused(Rules.complaintWithin10Days) { try file(matter) }
    }
    #expect(try file(.other).status == .filed)
    expectComplaintRefused(Rules.complaintWithin10Days) {
      try file(.opening, objection: ObjectionHistory(raisedAt: shanghai("2026-09-30", 11)))
    }
    let answered = ObjectionHistory(
      raisedAt: shanghai("2026-09-28", 10), answeredAt: shanghai("2026-09-28", 10))
    #expect(try file(.opening, objection: answered).objection == answered)
  }

  @Test func eachStepOnlyFromItsState() throws {
    expectComplaintRefused(Rules.creditCodeValid) { try file(complainant: "91350100M000100Y44") }
    let filed = try file()
    #expect(throws: DomainError.self) { try filed.refuse(at: shanghai("2026-10-08"), reason: " ") }
    let refused = try filed.refuse(at: shanghai("2026-10-08"), reason: "不属于本部门职责范围")
    #expect(refused.status == .refused)
    #expect(refused.decision == "不属于本部门职责范围")
    #expect(refused.overdue(at: shanghai("2026-10-20")).isEmpty)
    #expect(throws: DomainError.self) {
      try refused.accept(at: shanghai("2026-10-09"), calendar: calendar, suspendingProcess: false)
    }
    #expect(throws: DomainError.self) { try refused.withdraw(at: shanghai("2026-10-09")) }
    #expect(throws: DomainError.self) {
      try filed.rule(decision: "驳回投诉", at: shanghai("2026-10-08"))
    }
    #expect(throws: DomainError.self) {
      try filed.pauseClock(reason: .inspection, at: shanghai("2026-10-08"))
    }
    let withdrawn = try filed.accept(
      at: shanghai("2026-10-08"), calendar: calendar, suspendingProcess: true
    ).pauseClock(reason: .testing, at: shanghai("2026-10-09")).withdraw(at: shanghai("2026-10-12"))
    #expect(withdrawn.status == .withdrawn)
    #expect(!withdrawn.isPaused)
    #expect(!withdrawn.holdsProcess)
    #expect(withdrawn.withdrawnAt == shanghai("2026-10-12"))
    #expect(withdrawn.overdue(at: shanghai("2027-01-01")).isEmpty)
  }

  /// 条例60: the objection a complaint relies on is taken from the process's record.
  @Test func theObjectionIsTheRecordsNotTheComplainants() {
    let due = LegalDate("2026-11-13")!
    let timeline: [(at: Int64, event: SectionEvent)] = [
      (
        shanghai("2026-11-10"),
        .objectionRaised(id: "O-1", at: shanghai("2026-11-10"), answerDue: due)
      ),
      (shanghai("2026-11-12"), .objectionAnswered(id: "O-1", at: shanghai("2026-11-12"))),
    ]
    #expect(
      ObjectionHistory.onRecord(id: "O-1", claimed: nil, in: timeline)
        == ObjectionHistory(raisedAt: shanghai("2026-11-10"), answeredAt: shanghai("2026-11-12")))
    // Claimed by time, within ten minutes, with a made-up answer: the record's answer counts.
    #expect(
      ObjectionHistory.onRecord(
        id: nil,
        claimed: ObjectionHistory(raisedAt: shanghai("2026-11-10") + 300, answeredAt: 0),
        in: timeline)?.answeredAt == shanghai("2026-11-12"))
    #expect(ObjectionHistory.onRecord(id: "O-2", claimed: nil, in: timeline) == nil)
    #expect(
      ObjectionHistory.onRecord(
        id: nil, claimed: ObjectionHistory(raisedAt: shanghai("2026-11-09")), in: timeline) == nil)
    #expect(ObjectionHistory.onRecord(id: nil, claimed: nil, in: timeline) == nil)
  }
}
