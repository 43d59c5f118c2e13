import SQLKit
import Synchronization
import Testing
import ZhaocaiTestSupport

@testable import ZhaocaiStore

@Suite struct ReadTests {
  private func size(_ store: Store) async throws -> UInt64 {
    try await store.read { try await PersistentLog.size(on: $0) }
  }

  /// A job or a request that runs as the platform stops finds the store closed, instead of
  /// opening a connection nothing would close (a debug build trapped on freeing it).
  @Test func aClosedSQLiteStoreNeitherReadsNorWrites() async throws {
    let store = try await Backend.sqlite.open(.storage)
    _ = try await store.transaction { try await PersistentLog.append([[1]], at: 1, on: $0) }
    #expect(try await size(store) == 1)
    await store.close()
    await #expect(throws: StoreClosed.self) {
      try await store.transaction { try await PersistentLog.append([[2]], at: 2, on: $0) }
    }
    await #expect(throws: StoreClosed.self) { try await size(store) }
  }

  @Test(arguments: Backend.available)
  func aReadSeesEveryCommitBeforeItAndNothingOfAFailedOne(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    #expect(try await size(store) == 0)
    _ = try await store.transaction { try await PersistentLog.append([[1], [2]], at: 1, on: $0) }
    #expect(try await size(store) == 2)
    struct Abort: Error {}
    await #expect(throws: Abort.self) {
      try await store.transaction { database in
        _ = try await PersistentLog.append([[3]], at: 2, on: database)
        throw Abort()
      }
    }
    #expect(try await size(store) == 2)
    await store.close()
  }

  @Test(arguments: Backend.available)
  func aReadCannotWrite(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    await #expect(throws: (any Error).self) {
      try await store.read { try await PersistentLog.append([[9]], at: 1, on: $0) }
    }
    #expect(try await size(store) == 0)
    await store.close()
  }

  @Test(arguments: Backend.available)
  func manyReadsAtOnceWhileWritingAllAnswer(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    let sizes = try await withThrowingTaskGroup(of: UInt64.self) { group in
      for i in 0..<40 {
        if i % 4 == 0 {
          group.addTask {
            _ = try await store.transaction {
              try await PersistentLog.append([[UInt8(i)]], at: 1, on: $0)
            }
            return 0
          }
        } else {
          group.addTask { try await self.size(store) }
        }
      }
      return try await group.reduce(into: [UInt64]()) { $0.append($1) }
    }
    #expect(sizes.count == 40)
    #expect(sizes.allSatisfy { $0 <= 10 })
    #expect(try await size(store) == 10)
    await store.close()
  }

  @Test(arguments: Backend.available)
  func aCachedAnswerIsReadAgainOnceTheStoreCommits(backend: Backend) async throws {
    let store = try await backend.open(.storage)
    let cache = ReadCache<UInt64>()
    let reads = Counter()
    let read: (any SQLDatabase) async throws -> UInt64 = {
      reads.increment()
      return try await PersistentLog.size(on: $0)
    }
    #expect(try await cache.value("size", on: store, read) == 0)
    #expect(try await cache.value("size", on: store, read) == 0)
    _ = try await store.transaction { try await PersistentLog.append([[1]], at: 1, on: $0) }
    #expect(try await cache.value("size", on: store, read) == 1)
    switch store.flavour {
    case .sqlite: #expect(reads.value == 2)  // kept between commits
    case .postgres: #expect(reads.value == 3)  // other nodes write: nothing kept
    }
    await store.close()
  }
}

/// Counts calls from a closure the cache may run.
private final class Counter: Sendable {
  private let count = Mutex<Int>(0)
  func increment() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}
