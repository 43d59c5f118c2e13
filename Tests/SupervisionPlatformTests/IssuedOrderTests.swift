import Foundation
import SQLKit
import Testing
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import SupervisionPlatform

@Suite struct IssuedOrderTests {
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

private actor Runs {
  var count = 0
  func next() -> Int {
    count += 1
    return count
  }
}

@Suite struct SupervisionSchemaTests {
  /// The split of the schema by platform kept every id; a supervision database made before it
  /// also holds ids 9, 10, 16 and 17 (copies nothing here reads), which it keeps.
  @Test func theSupervisionPlatformKeepsItsMigrationIds() {
    #expect(Schema.supervision.migrations.map(\.id) == [1, 2, 15] + Array(201...207))
  }
}
