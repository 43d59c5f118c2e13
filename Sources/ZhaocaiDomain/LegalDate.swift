/// A calendar day in the legal time zone, Asia/Shanghai (UTC+8 all year, no daylight saving
/// since 1991), so day arithmetic needs no time-zone database.
public struct LegalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// Days since 1970-01-01.
  public let dayNumber: Int

  public static let utcOffsetSeconds: Int64 = 8 * 3600

  public init(dayNumber: Int) { self.dayNumber = dayNumber }

  /// The legal day of an instant given as seconds since 1970-01-01T00:00:00Z.
  public init(instant seconds: Int64) {
    // Any instant a caller sends must give a day, not a trap: the ends of Int64 are clamped.
    let shifted = seconds.addingReportingOverflow(Self.utcOffsetSeconds)
    let local = shifted.overflow ? Int64.max : shifted.partialValue
    let (days, rest) = local.quotientAndRemainder(dividingBy: 86_400)
    dayNumber = Int(rest < 0 ? days - 1 : days)
  }

  /// The day year-month-day of the proleptic Gregorian calendar; nil if it does not exist.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...12).contains(month), (1...Self.daysInMonth(year, month)).contains(day) else {
      return nil
    }
    // Days from civil (H. Hinnant's algorithm).
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    dayNumber = era * 146_097 + doe - 719_468
  }

  /// Parses `YYYY-MM-DD`.
  public init?(_ text: String) {
    let parts = text.split(separator: "-")
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
    else { return nil }
    self.init(year: y, month: m, day: d)
  }

  public var components: (year: Int, month: Int, day: Int) {
    let z = dayNumber + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
  public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 + 1 }

  public var isWeekend: Bool { weekday >= 6 }

  /// The instant this day starts in Shanghai, as seconds since 1970.
  /// Saturating at the ends of Int64, so a day far outside any tender still gives an instant.
  public var startInstant: Int64 {
    let (seconds, overflow) = Int64(dayNumber).multipliedReportingOverflow(by: 86_400)
    guard !overflow else { return dayNumber < 0 ? .min : .max }
    let (start, under) = seconds.subtractingReportingOverflow(Self.utcOffsetSeconds)
    return under ? .min : start
  }

  /// Days are kept within ±10^12 (about 2.7 billion years), where every computation on them fits.
  public func adding(days: Int) -> LegalDate {
    let (sum, overflow) = dayNumber.addingReportingOverflow(days)
    let bound = 1_000_000_000_000
    return LegalDate(
      dayNumber: overflow ? (days < 0 ? -bound : bound) : min(max(sum, -bound), bound))
  }

  /// Whole days from `self` to `other` (positive when `other` is later).
  public func days(until other: LegalDate) -> Int {
    let (difference, overflow) = other.dayNumber.subtractingReportingOverflow(dayNumber)
    return overflow ? (other.dayNumber < dayNumber ? .min : .max) : difference
  }

  public var description: String {
    let (y, m, d) = components
    return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
  }

  public static func < (lhs: LegalDate, rhs: LegalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let date = LegalDate(text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not YYYY-MM-DD"))
    }
    self = date
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  private static func daysInMonth(_ year: Int, _ month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}
