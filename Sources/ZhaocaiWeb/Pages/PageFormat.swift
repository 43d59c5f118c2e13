import Foundation
import ZhaocaiDomain

/// How pages write what the API gives as numbers and codes: money in yuan with separators,
/// instants in Beijing time (the legal zone, UTC+8 all year), regions by name.
public enum PageFormat {
  /// ¥1,234,567.89.
  public static func money(fen: Int64) -> String { Money(fen: fen).description }

  /// "2026-12-03 16:30" in Beijing time.
  public static func time(_ seconds: Int64) -> String {
    let (date, minutes) = beijing(seconds)
    return "\(date) \(pad(minutes / 60)):\(pad(minutes % 60))"
  }

  /// "2026-12-03" in Beijing time.
  public static func date(_ seconds: Int64) -> String { beijing(seconds).date }

  /// An instant the API gave as a `Date`.
  public static func time(_ date: Date) -> String { time(Int64(date.timeIntervalSince1970)) }

  /// A file's size: "812 B", "1.4 KiB", "23.0 MiB".
  public static func bytes(_ count: Int64) -> String {
    guard count >= 1024 else { return "\(Swift.max(count, 0)) B" }
    let units = ["KiB", "MiB", "GiB", "TiB"]
    var value = Double(count) / 1024
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return String(format: "%.1f %@", value, units[unit])
  }

  /// The region's name (GB/T 2260).
  public static func region(_ code: String) -> String { RegionNames.name(of: code) }

  private static func beijing(_ seconds: Int64) -> (date: String, minutes: Int64) {
    // Instants a page shows come from the platform's records, within years of now.
    let instant = Swift.min(Swift.max(seconds, -(1 << 40)), 1 << 40)
    let date = LegalDate(instant: instant)
    return (date.description, (instant - date.startInstant) / 60)
  }

  private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
