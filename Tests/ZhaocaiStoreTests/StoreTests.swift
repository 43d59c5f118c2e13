import Foundation
import SQLKit
import Testing
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiTestSupport

@testable import ZhaocaiStore

private struct Abort: Error {}

@Suite struct PersistentLogTests {
  @Test(arguments: Backend.available)
  func thePersistedLogMatchesTheInMemoryOneAcrossTransactions(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    var reference = MerkleLog()
    var next = 0
    for batch in [1, 5, 8, 2, 21] {
      let entries = (next..<next + batch).map { Array("entry \($0)".utf8) }
      next += batch
      let indices = try await store.transaction { database in
        try await PersistentLog.append(entries, at: 1_000, on: database)
      }
      for entry in entries { try reference.append(entry) }
      #expect(indices.last == UInt64(next - 1))
    }
    try await store.transaction { database in
      for size in UInt64(1)...UInt64(next) {
        #expect(
          try await PersistentLog.root(size: size, on: database).root == reference.root(size: size))
      }
      let root = try reference.root()
      for index in [0, 6, 13, 36] as [UInt64] {
        let proof = try await PersistentLog.inclusionProof(
          index: index, size: UInt64(next), on: database)
        let entry = try #require(try await PersistentLog.entry(index, on: database))
        try MerkleProof.verifyInclusion(
          leaf: TreeHash.leaf(entry), index: index, treeSize: UInt64(next), proof: proof, root: root
        )
      }
      let proof = try await PersistentLog.consistencyProof(from: 6, to: UInt64(next), on: database)
      try MerkleProof.verifyConsistency(
        oldSize: 6, newSize: UInt64(next), oldRoot: try reference.root(size: 6), newRoot: root,
        proof: proof)
    }
    await store.close()
  }

  @Test(arguments: Backend.available)
  func aFailedTransactionLeavesNothingBehind(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    _ = try await store.transaction {
      try await PersistentLog.append([[1], [2], [3]], at: 1, on: $0)
    }
    await #expect(throws: Abort.self) {
      try await store.transaction { database in
        _ = try await PersistentLog.append([[4], [5]], at: 2, on: database)
        throw Abort()
      }
    }
    let (size, nodes) = try await store.transaction { database in
      let size = try await PersistentLog.size(on: database)
      let nodes = try await database.raw("SELECT COUNT(*) AS n FROM log_nodes").first()!.decode(
        column: "n", as: Int.self)
      return (size, nodes)
    }
    #expect(size == 3)
    #expect(nodes == 3 + 1)  // three leaves and the node over the first two
    await store.close()
  }
}

@Suite struct ReceiptStoreTests {
  @Test(arguments: Backend.available)
  func receiptsFromTheStoreVerifyOffline(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    let signer = try NoteSigner(name: "trading.test/log", key: .init())
    _ = try await store.transaction { database in
      try await PersistentLog.append((0..<11).map { [UInt8]("e\($0)".utf8) }, at: 5, on: database)
    }
    let receipt = try await store.transaction { database in
      try await Receipts.receipt(for: 7, signer: signer, at: 99, on: database)
    }
    let checkpoint = try receipt.verify(with: signer.verifier)
    #expect(checkpoint.size == 11)
    #expect(checkpoint.extensions == ["time 99"])
    #expect(receipt.entry == Data("e7".utf8))
    await #expect(throws: MerkleError.self) {
      try await store.transaction {
        try await Receipts.receipt(for: 11, signer: signer, at: 99, on: $0)
      }
    }
    await store.close()
  }
}

/// How often a transaction's body ran.
private actor Runs {
  var count = 0
  func next() -> Int {
    count += 1
    return count
  }
}

