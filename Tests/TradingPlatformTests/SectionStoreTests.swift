import Foundation
import SQLKit
import Testing
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import TradingPlatform

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
    let store = try await backend.open(.trading)
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
      LoggedNotice.self, from: Data(pending[2].payload.utf8))
    #expect(notice.notice.kind == .tenderNotice && notice.region == terms.region)
    let logged = try JSONDecoder().decode(
      LoggedEvent.self, from: Data(pending[1].payload.utf8))
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
    let store = try await backend.open(.trading)
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
    let first = try await Store.open(location, schema: .trading)
    _ = try await SectionStore.create(try Section.draft(terms), at: 0, in: first)
    await first.close()
    let second = try await Store.open(location, schema: .trading)
    let (migrations, section) = try await second.transaction { database in
      (
        try await database.raw("SELECT COUNT(*) AS n FROM zc_migrations").first()!.decode(
          column: "n", as: Int.self),
        try await SectionRepository.load(terms.sectionID, on: database)
      )
    }
    #expect(migrations == Schema.trading.migrations.count)
    #expect(section?.section.terms == terms)
    await second.close()
  }
}

/// Migration ids are how a database knows what it has: the split of the schema by platform
/// kept every id, so databases made before it open unchanged.
@Suite struct SchemaTests {
  @Test func eachPlatformKeepsTheMigrationIdsItHad() {
    #expect(Schema.trading.migrations.map(\.id) == Array(1...24))
  }
}
