import Foundation
import Logging
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization

/// Where a platform keeps its data.
public enum StoreLocation: Sendable, Equatable {
  /// The embedded default: one SQLite file in WAL mode.
  case sqlite(path: String)
  /// A server, or a primary with its standbys.
  case postgres(PostgresLocation)
}

/// Which SQL a statement must be written in.
public enum SQLFlavour: Sendable {
  case sqlite
  case postgres
}

/// A platform's database, SQLite or PostgreSQL, used through SQLKit with bound parameters.
///
/// Every change goes through `transaction`, so a state change, its log entries and its outbox
/// rows commit together or not at all.
public final class Store: Sendable {
  private enum Backend: Sendable {
    case sqlite(path: String)
    case postgres(PostgresPrimary)
  }

  private let backend: Backend
  /// What the connections are doing, for the metrics.
  public let usage = PoolUsage()
  private let gate = TransactionGate()
  /// SQLite: the connections reads run on, so they need not wait for the gate.
  private let readers: ReaderPool?
  /// SQLite: the one connection every transaction of this store uses, opened at the first and
  /// kept (opening one per transaction read the schema and closed it again each time); only
  /// touched while the gate is held (the mutex only makes that visible to the compiler).
  private let kept = Mutex<SQLiteConnection?>(nil)
  /// SQLite: set by `close()`; a transaction after it fails rather than open a connection that
  /// nothing would close again (a debug build traps when such a connection is freed).
  private let closed = Atomic<Bool>(false)
  /// SQLite: how many transactions this store has committed. Only this process writes an
  /// embedded database, so an answer read at one count stays true until the count moves.
  private let commits = Atomic<UInt64>(0)
  public let flavour: SQLFlavour
  let logger: Logger

  private init(backend: Backend, logger: Logger) {
    self.backend = backend
    self.logger = logger
    switch backend {
    case .sqlite(let path):
      flavour = .sqlite
      readers = ReaderPool(capacity: Self.readerCapacity) {
        let connection = try await Self.openSQLite(path, logger: logger)
        do {
          // A read that tried to write would be a bug here; SQLite refuses it.
          _ = try await connection.query("PRAGMA query_only=ON")
        } catch {
          try? await connection.close()
          throw error
        }
        return connection
      }
    case .postgres:
      flavour = .postgres
      readers = nil
    }
  }

  /// Opens the database and brings its schema up to date.
  public static func open(
    _ location: StoreLocation, schema: Schema,
    logger: Logger = Logger(label: "zhaocai.store")
  ) async throws -> Store {
    let store: Store
    switch location {
    case .sqlite(let path):
      store = Store(backend: .sqlite(path: path), logger: logger)
      try await store.withSQLiteConnection { connection in
        _ = try await connection.query("PRAGMA journal_mode=WAL")
      }
    case .postgres(let location):
      let primary = try await PostgresPrimary.connect(location, logger: logger)
      store = Store(backend: .postgres(primary), logger: logger)
    }
    try await Migrator.apply(schema.migrations, to: store)
    return store
  }

  /// Runs `body` in one transaction: all of it commits, or none of it does. On PostgreSQL a
  /// body that lost a race to a concurrent transaction is run again, so a body must change
  /// nothing outside the database it is given.
  public func transaction<T: Sendable>(
    _ body: (any SQLDatabase) async throws -> T
  ) async throws -> T {
    switch backend {
    case .sqlite:
      let lease = usage.request()
      defer { lease.done() }
      await gate.enter()
      lease.granted()
      do {
        let result = try await sqliteTransaction(body)
        commits.add(1, ordering: .releasing)
        await gate.leave()
        return result
      } catch {
        await gate.leave()
        throw error
      }
    case .postgres(let primary):
      // Under read committed two transactions can both find a row missing and both insert it
      // (or lock two rows in opposite orders): the loser is run again, finds the winner's row
      // and answers as if the two had come one after the other, instead of failing.
      for attempt in 1... {
        do {
          return try await postgresTransaction(primary, body)
        } catch let error where Self.isContention(error) {
          guard attempt < Self.attempts else {
            // Only the state: the server's message may quote the values of the row.
            logger.error(
              "transaction given up after contention",
              metadata: ["attempts": "\(attempt)", "sqlState": "\(Self.sqlState(error) ?? "")"])
            throw StoreContention()
          }
          logger.debug(
            "transaction run again after contention", metadata: ["attempt": "\(attempt)"])
        }
      }
      preconditionFailure("unreachable")
    }
  }

