import Foundation
import Logging
import PostgresKit
import Synchronization

/// The connection pool to whichever of a location's servers takes writes now. With one server
/// it is just that server's pool (which reconnects by itself). With a primary and standbys, an
/// operation that finds its server gone or read-only makes the store look for the server that
/// is not in recovery (the promoted standby) and move its pool there; the failed operation
/// still fails (a transaction cut at COMMIT may have committed, so it is never run again), the
/// next ones go to the new primary.
final class PostgresPrimary: Sendable {
  private struct Current: Sendable {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let server: Int
    /// Moves with each move to another server, so that of many operations failing at once
    /// only the first makes the search.
    let epoch: Int
  }

  let location: PostgresLocation
  private let logger: Logger
  private let current: Mutex<Current>
  private let search = Mutex<(epoch: Int, task: Task<Void, Never>)?>(nil)
  private let closed = Atomic<Bool>(false)

  /// How many connections a node keeps to its database at most.
  static let maximumConnections = 20

  private init(location: PostgresLocation, server: Int, logger: Logger) throws {
    self.location = location
    self.logger = logger
    current = Mutex(try Self.start(location, server: server, epoch: 0, logger: logger))
  }

  /// The pool to the first server that takes writes; with one server, that server's pool
  /// whatever it answers now (it is asked at the first operation).
  static func connect(_ location: PostgresLocation, logger: Logger) async throws
    -> PostgresPrimary
  {
    var server = 0
    if location.servers.count > 1 {
      guard let writable = await findWritable(location, logger: logger) else {
        throw StoreUnavailable(
          reason: "none of \(location.servers.map(\.description).joined(separator: ", ")) "
            + "takes writes")
      }
      server = writable
    }
    return try PostgresPrimary(location: location, server: server, logger: logger)
  }

  /// The server in use now (for logs and metrics).
  var server: PostgresLocation.Server { location.servers[current.withLock { $0.server }] }

  /// How often the pool moved to another server.
  var moves: Int { current.withLock { $0.epoch } }

  /// Runs `body` with the current pool; an error that says the server is lost starts the
  /// search for another.
  func with<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
    let now = current.withLock { $0 }
    do {
      return try await body(now.client)
    } catch {
      if location.servers.count > 1, Self.isServerLost(error) {
        await moveFrom(epoch: now.epoch)
      }
      throw error
    }
  }

  /// Looks for the server that takes writes, once for all the operations that failed on the
  /// pool of `epoch`, and moves the pool there if it is another.
  private func moveFrom(epoch: Int) async {
    let task: Task<Void, Never> = search.withLock { search in
      if let running = search, running.epoch == epoch { return running.task }
      let task = Task { await self.searchAndMove(from: epoch) }
      search = (epoch, task)
      return task
    }
    await task.value
  }

  private func searchAndMove(from epoch: Int) async {
    guard !closed.load(ordering: .acquiring) else { return }
    guard let found = await Self.findWritable(location, logger: logger) else {
      logger.warning(
        "database: no server takes writes; will look again at the next failure",
        metadata: ["servers": "\(location.servers.count)"])
      return
    }
    let old: Current? = current.withLock { now in
      guard now.epoch == epoch, now.server != found,
        let next = try? Self.start(location, server: found, epoch: epoch + 1, logger: logger)
      else { return nil }
      let old = now
      now = next
      return old
    }
    guard let old else { return }
    logger.notice(
      "database: moved to the server that takes writes",
      metadata: [
        "from": "\(location.servers[old.server])", "to": "\(location.servers[found])",
      ])
    old.runner.cancel()
    search.withLock { $0 = nil }
  }

  /// Stops the pool.
  func close() async {
    closed.store(true, ordering: .releasing)
    let now = current.withLock { $0 }
    now.runner.cancel()
    _ = await now.runner.value
    if let running = search.withLock({ $0 }) { _ = await running.task.value }
    // A search that moved after the first cancel started another pool.
    let last = current.withLock { $0 }
    last.runner.cancel()
    _ = await last.runner.value
  }

  private static func start(
    _ location: PostgresLocation, server: Int, epoch: Int, logger: Logger
  ) throws -> Current {
    var configuration = PostgresClient.Configuration(
      host: location.servers[server].host, port: location.servers[server].port,
      username: location.username, password: location.password, database: location.database,
      tls: try tls(location))
    configuration.options.maximumConnections = maximumConnections
    if location.servers.count > 1 {
      // A primary that is gone should be noticed soon: the standby is waiting.
      configuration.options.connectTimeout = .seconds(3)
    }
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return Current(
      client: client, runner: Task { await client.run() }, server: server, epoch: epoch)
  }

  private static func tls(_ location: PostgresLocation) throws -> PostgresClient.Configuration.TLS {
    guard let configuration = try tlsConfiguration(location) else { return .disable }
    return .require(configuration)
  }

  /// How connections are encrypted and checked; nil: not encrypted.
  private static func tlsConfiguration(_ location: PostgresLocation) throws -> TLSConfiguration? {
    var configuration = TLSConfiguration.makeClientConfiguration()
    switch location.tls {
    case .disable: return nil
    case .require: configuration.certificateVerification = .none
    case .verifyFull:
      configuration.certificateVerification = .fullVerification
      if let root = location.rootCertificate {
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(root))
      }
    }
    return configuration
  }

  /// The first server, in the location's order, that answers and is not in recovery.
  private static func findWritable(_ location: PostgresLocation, logger: Logger) async -> Int? {
    for (index, server) in location.servers.enumerated() {
      do {
        var configuration = PostgresConnection.Configuration(
          host: server.host, port: server.port, username: location.username,
          password: location.password, database: location.database, tls: .disable)
        if let tls = try tlsConfiguration(location) {
          configuration.tls = .require(try NIOSSLContext(configuration: tls))
        }
        configuration.options.connectTimeout = .seconds(3)
        let connection = try await PostgresConnection.connect(
          configuration: configuration, id: index, logger: logger)
        var recovering = true
        do {
          let rows = try await connection.query("SELECT pg_is_in_recovery()", logger: logger)
          for try await value in rows.decode(Bool.self) { recovering = value }
        } catch {
          try? await connection.close()
          throw error
        }
        try? await connection.close()
        if !recovering { return index }
        logger.info("database: \(server) is a standby")
      } catch {
        logger.info("database: \(server) does not answer: \(String(reflecting: error).prefix(300))")
      }
    }
    return nil
  }

  /// Whether `error` says the server is gone, shutting down or only reads (a standby, or a
  /// primary demoted): errors of a statement or of the caller's own code are not.
  static func isServerLost(_ error: any Error) -> Bool {
    if let error = error as? PostgresTransactionError {
      return [error.beginError, error.commitError, error.closureError].contains {
        $0.map(isServerLost) ?? false
      }
    }
    if error is ConnectionPoolError { return true }
    guard let error = error as? PSQLError else { return false }
    switch error.code {
    case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection:
      return true
    case .server:
      let state = error.serverInfo?[.sqlState] ?? ""
      // read_only_sql_transaction, admin/crash shutdown, cannot connect now, connection errors.
      return ["25006", "57P01", "57P02", "57P03"].contains(state) || state.hasPrefix("08")
    default:
      return false
    }
  }
}

/// The database cannot be used now (no server takes writes); the platform answers 503.
public struct StoreUnavailable: Error, Sendable, CustomStringConvertible {
  public let reason: String
  public var description: String { "the database is unavailable: \(reason)" }
}
