import Testing

@testable import ZhaocaiDomain

/// The supervision platform's view of when bids open follows amendments as the trading platform
/// applies them: its opening key share is released on that time.
@Suite struct TrackedProcessTests {
  let published = TenderSchedule(
    documentsIssuedAt: shanghai("2026-11-02"), saleEndsAt: shanghai("2026-11-09", 17),
    bidDeadline: shanghai("2026-12-01", 9, 30), keyHolders: testHolders, threshold: 2)

  @Test func anAmendmentDuringPrequalificationMovesTheBidDeadlineByTheSameDays() {
    var schedule = published
    schedule.applicationDeadline = shanghai("2026-11-10", 17)
    var process = TrackedProcess(platform: "trading.fz", section: "S1")
    process.fold(.published(schedule: schedule, at: shanghai("2026-11-02")), at: 0)
    // The amendment's deadline is the new application deadline, two days later.
    process.fold(
      .amended(
        number: 1, at: shanghai("2026-11-09"), deadline: shanghai("2026-11-12", 17),
        movedFrom: shanghai("2026-11-10", 17), rule: nil), at: shanghai("2026-11-09"))
    #expect(process.applicationDeadline == shanghai("2026-11-12", 17))
    #expect(process.bidDeadline == shanghai("2026-12-03", 9, 30))
    // After prequalification, an amendment's deadline is the bid deadline.
    process.fold(
      .amended(
        number: 2, at: shanghai("2026-11-20"), deadline: shanghai("2026-12-05", 9, 30),
        movedFrom: nil, rule: nil), at: shanghai("2026-11-20"))
    #expect(process.bidDeadline == shanghai("2026-12-05", 9, 30))
    #expect(process.applicationDeadline == shanghai("2026-11-12", 17))
  }

  @Test func withoutPrequalificationTheAmendmentsDeadlineIsTheBidDeadline() {
    var process = TrackedProcess(platform: "trading.fz", section: "S1")
    process.fold(.published(schedule: published, at: shanghai("2026-11-02")), at: 0)
    process.fold(
      .amended(
        number: 1, at: shanghai("2026-11-20"), deadline: shanghai("2026-12-06", 9, 30),
        movedFrom: nil, rule: nil), at: shanghai("2026-11-20"))
    #expect(process.bidDeadline == shanghai("2026-12-06", 9, 30))
  }
}