  /// Runs `body`, which only reads, on one consistent view of the database. On SQLite it runs
  /// beside the writing transaction instead of after it (WAL readers see the last commit); on
  /// PostgreSQL it is a transaction that is never run again.
  public func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
    switch backend {
    case .sqlite:
      guard let readers else { preconditionFailure("SQLite without readers") }
      let lease = usage.request()
      defer { lease.done() }
      let connection = try await readers.take()
      lease.granted()
      let database = connection.sql()
      do {
        try await database.raw("BEGIN").run()
        let result = try await body(database)
        try await database.raw("COMMIT").run()
        await readers.give(connection, broken: false)
        return result
      } catch {
        let rolledBack = (try? await database.raw("ROLLBACK").run()) != nil
        await readers.give(connection, broken: !rolledBack || connection.isClosed)
        throw error
      }
    case .postgres(let primary):
      return try await postgresTransaction(primary) { database in
        try await database.raw("SET TRANSACTION READ ONLY").run()
        return try await body(database)
      }
    }
  }

  /// A count that moves whenever the data may have changed, if the store can know it: on SQLite
  /// the commits of this process; nil on PostgreSQL, where other nodes write too.
  public var generation: UInt64? {
    switch backend {
    case .sqlite: commits.load(ordering: .acquiring)
    case .postgres: nil
    }
  }

  /// How many connections the store holds at most: the PostgreSQL pool's maximum, or the
  /// SQLite writer and its readers.
  public var maximumConnections: Int {
    switch backend {
    case .sqlite: 1 + Self.readerCapacity
    case .postgres: PostgresPrimary.maximumConnections
    }
  }

  /// Whether `error` says the database cannot be used now (its server gone, shutting down or
  /// read-only, no server taking writes), not that an operation was wrong.
  public static func isUnavailable(_ error: any Error) -> Bool {
    error is StoreUnavailable || PostgresPrimary.isServerLost(error)
  }

  /// PostgreSQL: how often the store moved to another server because its primary was lost.
  public var failovers: Int {
    switch backend {
    case .sqlite: 0
    case .postgres(let primary): primary.moves
    }
  }

  /// How many SQLite connections read at once: the blocking pool has a thread per core, so more
  /// would only wait there.
  static let readerCapacity = max(2, ProcessInfo.processInfo.activeProcessorCount)

  /// How often a transaction that lost a race to a concurrent one is run in all.
  static let attempts = 4

  /// BEGIN, the body, COMMIT on one connection (ROLLBACK if the body throws), on a connection
  /// the primary lists while it is in use (so a move can close it); errors are the statements'
  /// own, which is what the contention check reads.
  private func postgresTransaction<T: Sendable>(
    _ primary: PostgresPrimary, _ body: (any SQLDatabase) async throws -> T
  ) async throws -> T {
    let lease = usage.request()
    defer { lease.done() }
    return try await primary.withConnection { connection in
      lease.granted()
      try await connection.query("BEGIN", logger: logger)
      let value: T
      do {
        value = try await body(connection.sql())
      } catch {
        // The caller sees its own error once the rollback has succeeded; a failed rollback
        // means the connection is broken, which the pool finds out itself.
        _ = try? await connection.query("ROLLBACK", logger: logger)
        throw error
      }
      try await connection.query("COMMIT", logger: logger)
      return value
    }
  }

  /// A unique key taken, a serialization failure or a deadlock: lost to a concurrent transaction.
  private static func isContention(_ error: any Error) -> Bool {
    guard let state = sqlState(error) else { return false }
    return [
      PostgresError.Code.uniqueViolation, .serializationFailure, .deadlockDetected,
    ].contains(PostgresError.Code(raw: state))
  }

  private static func sqlState(_ error: any Error) -> String? {
    (error as? PSQLError)?.serverInfo?[.sqlState]
  }

  /// Stops the connection pool, or closes the SQLite connection.
  public func close() async {
    if case .postgres(let primary) = backend { await primary.close() }
    if case .sqlite = backend {
      closed.store(true, ordering: .releasing)
      await readers?.close()
      await gate.enter()
      if let connection = kept.withLock({ $0 }) { try? await connection.close() }
      kept.withLock { $0 = nil }
      await gate.leave()
    }
  }

  /// Runs with the gate held.
  private func sqliteTransaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T)
    async throws -> T
  {
    let connection = try await keptConnection()
    let database = connection.sql()
    // IMMEDIATE takes the write lock at once, so two writers never both read a stale state.
    try await database.raw("BEGIN IMMEDIATE").run()
    do {
      let result = try await body(database)
      try await database.raw("COMMIT").run()
      return result
    } catch {
      do {
        try await database.raw("ROLLBACK").run()
      } catch {
        // A connection that cannot even roll back is not used again.
        try? await connection.close()
        kept.withLock { $0 = nil }
      }
      throw error
    }
  }

  /// The kept connection, opened if there is none (run with the gate held).
  private func keptConnection() async throws -> SQLiteConnection {
    if let connection = kept.withLock({ $0 }), !connection.isClosed { return connection }
    guard !closed.load(ordering: .acquiring) else { throw StoreClosed() }
    let connection = try await openSQLite()
    do {
      _ = try await connection.query("PRAGMA foreign_keys=ON")
    } catch {
      try? await connection.close()
      throw error
    }
    kept.withLock { $0 = connection }
    return connection
  }

  private func openSQLite() async throws -> SQLiteConnection {
    guard case .sqlite(let path) = backend else { preconditionFailure("not SQLite") }
    return try await Self.openSQLite(path, logger: logger)
  }

  private static func openSQLite(_ path: String, logger: Logger) async throws -> SQLiteConnection {
    let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
    do {
      _ = try await connection.query("PRAGMA busy_timeout=10000")
    } catch {
      try? await connection.close()
      throw error
    }
    return connection
  }

  private func withSQLiteConnection<T: Sendable>(
    _ body: (SQLiteConnection) async throws -> T
  ) async throws -> T {
    let connection = try await openSQLite()
    do {
      let result = try await body(connection)
      try await connection.close()
      return result
    } catch {
      try? await connection.close()
      throw error
    }
  }
}

