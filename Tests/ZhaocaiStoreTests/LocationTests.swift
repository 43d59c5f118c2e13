import Foundation
import Testing
import ZhaocaiTestSupport

@testable import ZhaocaiStore

/// Database URLs as an operator writes them: libpq's forms are understood, a primary with its
/// standbys, TLS; anything not understood is refused by name, and a password is never quoted.
@Suite struct DatabaseURLTests {
  @Test func aPrimaryWithItsStandbysAndTLS() throws {
    let location = try StoreLocation(
      url: "postgresql://zc%40fz:p%2Fss@db1.fz.gov.cn,10.0.0.2:5433,[::1]:6543/zhao%20cai"
        + "?sslmode=verify-full&sslrootcert=/etc/zhaocai/db-ca.pem&target_session_attrs=read-write")
    let expected = PostgresLocation(
      servers: [
        .init(host: "db1.fz.gov.cn"), .init(host: "10.0.0.2", port: 5433),
        .init(host: "::1", port: 6543),
      ],
      username: "zc@fz", password: "p/ss", database: "zhao cai", tls: .verifyFull,
      rootCertificate: "/etc/zhaocai/db-ca.pem")
    #expect(location == .postgres(expected))
    #expect(
      location.redacted
        == "postgres://zc@fz@db1.fz.gov.cn:5432,10.0.0.2:5433,[::1]:6543/zhao cai?sslmode=verify-full"
    )
  }

  @Test func oneServerAsBefore() throws {
    #expect(
      try StoreLocation(url: "postgres://zhaocai@127.0.0.1/trading")
        == .postgres(
          host: "127.0.0.1", port: 5432, username: "zhaocai", password: nil, database: "trading"))
    #expect(
      try StoreLocation(url: "sqlite:data/trading.sqlite", relativeTo: "/srv")
        == .sqlite(path: "/srv/data/trading.sqlite"))
  }

  @Test(arguments: [
    (
      "postgres://zc:secret@db/trading?sslmode=prefer", "sslmode is disable, require or verify-full"
    ),
    ("postgres://zc:secret@db/trading?connect_timeout=3", "an unknown parameter 'connect_timeout'"),
    (
      "postgres://zc:secret@db/trading?sslrootcert=/ca.pem", "sslrootcert needs sslmode=verify-full"
    ),
    ("postgres://zc:secret@db1,,db2/trading", "a malformed host or port"),
    ("postgres://zc:secret@db:70000/trading", "a malformed host or port"),
    ("postgres://zc:secret@db;rm/trading", "a malformed host or port"),
    ("postgres://zc:secret@db", "no database"),
    ("postgres://db/trading", "no user"),
    ("mysql://zc:secret@db/trading", "not a database URL"),
    (
      "postgres://zc:secret@" + Array(repeating: "db", count: 9).joined(separator: ",") + "/t",
      "more than 8 servers"
    ),
  ])
  func whatIsNotUnderstoodIsRefusedWithoutThePassword(url: String, reason: String) {
    #expect {
      _ = try StoreLocation(url: url)
    } throws: { error in
      guard let error = error as? StoreLocation.URLError else { return false }
      return error.reason == reason && !error.description.contains("secret")
    }
  }

  @Test func aHugeURLIsRefusedWithoutBeingEchoed() {
    let url = "postgres://zc@db/" + String(repeating: "x", count: 10_000)
    #expect {
      _ = try StoreLocation(url: url)
    } throws: { error in
      (error as? StoreLocation.URLError).map { $0.description.count < 400 } ?? false
    }
  }
}

/// A store on a primary and its standbys uses the server that takes writes: servers that do not
/// answer are passed over, and a location where none answers is refused when opened.
@Suite struct ServerChoiceTests {
  @Test(arguments: Backend.available.filter { $0 == .postgres })
  func aServerThatDoesNotAnswerIsPassedOver(backend: Backend) async throws {
    guard case .postgres(var location) = try await backend.freshLocation() else { return }
    let live = location.servers[0]
    location.servers = [.init(host: "127.0.0.1", port: LoopbackPorts.free(1)[0]), live]
    let store = try await Store.open(.postgres(location), schema: .storage)
    _ = try await store.transaction { try await PersistentLog.append([[1]], at: 1, on: $0) }
    #expect(try await store.read { try await PersistentLog.size(on: $0) } == 1)
    #expect(store.failovers == 0)
    #expect(store.usage.snapshot.leases >= 2 && store.usage.snapshot.inUse == 0)
    await store.close()
  }

  @Test(arguments: Backend.available.filter { $0 == .postgres })
  func noServerThatTakesWritesIsAnErrorAtOpening(backend: Backend) async throws {
    guard case .postgres(var location) = try await backend.freshLocation() else { return }
    location.servers = LoopbackPorts.free(2).map { .init(host: "127.0.0.1", port: $0) }
    let refused = await #expect(throws: StoreUnavailable.self) {
      _ = try await Store.open(.postgres(location), schema: .storage)
    }
    #expect(refused?.reason.components(separatedBy: "refused the connection").count == 3)
  }

  /// TLS required of a server that offers none: the store does not fall back to plain text.
  @Test(arguments: Backend.available.filter { $0 == .postgres })
  func requiredTLSIsNeverDowngraded(backend: Backend) async throws {
    guard case .postgres(var location) = try await backend.freshLocation() else { return }
    location.tls = .require
    let refused = await #expect(throws: StoreUnavailable.self) {
      _ = try await Store.open(.postgres(location), schema: .storage)
    }
    #expect(refused?.reason.contains("offers no TLS, which sslmode requires") == true)
  }
}
