import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// The working calendar's years an administrator loaded (the State Council's schedule of public
/// holidays and make-up working days, published each November for the next year), kept so
/// every node and every restart counts the same days.
enum CalendarRepository {
  /// `base` with every loaded year merged in, in the order they were loaded.
  static func calendar(over base: WorkingCalendar, on database: any SQLDatabase)
    async throws -> WorkingCalendar
  {
    try await database.raw("SELECT body FROM calendar_years ORDER BY year").all().reduce(base) {
      calendar, row in
      let body = try row.decode(column: "body", as: String.self)
      return calendar.merging(try WorkingCalendar(json: Data(body.utf8)))
    }
  }

  /// Keeps `year`'s schedule, replacing one loaded before.
  static func load(
    _ year: WorkingCalendar, by account: String, at now: Int64, on database: any SQLDatabase
  ) async throws {
    guard let number = year.years.first, year.years.count == 1 else { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let body = String(decoding: try encoder.encode(year), as: UTF8.self)
    try await database.raw("DELETE FROM calendar_years WHERE year = \(bind: number)").run()
    try await database.raw(
      "INSERT INTO calendar_years (year, body, loaded_by, loaded_at) VALUES (\(bind: number), \(bind: body), \(bind: account), \(bind: now))"
    ).run()
  }
}
