import Foundation
import Logging
import PostgresKit
import Synchronization
import _ConnectionPoolModule

/// The connection pool to whichever of a location's servers takes writes now. With one server
/// it is just that server's pool (which reconnects by itself). With a primary and standbys, the
/// store looks for the server that is not in recovery (the promoted standby) and moves its pool
/// there when an operation finds its server gone or read-only, or when the monitor (a probe of
/// the server in use every second) finds it so. Operations waiting on the lost server's pool
/// fail at once, never for the pool's own minute; a failed operation is not run again (a
/// transaction cut at COMMIT may have committed); the next ones go to the new primary.
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
  private let monitor = Mutex<Task<Void, Never>?>(nil)

  /// How many connections a node keeps to its database at most.
  static let maximumConnections = 20

  private init(location: PostgresLocation, server: Int, logger: Logger) throws {
    self.location = location
    self.logger = logger
    current = Mutex(try Self.start(location, server: server, epoch: 0, logger: logger))
  }

  /// The pool to the first server that takes writes, each asked on a connection of its own
  /// first, so that a server that is down, untrusted or a standby is named now rather than
  /// after the pool's minute of retries.
  static func connect(_ location: PostgresLocation, logger: Logger) async throws
    -> PostgresPrimary
  {
    let (found, reasons) = await findWritable(location, logger: logger)
    guard let server = found else {
      throw StoreUnavailable(reason: reasons.joined(separator: "; "))
    }
    let primary = try PostgresPrimary(location: location, server: server, logger: logger)
    if location.servers.count > 1 {
      primary.monitor.withLock {
        $0 = Task { [weak primary] in
          while !Task.isCancelled {
            try? await Task.sleep(for: probeInterval)
            guard let primary, !Task.isCancelled else { return }
            await primary.checkServerInUse()
          }
        }
      }
    }
    return primary
  }

  /// How often the monitor asks the server in use whether it still takes writes.
  static let probeInterval = Duration.seconds(1)

  /// The monitor's round: nothing if the server in use answers as a primary; else the search,
  /// and if no server takes writes yet (the standby not promoted), a fresh pool on the same
  /// server, so that what waits on the old one fails now and is answered 503.
  private func checkServerInUse() async {
    let now = current.withLock { $0 }
    if await Self.probe(location, server: now.server, logger: logger).takesWrites { return }
    await moveFrom(epoch: now.epoch, orRestart: true)
  }

  /// How often the pool moved to another server.
  var moves: Int { movesMade.load(ordering: .relaxed) }
  private let movesMade = Atomic<Int>(0)

  /// Runs `body` on a connection of the current pool; an error that says the server is lost
  /// starts the search for another. While `body` runs the connection is listed under its pool,
  /// so that a move closes it. (A statement caught on the lost server was still seen to wait
  /// for ever in some runs after that close: docs/DEPLOY.md; the relay bounds its rounds.)
  func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws
    -> T
  {
    let now = current.withLock { $0 }
    do {
      return try await now.client.withConnection { connection in
        let id = ObjectIdentifier(connection)
        inUse.withLock { $0[id] = (now.epoch, connection) }
        defer { _ = inUse.withLock { $0.removeValue(forKey: id) } }
        return try await body(connection)
      }
    } catch {
      if location.servers.count > 1, Self.isServerLost(error) {
        await moveFrom(epoch: now.epoch)
      }
      throw error
    }
  }

  /// Connections in use, with the epoch of the pool they came from.
  private let inUse = Mutex<[ObjectIdentifier: (epoch: Int, connection: PostgresConnection)]>([:])

  /// Looks for the server that takes writes, once for all the operations that failed on the
  /// pool of `epoch`, and moves the pool there if it is another.
  private func moveFrom(epoch: Int, orRestart restart: Bool = false) async {
    let task: Task<Void, Never> = search.withLock { search in
      if let running = search, running.epoch == epoch { return running.task }
      let task = Task { await self.searchAndMove(from: epoch, orRestart: restart) }
      search = (epoch, task)
      return task
    }
    await task.value
  }

  private func searchAndMove(from epoch: Int, orRestart restart: Bool) async {
    guard !closed.load(ordering: .acquiring) else { return }
    let (found, _) = await Self.findWritable(location, logger: logger)
    if found == nil {
      logger.warning(
        "database: no server takes writes",
        metadata: ["servers": "\(location.servers.count)"])
    }
    let old: Current? = current.withLock { now in
      guard now.epoch == epoch, !closed.load(ordering: .acquiring) else { return nil }
      let target = found ?? now.server
      guard target != now.server || (found == nil && restart),
        let next = try? Self.start(location, server: target, epoch: epoch + 1, logger: logger)
      else { return nil }
      let old = now
      now = next
      return old
    }
    search.withLock { $0 = nil }
    guard let old else { return }
    if let found, found != old.server {
      movesMade.add(1, ordering: .relaxed)
      logger.notice(
        "database: moved to the server that takes writes",
        metadata: [
          "from": "\(location.servers[old.server])", "to": "\(location.servers[found])",
        ])
    }
    old.runner.cancel()
    // What still runs on the old pool's connections waits on a server that is gone.
    let stranded = inUse.withLock { $0.values.filter { $0.epoch <= old.epoch } }
    for (_, connection) in stranded { try? await connection.close() }
  }

  /// Stops the pool.
  func close() async {
    closed.store(true, ordering: .releasing)
    if let monitor = monitor.withLock({ $0 }) {
      monitor.cancel()
      _ = await monitor.value
    }
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

  /// The first server, in the location's order, that answers and is not in recovery, and why
  /// each one before it was passed over.
  private static func findWritable(_ location: PostgresLocation, logger: Logger) async
    -> (index: Int?, passedOver: [String])
  {
    var passedOver: [String] = []
    for index in location.servers.indices {
      let answer = await probe(location, server: index, logger: logger)
      if answer.takesWrites { return (index, passedOver) }
      passedOver.append("\(location.servers[index]) \(answer.why)")
    }
    return (nil, passedOver)
  }

  /// What a server answers on a connection of its own: whether it takes writes and, if not, why
  /// in a few words (never the server's own message, which may quote values).
  private static func probe(_ location: PostgresLocation, server index: Int, logger: Logger)
    async -> (takesWrites: Bool, why: String)
  {
    let server = location.servers[index]
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
      if recovering { logger.debug("database: \(server) is a standby") }
      return (!recovering, recovering ? "is a standby (in recovery)" : "")
    } catch {
      let detail = String(reflecting: error)
      logger.debug("database: \(server) does not answer: \(detail.prefix(300))")
      let why =
        if detail.contains("CERTIFICATE_VERIFY_FAILED") {
          "presented a certificate the configured authority did not sign (sslrootcert)"
        } else if detail.contains("sslUnsupported") {
          "offers no TLS, which sslmode requires"
        } else if detail.contains("Connection refused") {
          "refused the connection"
        } else if let sqlState = (error as? PSQLError)?.serverInfo?[.sqlState] {
          "refused the session (SQLSTATE \(sqlState): user, password or database)"
        } else {
          "does not answer"
        }
      return (false, why)
    }
  }

  /// Whether `error` says the server is gone, shutting down or only reads (a standby, or a
  /// primary demoted): errors of a statement or of the caller's own code are not.
  static func isServerLost(_ error: any Error) -> Bool {
    if error is _ConnectionPoolModule.ConnectionPoolError { return true }
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
