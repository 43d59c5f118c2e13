/// How long a relay waits after a failed round before the next: 1 s, doubling up to a minute,
/// back to 1 s after a round that worked.
public struct Backoff: Sendable {
  public private(set) var delay: Duration = .seconds(1)
  let limit: Duration

  public init(limit: Duration = .seconds(60)) { self.limit = limit }

  /// The wait after a failure; the next failure waits twice as long.
  public mutating func failed() -> Duration {
    defer { delay = min(delay * 2, limit) }
    return delay
  }

  public mutating func succeeded() { delay = .seconds(1) }
}
