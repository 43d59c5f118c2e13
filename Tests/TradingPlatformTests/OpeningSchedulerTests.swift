import Foundation
import Testing
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import TradingPlatform

@Suite struct OpeningSchedulerTests {
  let schedule = TenderSchedule(
    documentsIssuedAt: PlatformFixture.start, saleEndsAt: PlatformFixture.start + 7 * 86_400,
    bidDeadline: PlatformFixture.deadline,
    keyHolders: (1...3).map {
      KeyHolder(name: "H\($0)", suite: "standard", sealingKey: "", keyID: "k\($0)")
    },
    threshold: 2)

  func section(_ id: String, bids: Int, objection: Bool = false, in f: PlatformFixture) async throws
  {
    let terms = SectionTerms(
      sectionID: id, name: id, estimate: Money(yuan: 1_000_000), bidBond: Money(yuan: 20_000),
      industry: "交通", region: "350100")
    let schedule = self.schedule
    let store = f.platform.store
    _ = try await SectionStore.create(
      try Section.draft(terms), at: PlatformFixture.start, in: store)
    try await SectionStore.apply(id, at: PlatformFixture.start, in: store) {
      try $0.publish(schedule, at: PlatformFixture.start)
    }
    for i in 0..<bids {
      try await SectionStore.apply(id, at: PlatformFixture.start + 86_400, in: store) {
        try $0.receiveBid(
          bidder: "B\(i)",
          SealedBidFacts(
            envelopeHash: "h\(i)", openingTime: schedule.bidDeadline,
            holderKeyIDs: schedule.keyHolders.map(\.keyID), threshold: 2),
          at: PlatformFixture.start + 86_400)
      }
    }
    if objection {
      let calendar = f.platform.calendar
      try await SectionStore.apply(id, at: PlatformFixture.start + 86_400, in: store) {
        try $0.raiseObjection(id: "OBJ", at: PlatformFixture.start + 86_400, calendar: calendar)
      }
    }
  }

  @Test(arguments: Backend.available)
  func biddingClosesAtTheDeadlineAndFewerThanThreeBidsFail(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    try await section("A", bids: 3, in: f)
    try await section("B", bids: 2, in: f)
    try await section("C", bids: 4, objection: true, in: f)
    let scheduler = OpeningScheduler(platform: f.platform)

    f.clock.set(PlatformFixture.deadline - 1)
    #expect(try await scheduler.tick().isEmpty)

    f.clock.set(PlatformFixture.deadline)
    let outcomes = try await scheduler.tick()
    #expect(outcomes == ["A": .opening, "B": .failed])
    let (c, pending) = try await f.platform.store.transaction { database in
      (
        try await SectionRepository.load("C", on: database)?.section,
        try await Outbox.pending(limit: 1000, on: database)
      )
    }
    #expect(c?.phase == .bidding)  // its objection has no answer yet
    #expect(pending.contains { $0.payload.contains("RULE_MIN_3_BIDS") })

    // Once answered, the next tick closes it; a tick with nothing due does nothing.
    try await SectionStore.apply("C", at: PlatformFixture.deadline, in: f.platform.store) {
      try $0.answerObjection(id: "OBJ", at: PlatformFixture.deadline)
    }
    f.clock.advance(seconds: 60)
    #expect(try await scheduler.tick() == ["C": .opening])
    #expect(try await scheduler.tick().isEmpty)
    await f.platform.store.close()
  }
}
