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
public final class SandboxClock: PlatformClock {
  private let base: any PlatformClock
  private let offset = Mutex<Int64>(0)

  public init(base: any PlatformClock = SystemClock()) { self.base = base }

  public func now() -> Int64 { base.now() &+ offset.withLock { $0 } }

  /// Moves the clock forward; never back (draw requests and logs are ordered by it).
  public func advance(seconds: Int64) { offset.withLock { $0 &+= max(seconds, 0) } }
}
