import SQLiteKit

/// The SQLite connections a store reads through, beside its one writing connection.
///
/// In WAL mode readers do not wait for the writer nor it for them, so a read that needs no write
/// lock does not queue behind the transactions of `TransactionGate`; at most `capacity`
/// connections are open, the rest wait their turn here rather than in SQLite's busy handler.
actor ReaderPool {
  private let capacity: Int
  private let open: @Sendable () async throws -> SQLiteConnection
  private var idle: [SQLiteConnection] = []
  private var opened = 0
  private var waiting: [CheckedContinuation<SQLiteConnection?, Never>] = []
  private var closed = false

  init(capacity: Int, open: @escaping @Sendable () async throws -> SQLiteConnection) {
    self.capacity = capacity
    self.open = open
  }

  /// A connection to read on, opened if none is idle and the pool is not full.
  func take() async throws -> SQLiteConnection {
    // After close a new connection would never be closed again.
    guard !closed else { throw StoreClosed() }
    if let connection = idle.popLast() { return connection }
    guard opened >= capacity else {
      opened += 1
      do {
        return try await open()
      } catch {
        opened -= 1
        throw error
      }
    }
    if let handed = await withCheckedContinuation({ waiting.append($0) }) { return handed }
    // Handed nothing: the one it waited for was dropped; open its replacement.
    return try await take()
  }

  /// Gives a connection back; a broken one is closed and its place freed.
  func give(_ connection: SQLiteConnection, broken: Bool) async {
    if broken || closed {
      opened -= 1
      try? await connection.close()
      if !waiting.isEmpty { waiting.removeFirst().resume(returning: nil) }
      return
    }
    if waiting.isEmpty {
      idle.append(connection)
    } else {
      waiting.removeFirst().resume(returning: connection)
    }
  }

  /// Closes the idle connections; the ones in use are closed as they come back.
  func close() async {
    closed = true
    let connections = idle
    idle = []
    opened -= connections.count
    for connection in connections { try? await connection.close() }
  }
}
