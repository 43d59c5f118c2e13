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
    let store = try await backend.open()
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
    let store = try await backend.open()
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

@Suite struct SectionStoreTests {
  let terms = SectionTerms(
    sectionID: "ZC-2026-0042-1", name: "主体工程", estimate: Money(yuan: 50_000_000),
    bidBond: Money(yuan: 800_000), industry: "住建", region: "350100")
  let schedule = TenderSchedule(
    documentsIssuedAt: 1_793_581_200, saleEndsAt: 1_794_229_200, bidDeadline: 1_795_743_000,
    keyHolders: (1...3).map {
      KeyHolder(name: "H\($0)", suite: "standard", sealingKey: "", keyID: "k\($0)")
    },
    threshold: 2)

  @Test(arguments: Backend.available)
  func eachTransitionSavesStateLogAndOutboxTogether(backend: Backend) async throws {
    let store = try await backend.open()
    let id = terms.sectionID
    _ = try await SectionStore.create(try Section.draft(terms), at: 1_793_500_000, in: store)
    let schedule = self.schedule
    try await SectionStore.apply(id, at: 1_793_581_200, in: store) {
      try $0.publish(schedule, at: 1_793_581_200)
    }

    let (stored, pending, size) = try await store.transaction { database in
      (
        try await SectionRepository.load(id, on: database), try await Outbox.pending(on: database),
        try await PersistentLog.size(on: database)
      )
    }
    #expect(stored?.section.phase == .bidding)
    #expect(stored?.version == 2)
    // drafted; published; the tender notice it published, an entry of its own.
    #expect(size == 3)
    #expect(pending.map(\.logIndex) == [0, 1, 2])
    #expect(pending.map(\.topic) == ["section.event", "section.event", "notice.published"])
    #expect(pending[1].payload.contains("\"published\""))
    let notice = try JSONDecoder().decode(
      SectionStore.LoggedNotice.self, from: Data(pending[2].payload.utf8))
    #expect(notice.notice.kind == .tenderNotice && notice.region == terms.region)
    let logged = try JSONDecoder().decode(
      SectionStore.LoggedEvent.self, from: Data(pending[1].payload.utf8))
    #expect(logged.event == .published(schedule: schedule, at: 1_793_581_200))

    // A refused transition changes nothing: no state, no log entry, no message.
    await #expect(throws: DomainError.self) {
      try await SectionStore.apply(id, at: 1_793_600_000, in: store) {
        try $0.publish(schedule, at: 1_793_600_000)
      }
    }
    let after = try await store.transaction { database in
      (
        try await SectionRepository.load(id, on: database)?.version,
        try await Outbox.pending(on: database).count,
        try await PersistentLog.size(on: database)
      )
    }
    #expect(after.0 == 2 && after.1 == 3 && after.2 == 3)
    await store.close()
  }

  @Test(arguments: Backend.available)
  func aStaleWriterCannotOverwrite(backend: Backend) async throws {
    let store = try await backend.open()
    let draft = try Section.draft(terms)
    _ = try await SectionStore.create(draft, at: 0, in: store)
    try await store.transaction { database in
      _ = try await SectionRepository.save(draft.section, expected: 1, at: 1, on: database)
    }
    await #expect(throws: SectionRepository.ConcurrentUpdate(sectionID: terms.sectionID)) {
      try await store.transaction { database in
        try await SectionRepository.save(draft.section, expected: 1, at: 2, on: database)
      }
    }
    await store.close()
  }

  @Test(arguments: Backend.available)
  func migrationsRunOnceAndDataSurvivesReopening(backend: Backend) async throws {
    let location = try await backend.freshLocation()
    let first = try await Store.open(location)
    _ = try await SectionStore.create(try Section.draft(terms), at: 0, in: first)
    await first.close()
    let second = try await Store.open(location)
    let (migrations, section) = try await second.transaction { database in
      (
        try await database.raw("SELECT COUNT(*) AS n FROM zc_migrations").first()!.decode(
          column: "n", as: Int.self),
        try await SectionRepository.load(terms.sectionID, on: database)
      )
    }
    #expect(migrations == Migrations.all.count)
    #expect(section?.section.terms == terms)
    await second.close()
  }
}

@Suite struct ReceiptStoreTests {
  @Test(arguments: Backend.available)
  func receiptsFromTheStoreVerifyOffline(backend: Backend) async throws {
    let store = try await backend.open()
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
    let store = try await backend.open()
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
    let store = try await backend.open()
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

  /// Two supervision orders issued at once on PostgreSQL: the second waits for the first's place
  /// in the issue order and is run again for the next, so the trading platform receives them in
  /// one order (before, both could take the same place).
  @Test(arguments: Backend.available.filter { $0 == .postgres })
  func ordersIssuedAtOnceTakeDistinctPlaces(backend: Backend) async throws {
    let store = try await backend.open(.supervision)
    func order(_ id: String) -> SupervisionOrder {
      SupervisionOrder(
        id: id, section: "S1", kind: .correct, reason: "条例62", department: "fz-zj",
        issuedBy: "fz-zj-1", issuedAt: 1_795_743_000)
    }
    let (firstIssued, didIssue) = AsyncStream<Void>.makeStream()
    let (mayCommit, letCommit) = AsyncStream<Void>.makeStream()
    async let first: Void = store.transaction { database in
      try await IssuedOrderRepository.issue(order("ORD-1"), platform: "trading.fz", on: database)
      didIssue.yield()
      for await _ in mayCommit { break }
    }
    for await _ in firstIssued { break }
    let finished = Runs()
    let second = Task {
      try await store.transaction {
        try await IssuedOrderRepository.issue(order("ORD-2"), platform: "trading.fz", on: $0)
      }
      _ = await finished.next()
    }
    // The first commits once the second waits for it on the key, or (without the key) is done.
    while await finished.count == 0 {
      let waiting = try await store.transaction {
        try await $0.raw(
          "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
      }
      if waiting > 0 { break }
      await Task.yield()
    }
    letCommit.yield()
    try await first
    try await second.value
    let places = try await store.transaction {
      try await $0.raw("SELECT id, seq FROM sup_orders ORDER BY seq, id").all().map {
        "\(try $0.decode(column: "id", as: String.self))@\(try $0.decode(column: "seq", as: Int.self))"
      }
    }
    #expect(places == ["ORD-1@1", "ORD-2@2"])
    await store.close()
  }
}