/// The store was closed (the platform is stopping): nothing more is read or written.
public struct StoreClosed: Error, Sendable {}

/// A change the database kept refusing because concurrent requests changed the same records,
/// however often it was run again; sending it again later may succeed.
public struct StoreContention: Error, Sendable {}

extension Store {
  /// Turns held by this process on SQLite files, by file and name.
  private static let heldTurns = Mutex<Set<String>>([])

  /// Runs `body` only if no one else — no other node on the same PostgreSQL database, no other
  /// task of this process — holds the turn `name` now; nil if someone does (the caller's round
  /// is theirs). On PostgreSQL the turn is a session advisory lock on one pooled connection, so
  /// a node that dies holding it (kill -9) releases it with its connection. Several nodes need
  /// PostgreSQL: on SQLite the turn is only this process's.
  public func exclusively<T: Sendable>(
    _ name: String, _ body: @Sendable () async throws -> T
  ) async throws -> T? {
    switch backend {
    case .sqlite(let path):
      let key = path + "#" + name
      let taken = Self.heldTurns.withLock { $0.insert(key).inserted }
      guard taken else { return nil }
      defer { _ = Self.heldTurns.withLock { $0.remove(key) } }
      return try await body()
    case .postgres(let primary):
      let key = Self.lockKey(name)
      let lease = usage.request()
      defer { lease.done() }
      return try await primary.withConnection { connection in
        lease.granted()
        let rows = try await connection.query(
          "SELECT pg_try_advisory_lock(\(key)) AS taken", logger: logger)
        var taken = false
        for try await (value) in rows.decode(Bool.self) { taken = value }
        guard taken else { return nil }
        do {
          let result = try await body()
          _ = try? await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
          return result
        } catch {
          _ = try? await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
          throw error
        }
      }
    }
  }

  /// A stable 64-bit advisory lock key for a turn's name (FNV-1a: the same on every node).
  static func lockKey(_ name: String) -> Int64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in ("zhaocai:" + name).utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return Int64(bitPattern: hash)
  }
}
