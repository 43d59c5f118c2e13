/// Lets one SQLite transaction of a store run at a time in this process, in arrival order.
///
/// SQLite has one writer, and every transaction here begins IMMEDIATE, so they run one at a time
/// anyway; without the gate the others would wait inside SQLite's busy handler, each holding a
/// thread of the shared blocking pool, and with every pool thread asleep there the transaction
/// holding the lock could not even commit until the busy timeout gave up (seen under `serve`).
/// Other processes are still kept out by SQLite's own locking.
actor TransactionGate {
  private var busy = false
  private var waiting: [CheckedContinuation<Void, Never>] = []

  func enter() async {
    guard busy else {
      busy = true
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  /// Hands the gate to the next in line, or opens it.
  func leave() {
    if waiting.isEmpty {
      busy = false
    } else {
      waiting.removeFirst().resume()
    }
  }
}