@Suite struct ContentionTests {
  /// Two requests add the same record at once. On PostgreSQL both can find it missing; the one
  /// that inserts second is run again and finds the other's record instead of failing (SQLite
  /// runs a store's transactions one at a time, so they cannot interleave there).
  @Test(arguments: Backend.available.filter { $0 == .postgres })
  func aTransactionThatLostARaceIsRunAgainAndSeesTheWinner(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    try await store.transaction {
      try await $0.raw("CREATE TABLE race (id TEXT PRIMARY KEY)").run()
    }
    let (firstRead, didRead) = AsyncStream<Void>.makeStream()
    let (otherCommitted, didCommit) = AsyncStream<Void>.makeStream()
    let runs = Runs()
    async let first: String = store.transaction { database in
      let run = await runs.next()
      if try await database.raw("SELECT id FROM race WHERE id = 'x'").first() != nil {
        return "found"
      }
      if run == 1 {
        didRead.yield()
        for await _ in otherCommitted { break }
      }
      try await database.raw("INSERT INTO race (id) VALUES ('x')").run()
      return "inserted"
    }
    for await _ in firstRead { break }
    let second: String = try await store.transaction { database in
      #expect(try await database.raw("SELECT id FROM race WHERE id = 'x'").first() == nil)
      try await database.raw("INSERT INTO race (id) VALUES ('x')").run()
      return "inserted"
    }
    didCommit.yield()
    #expect(try await first == "found")
    #expect(second == "inserted")
    #expect(await runs.count == 2)
    await store.close()
  }

  /// A change that keeps losing (here: one that always takes a taken key) is given up after a
  /// few runs with a contention error the APIs answer as 409, and leaves nothing behind.
  @Test(arguments: Backend.available.filter { $0 == .postgres })
  func aChangeThatKeepsLosingEndsInContentionAndLeavesNothing(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    try await store.transaction {
      try await $0.raw("CREATE TABLE race (id TEXT PRIMARY KEY)").run()
      try await $0.raw("INSERT INTO race (id) VALUES ('x')").run()
    }
    let runs = Runs()
    await #expect(throws: StoreContention.self) {
      try await store.transaction { database in
        _ = await runs.next()
        try await database.raw("INSERT INTO race (id) VALUES ('y')").run()
        try await database.raw("INSERT INTO race (id) VALUES ('x')").run()
      }
    }
    #expect(await runs.count == Store.attempts)
    let ids = try await store.transaction {
      try await $0.raw("SELECT id FROM race").all().map {
        try $0.decode(column: "id", as: String.self)
      }
    }
    #expect(ids == ["x"])
    await store.close()
  }
}

/// What `/health/ready` reports: a database that holds every migration of its schema is ready;
/// one opened with fewer (an older release, a half-done upgrade) says which are missing.
@Suite struct ReadinessTests {
  @Test(arguments: Backend.available)
  func aStoreIsReadyOnlyWithEveryMigrationOfItsSchema(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    #expect(await store.unreadiness(for: .storage) == nil)
    let later = Schema(
      Schema.storage.migrations + [
        Migration(
          id: 900, name: "a later release's table", sqlite: ["CREATE TABLE later (id INTEGER)"],
          postgres: ["CREATE TABLE later (id INTEGER)"])
      ])
    #expect(await store.unreadiness(for: later) == "migrations not applied: [900]")
    await store.close()
  }
}

/// A turn (`Store.exclusively`) is one holder's at a time, across two stores on one database as
/// across two nodes on one PostgreSQL: the second finds it taken and does nothing; it is free
/// again once the first is done, or fails.
@Suite struct TurnTests {
  private struct Failed: Error {}

  @Test(arguments: Backend.available)
  func aTurnIsHeldByOneAtATime(backend: Backend) async throws {
    let location = try await backend.freshLocation()
    let first = try await Store.open(location, schema: .storage)
    let second = try await Store.open(location, schema: .storage)
    let inner = try await first.exclusively("relay:hub") {
      try await second.exclusively("relay:hub") { 1 }
    }
    #expect(inner == .some(nil))
    // Another name is another turn.
    #expect(
      try await first.exclusively("relay:hub") { try await second.exclusively("other") { 2 } }
        == 2)
    await #expect(throws: Failed.self) {
      _ = try await first.exclusively("relay:hub") { () async throws -> Int in throw Failed() }
    }
    #expect(try await second.exclusively("relay:hub") { 3 } == 3)
    await first.close()
    await second.close()
  }
}
