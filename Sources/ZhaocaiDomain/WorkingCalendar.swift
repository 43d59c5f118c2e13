import Foundation

/// Which days are working days: weekends and public holidays off, make-up working days (调休) on.
///
/// Ships the 2026 schedule of the State Council General Office (notice of 2025-11-04); a
/// deployment replaces or extends it with a JSON file of the same shape.
public struct WorkingCalendar: Sendable, Codable, Equatable {
  public var holidays: Set<LegalDate>
  public var makeUpWorkingDays: Set<LegalDate>
  /// The years whose schedule the State Council has published and this calendar holds; in any
  /// other year only weekends are known, so a due date counted there is provisional.
  public var years: Set<Int>

  public init(holidays: Set<LegalDate>, makeUpWorkingDays: Set<LegalDate>, years: Set<Int>? = nil) {
    self.holidays = holidays
    self.makeUpWorkingDays = makeUpWorkingDays
    self.years = years ?? Set(holidays.map(\.components.year))
  }

  /// `{"years": [2026], "holidays": ["2026-01-01", …], "makeUpWorkingDays": ["2026-01-04", …]}`;
  /// without `years`, the years of its holidays.
  public init(json: Data) throws {
    self = try JSONDecoder().decode(WorkingCalendar.self, from: json)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      holidays: try container.decode(Set<LegalDate>.self, forKey: .holidays),
      makeUpWorkingDays: try container.decode(Set<LegalDate>.self, forKey: .makeUpWorkingDays),
      years: try container.decodeIfPresent(Set<Int>.self, forKey: .years))
  }

  /// Whether every day from `start` through `end` lies in a year this calendar holds.
  public func covers(from start: LegalDate, through end: LegalDate) -> Bool {
    let (first, last) = (start.components.year, end.components.year)
    guard first <= last else { return years.contains(first) }
    return (first...min(last, first + 100)).allSatisfy(years.contains) && last - first <= 100
  }

  /// This calendar with `other`'s years added (an administrator loads a newer year's schedule);
  /// a year `other` holds replaces this one's days of that year.
  public func merging(_ other: WorkingCalendar) -> WorkingCalendar {
    let replaced = { (days: Set<LegalDate>) in
      days.filter { !other.years.contains($0.components.year) }
    }
    return WorkingCalendar(
      holidays: replaced(holidays).union(other.holidays),
      makeUpWorkingDays: replaced(makeUpWorkingDays).union(other.makeUpWorkingDays),
      years: years.union(other.years))
  }

  public func isWorkingDay(_ date: LegalDate) -> Bool {
    if makeUpWorkingDays.contains(date) { return true }
    return !date.isWeekend && !holidays.contains(date)
  }

  /// The day `count` working days after `date` (the start day is not counted).
  public func adding(workingDays count: Int, to date: LegalDate) -> LegalDate {
    var day = date
    var remaining = count
    while remaining > 0 {
      day = day.adding(days: 1)
      if isWorkingDay(day) { remaining -= 1 }
    }
    return day
  }

  /// `date` itself if it is a working day, else the next working day: a period whose last day
  /// falls on a rest day ends on the next working day (民法典203).
  public func nextWorkingDay(onOrAfter date: LegalDate) -> LegalDate {
    var day = date
    while !isWorkingDay(day) { day = day.adding(days: 1) }
    return day
  }

  /// Working days after `start` up to and including `end`.
  public func workingDays(after start: LegalDate, through end: LegalDate) -> Int {
    guard start < end else { return 0 }
    return (1...start.days(until: end)).count { isWorkingDay(start.adding(days: $0)) }
  }

  /// China's 2026 public holidays and make-up working days.
  public static let china2026: WorkingCalendar = {
    func days(_ ranges: [(String, String)]) -> Set<LegalDate> {
      Set(
        ranges.flatMap { first, last -> [LegalDate] in
          let a = LegalDate(first)!
          let b = LegalDate(last)!
          return (0...a.days(until: b)).map { a.adding(days: $0) }
        })
    }
    return WorkingCalendar(
      holidays: days([
        ("2026-01-01", "2026-01-03"),  // 元旦
        ("2026-02-15", "2026-02-23"),  // 春节
        ("2026-04-04", "2026-04-06"),  // 清明节
        ("2026-05-01", "2026-05-05"),  // 劳动节
        ("2026-06-19", "2026-06-21"),  // 端午节
        ("2026-09-25", "2026-09-27"),  // 中秋节
        ("2026-10-01", "2026-10-07"),  // 国庆节
      ]),
      makeUpWorkingDays: Set(
        ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"].map {
          LegalDate($0)!
        }))
  }()
}
