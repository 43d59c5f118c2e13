import Foundation
import OpenAPIRuntime
import Synchronization
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// The calendar a platform counts working days with, replaced whole when an administrator
/// loads a year, so a request reads one consistent calendar.
final class CalendarBook: Sendable {
  private let calendar: Mutex<WorkingCalendar>

  init(_ calendar: WorkingCalendar) { self.calendar = Mutex(calendar) }

  var current: WorkingCalendar { calendar.withLock { $0 } }

  func merge(_ year: WorkingCalendar) { calendar.withLock { $0 = $0.merging(year) } }
}

extension TradingPlatform {
  /// Adds the years administrators loaded before (kept in the database) to the calendar: run
  /// once at start, so every node and every restart counts the same days.
  public func loadCalendar() async throws {
    let base = calendar
    let loaded = try await store.transaction {
      try await CalendarRepository.calendar(over: base, on: $0)
    }
    calendarBook.merge(loaded)
  }
}
