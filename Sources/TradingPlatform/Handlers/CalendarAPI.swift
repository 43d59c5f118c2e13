import Foundation
import OpenAPIRuntime
import Synchronization
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// 工作日历: the State Council publishes each November the next year's public holidays and
/// make-up working days; the platform's administrator loads them here.
extension TradingAPI {
  func getCalendar(_ input: Operations.getCalendar.Input) async throws
    -> Operations.getCalendar.Output
  {
    let calendar = platform.calendar
    return .ok(
      .init(
        body: .json(
          .init(
            years: calendar.years.sorted(), holidays: calendar.holidays.sorted().map(\.description),
            makeUpWorkingDays: calendar.makeUpWorkingDays.sorted().map(\.description)))))
  }

  func loadCalendarYear(_ input: Operations.loadCalendarYear.Input) async throws
    -> Operations.loadCalendarYear.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let account = try Caller.current.require(.administrator)
      let year = try Self.calendarYear(
        input.path.year, holidays: body.holidays, makeUpWorkingDays: body.makeUpWorkingDays)
      let now = platform.clock.now()
      try await platform.store.transaction {
        try await CalendarRepository.load(year, by: account.id, at: now, on: $0)
      }
      platform.calendarBook.merge(year)
      return .ok(.init(body: .json(.init(years: platform.calendar.years.sorted()))))
    }
  }

  /// One year's schedule as sent: every day a date of that year, none both a holiday and a
  /// make-up working day, a make-up day falling on a weekend, and no more days than any year has.
  static func calendarYear(
    _ year: Int, holidays: [String], makeUpWorkingDays: [String]
  ) throws -> WorkingCalendar {
    guard (2000...2099).contains(year) else {
      throw DomainError.invalid(
        "a calendar year lies between 2000 and 2099", chinese: "日历年度应在2000年至2099年之间")
    }
    guard holidays.count <= 60, makeUpWorkingDays.count <= 20 else {
      throw DomainError.invalid(
        "a year has at most 60 public holidays and 20 make-up working days",
        chinese: "每年法定节假日不得超过60天，调休工作日不得超过20天")
    }
    func days(_ texts: [String]) throws -> Set<LegalDate> {
      try Set(
        texts.map { text in
          guard let day = LegalDate(text), day.components.year == year else {
            throw DomainError.invalid(
              "\(text) is not a date of \(year) (YYYY-MM-DD)",
              chinese: "“\(text)”不是\(year)年的日期（格式为YYYY-MM-DD）")
          }
          return day
        })
    }
    let (off, on) = (try days(holidays), try days(makeUpWorkingDays))
    guard off.isDisjoint(with: on) else {
      throw DomainError.invalid(
        "a day cannot be both a holiday and a make-up working day",
        chinese: "同一天不能既是法定节假日又是调休工作日")
    }
    guard on.allSatisfy(\.isWeekend) else {
      throw DomainError.invalid(
        "a make-up working day (调休) falls on a Saturday or Sunday",
        chinese: "调休工作日应为星期六或星期日")
    }
    return WorkingCalendar(holidays: off, makeUpWorkingDays: on, years: [year])
  }
}

extension Operations.loadCalendarYear.Output: ProblemAnswerable {}
