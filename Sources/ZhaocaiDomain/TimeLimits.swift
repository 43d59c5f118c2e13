/// The statutory time limits of a tender, as pure checks over instants (seconds since 1970, UTC)
/// and legal days in Asia/Shanghai.
///
/// Periods count as 民法典201 says: the day something happens is not counted, so "at least n
/// days after D" means on or after D + n. A period within which someone must act and whose last
/// day is a rest day ends on the next working day (民法典203).
public enum TimeLimits {
  /// 法24: the first day the bid deadline may fall on, for documents first issued then.
  public static func earliestBidDeadline(documentsIssued: Int64) -> LegalDate {
    LegalDate(instant: documentsIssued).adding(days: 20)
  }

  /// 条例16: the first day the sale of documents started then may end on.
  public static func earliestSaleEnd(start: Int64) -> LegalDate {
    LegalDate(instant: start).adding(days: 5)
  }

  /// 法24: the bid deadline is at least 20 days after the documents were first issued.
  public static func checkBidDeadline(documentsIssued: Int64, deadline: Int64) throws(RuleViolation)
  {
    let earliest = earliestBidDeadline(documentsIssued: documentsIssued)
    guard LegalDate(instant: deadline) >= earliest else {
      throw RuleViolation(
        Rules.bidDeadlineMin20Days, "the deadline must fall on or after \(earliest)",
        chinese: "投标截止时间不得早于\(earliest)")
    }
  }

  /// 条例16: documents are on sale for at least 5 days.
  public static func checkSalePeriod(start: Int64, end: Int64) throws(RuleViolation) {
    let earliestEnd = earliestSaleEnd(start: start)
    guard LegalDate(instant: end) >= earliestEnd else {
      throw RuleViolation(
        Rules.salePeriodMin5Days, "the sale must last until \(earliestEnd) at least",
        chinese: "发售期截止日不得早于\(earliestEnd)")
    }
  }

  /// 条例17: prequalification applications are due at least 5 days after the sale ends.
  public static func checkPrequalificationDeadline(saleEnd: Int64, deadline: Int64)
    throws(RuleViolation)
  {
    let earliest = LegalDate(instant: saleEnd).adding(days: 5)
    guard LegalDate(instant: deadline) >= earliest else {
      throw RuleViolation(
        Rules.prequalificationMin5Days, "applications may be due on \(earliest) at the earliest",
        chinese: "资格预审申请文件的提交截止时间不得早于\(earliest)")
    }
  }

  /// 法23, 条例21: the deadline after a clarification or amendment issued at `issuedAt`: unchanged
  /// if it was issued early enough (15 days; 3 for prequalification), otherwise moved by whole
  /// days, keeping its time of day, until it is.
  public static func deadlineAfterAmendment(
    issuedAt: Int64, deadline: Int64, prequalification: Bool = false
  ) -> Int64 {
    let minimum = prequalification ? 3 : 15
    let earliest = LegalDate(instant: issuedAt).adding(days: minimum)
    let shortfall = LegalDate(instant: deadline).days(until: earliest)
    return shortfall > 0 ? deadline + Int64(shortfall) * 86_400 : deadline
  }

  /// The rule that `deadlineAfterAmendment` applies, for the events that record a move.
  public static func amendmentRule(prequalification: Bool) -> Rule {
    prequalification ? Rules.prequalificationAmendmentMin3Days : Rules.amendmentMin15Days
  }

  /// 条例22: an objection to the documents comes 10 days (prequalification: 2 days) before the
  /// deadline at the latest.
  public static func checkObjectionToDocuments(
    raisedAt: Int64, deadline: Int64, prequalification: Bool = false
  ) throws(RuleViolation) {
    let latest = LegalDate(instant: deadline).adding(days: prequalification ? -2 : -10)
    guard LegalDate(instant: raisedAt) <= latest else {
      throw RuleViolation(
        Rules.objectionToDocumentsInTime, "objections to these documents closed on \(latest)",
        chinese: "对该文件提出异议的期限已于\(latest)届满")
    }
  }

  /// 条例22, 条例54: the last day to answer an objection received at `receivedAt`.
  public static func objectionAnswerDue(receivedAt: Int64, calendar: WorkingCalendar) -> LegalDate {
    calendar.nextWorkingDay(onOrAfter: LegalDate(instant: receivedAt).adding(days: 3))
  }

  /// 条例54: publicity starts within 3 days of the evaluation report and lasts at least 3 days.
  public static func checkPublicity(
    reportReceived: Int64, start: Int64, end: Int64
  ) throws(RuleViolation) {
    let latestStart = LegalDate(instant: reportReceived).adding(days: 3)
    guard LegalDate(instant: start) <= latestStart else {
      throw RuleViolation(
        Rules.publicityWithin3Days, "publicity had to start by \(latestStart)",
        chinese: "公示应当不迟于\(latestStart)开始")
    }
    let earliestEnd = LegalDate(instant: start).adding(days: 3)
    guard LegalDate(instant: end) >= earliestEnd else {
      throw RuleViolation(
        Rules.publicityMin3Days, "publicity must last until \(earliestEnd)",
        chinese: "公示期截止日不得早于\(earliestEnd)")
    }
  }

  /// 法46: the last day to sign the contract after an award notice sent at `awardNoticeAt`.
  public static func contractDue(awardNoticeAt: Int64, calendar: WorkingCalendar) -> LegalDate {
    calendar.nextWorkingDay(onOrAfter: LegalDate(instant: awardNoticeAt).adding(days: 30))
  }

  /// 法47: the last day to file the written report after the award at `awardAt`.
  public static func reportDue(awardAt: Int64, calendar: WorkingCalendar) -> LegalDate {
    calendar.nextWorkingDay(onOrAfter: LegalDate(instant: awardAt).adding(days: 15))
  }

  /// 条例57, 条例35: the last day to refund a bid bond after a contract or a withdrawal.
  public static func bondRefundDue(after instant: Int64, calendar: WorkingCalendar) -> LegalDate {
    calendar.nextWorkingDay(onOrAfter: LegalDate(instant: instant).adding(days: 5))
  }

  /// Whether a step due on `due` is overdue at `now` (the whole due day counts).
  public static func isOverdue(_ due: LegalDate, now: Int64) -> Bool {
    LegalDate(instant: now) > due
  }
}
