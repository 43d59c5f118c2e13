import Foundation
import Testing

@testable import ZhaocaiDomain

@Suite struct LegalDateTests {
  @Test func daysRoundTripThroughTheirComponents() {
    for day in stride(from: -800_000, to: 800_000, by: 997) {
      let date = LegalDate(dayNumber: day)
      let (y, m, d) = date.components
      #expect(LegalDate(year: y, month: m, day: d) == date)
    }
    #expect(LegalDate("2026-02-29") == nil)
    #expect(LegalDate("2024-02-29") != nil)
    #expect(LegalDate("2026-13-01") == nil)
  }

  @Test func instantsFallOnTheirShanghaiDay() {
    // 2026-11-23T15:59:59Z is 23:59:59 in Shanghai; a second later it is the 24th there.
    #expect(LegalDate(instant: 1_795_449_599).description == "2026-11-23")
    #expect(LegalDate(instant: 1_795_449_600).description == "2026-11-24")
    #expect(LegalDate("2026-11-24")!.startInstant == 1_795_449_600)
    #expect(LegalDate("2026-11-23")!.weekday == 1)  // a Monday
    #expect(LegalDate("2026-11-29")!.isWeekend)
  }
}

@Suite struct WorkingCalendarTests {
  let calendar = WorkingCalendar.china2026

  @Test func holidaysWeekendsAndMakeUpDaysOf2026() {
    #expect(!calendar.isWorkingDay(LegalDate("2026-10-01")!))  // National Day
    #expect(calendar.isWorkingDay(LegalDate("2026-10-10")!))  // a Saturday made a working day
    #expect(calendar.isWorkingDay(LegalDate("2026-02-14")!))  // a Saturday before Spring Festival
    #expect(!calendar.isWorkingDay(LegalDate("2026-02-23")!))  // a Monday inside Spring Festival
    #expect(!calendar.isWorkingDay(LegalDate("2026-11-28")!))  // an ordinary Saturday
    #expect(calendar.isWorkingDay(LegalDate("2026-11-23")!))
  }

  @Test func workingDaysSkipTheNationalDayWeek() {
    // Three working days after Tuesday 29 September: Wed 30 Sep, Thu 8 Oct, Fri 9 Oct.
    #expect(
      calendar.adding(workingDays: 3, to: LegalDate("2026-09-29")!).description == "2026-10-09")
    #expect(
      calendar.adding(workingDays: 4, to: LegalDate("2026-09-29")!).description == "2026-10-10")
    #expect(
      calendar.workingDays(after: LegalDate("2026-09-29")!, through: LegalDate("2026-10-12")!) == 5)
    #expect(
      calendar.nextWorkingDay(onOrAfter: LegalDate("2026-10-03")!).description == "2026-10-08")
  }

  @Test func aCalendarFileReplacesTheShippedOne() throws {
    let json = Data(#"{"holidays": ["2027-01-01"], "makeUpWorkingDays": ["2027-01-02"]}"#.utf8)
    let loaded = try WorkingCalendar(json: json)
    #expect(!loaded.isWorkingDay(LegalDate("2027-01-01")!))
    #expect(loaded.isWorkingDay(LegalDate("2027-01-02")!))
    #expect(throws: DecodingError.self) {
      try WorkingCalendar(
        json: Data(#"{"holidays": ["2027-02-30"], "makeUpWorkingDays": []}"#.utf8))
    }
  }
}

@Suite struct CreditCodeTests {
  @Test(arguments: ["91350100M000100Y43", "91110000100000589A", "91440300ma5dc6qx9c"])
  func validCodesAreAccepted(code: String) throws {
    #expect(try PartyRules.checkCreditCode(code).value == code.uppercased())
  }

  @Test func aWrongCheckCharacterIsRefusedWithItsRule() {
    #expect(throws: CreditCode.Problem.wrongCheckCharacter(expected: "3", found: "4")) {
      try CreditCode("91350100M000100Y44")
    }
    do {
      _ = try PartyRules.checkCreditCode("91350100M000100Y44")
      Issue.record("a bad check character was accepted")
    } catch {
      #expect(error.rule.code == "RULE_CREDIT_CODE_VALID")
    }
    #expect(throws: CreditCode.Problem.wrongLength(17)) { try CreditCode("91350100M000100Y4") }
    #expect(throws: CreditCode.Problem.invalidCharacter("I")) {
      try CreditCode("9135010IM000100Y43")
    }
  }
}
