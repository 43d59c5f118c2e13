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
