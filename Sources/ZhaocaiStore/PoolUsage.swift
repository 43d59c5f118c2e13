import Synchronization

/// What a store's connections are doing, for the metrics: operations waiting for a connection
/// (the SQLite writer's turn, a reader, a PostgreSQL pool connection), connections in use, and
/// how long operations waited in all.
public final class PoolUsage: Sendable {
  /// A reading of the counts.
  public struct Snapshot: Sendable, Equatable {
    public var waiting: Int
    public var inUse: Int
    /// Connections granted since the store opened.
    public var leases: UInt64
    /// Time spent waiting for them, in all.
    public var waitedSeconds: Double
  }

  private let waiting = Atomic<Int>(0)
  private let inUse = Atomic<Int>(0)
  private let leases = Atomic<UInt64>(0)
  private let waitedNanoseconds = Atomic<UInt64>(0)

  /// The counts now.
  public var snapshot: Snapshot {
    Snapshot(
      waiting: waiting.load(ordering: .relaxed), inUse: inUse.load(ordering: .relaxed),
      leases: leases.load(ordering: .relaxed),
      waitedSeconds: Double(waitedNanoseconds.load(ordering: .relaxed)) / 1e9)
  }

  /// An operation starts waiting for a connection.
  func request() -> Lease {
    waiting.add(1, ordering: .relaxed)
    return Lease(usage: self)
  }

  /// One operation's use of a connection: waiting, then granted, then done.
  final class Lease: Sendable {
    private let usage: PoolUsage
    private let start = ContinuousClock.now
    /// 0 waiting, 1 granted, 2 done.
    private let state = Atomic<Int>(0)

    fileprivate init(usage: PoolUsage) { self.usage = usage }

    func granted() {
      guard state.compareExchange(expected: 0, desired: 1, ordering: .relaxed).exchanged else {
        return
      }
      let waited = ContinuousClock.now - start
      usage.waiting.subtract(1, ordering: .relaxed)
      usage.inUse.add(1, ordering: .relaxed)
      usage.leases.add(1, ordering: .relaxed)
      let nanoseconds =
        waited.components.seconds * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000
      usage.waitedNanoseconds.add(UInt64(max(0, nanoseconds)), ordering: .relaxed)
    }

    func done() {
      switch state.exchange(2, ordering: .relaxed) {
      case 0: usage.waiting.subtract(1, ordering: .relaxed)
      case 1: usage.inUse.subtract(1, ordering: .relaxed)
      default: break
      }
    }
  }
}
