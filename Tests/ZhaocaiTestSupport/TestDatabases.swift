import Foundation
import Logging
import PostgresKit
import ZhaocaiStore

/// Test support (used by test targets only). The databases every store test runs against: SQLite always, PostgreSQL when `scripts/test`
/// has started its throwaway cluster (ZHAOCAI_TEST_POSTGRES=host:port:user).
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
  case sqlite
  case postgres

  public var description: String { rawValue }

  static let postgresServer: (host: String, port: Int, user: String)? = {
    guard let value = ProcessInfo.processInfo.environment["ZHAOCAI_TEST_POSTGRES"] else {
      return nil
    }
    let parts = value.split(separator: ":").map(String.init)
    guard parts.count == 3, let port = Int(parts[1]) else { return nil }
    return (parts[0], port, parts[2])
  }()

  /// SQLite, and PostgreSQL if a server was given.
  public static var available: [Backend] {
    postgresServer == nil ? [.sqlite] : [.sqlite, .postgres]
  }

  /// A fresh, empty database of this kind: a new file, or a new PostgreSQL database.
  public func freshLocation() async throws -> StoreLocation {
    let name = "zc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    switch self {
    case .sqlite:
      return .sqlite(
        path: FileManager.default.temporaryDirectory.appendingPathComponent(name + ".sqlite").path)
    case .postgres:
      let server = Backend.postgresServer!
      let logger = Logger(label: "test")
      let connection = try await PostgresConnection.connect(
        configuration: .init(
          host: server.host, port: server.port, username: server.user, password: nil,
          database: "postgres", tls: .disable),
        id: 1, logger: logger)
      try await connection.query(
        PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
      try await connection.close()
      return .postgres(
        host: server.host, port: server.port, username: server.user, password: nil, database: name)
    }
  }

  public func open(_ schema: Schema) async throws -> Store {
    try await Store.open(freshLocation(), schema: schema)
  }
}

extension Schema {
  /// Only what every platform's database has: the log and the outbox (for the store's own tests).
  public static let storage = Schema([StorageMigrations.log, StorageMigrations.outbox])
}
