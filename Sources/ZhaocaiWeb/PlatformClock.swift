import Foundation
import Synchronization

/// The platform's notion of now, injected so tests and the demo move time instead of sleeping.
public protocol PlatformClock: Sendable {
  /// Seconds since 1970-01-01T00:00:00Z.
  func now() -> Int64
}

/// The machine's clock.
public struct SystemClock: PlatformClock {
  public init() {}
  public func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

/// A clock that only moves when told to.
public final class ManualClock: PlatformClock {
  private let time: Mutex<Int64>

  public init(_ start: Int64) { time = Mutex(start) }

  public func now() -> Int64 { time.withLock { $0 } }

  public func set(_ instant: Int64) { time.withLock { $0 = instant } }

  public func advance(seconds: Int64) { time.withLock { $0 += seconds } }
}

/// The sandbox's clock: another clock's time plus an offset that only grows, moved by the
/// sandbox administrator (`ZhaocaiWeb.Sandbox`); the scheduler and every platform read it.
///
/// With a shared file, every process of a sandbox deployment (`sandbox.clockFile`: the hub, the
/// supervision platform, each trading node) reads the offset from it, so moving the clock at one
/// moves it for all; a process never goes back if the file is lost or unreadable.
public final class SandboxClock: PlatformClock {
  private let base: any PlatformClock
  private let offset = Mutex<Int64>(0)
  private let sharedFile: String?

  /// The largest offset the file may hold: a century, far beyond any limit of the law.
  static let maximumOffset: Int64 = 100 * 366 * 86_400

  public init(base: any PlatformClock = SystemClock(), sharedFile: String? = nil) {
    self.base = base
    self.sharedFile = sharedFile
  }

  public func now() -> Int64 {
    let stored = sharedFile.flatMap(Self.read) ?? 0
    return base.now()
      &+ offset.withLock { current in
        current = max(current, stored)
        return current
      }
  }

  /// Moves the clock forward; never back (draw requests and logs are ordered by it).
  public func advance(seconds: Int64) {
    let stored = sharedFile.flatMap(Self.read) ?? 0
    offset.withLock { current in
      current = min(max(current, stored) &+ max(seconds, 0), Self.maximumOffset)
      if let sharedFile {
        // Written whole and renamed, so another process reads the old offset or the new one.
        try? Data("\(current)\n".utf8).write(
          to: URL(fileURLWithPath: sharedFile), options: .atomic)
      }
    }
  }

  /// The offset in the file: decimal seconds, at most a century; nil if absent or malformed.
  static func read(_ path: String) -> Int64? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: 32),
      let value = Int64(
        String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
      (0...maximumOffset).contains(value)
    else { return nil }
    return value
  }
}
