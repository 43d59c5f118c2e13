import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import TradingPlatform

/// The trading platform's outbox reaches the hub over real HTTP: while the hub is down the
/// tender goes on and nothing is lost; once it is up, everything arrives exactly once.
@Suite struct ExchangeRelayTests {
  @Test(arguments: Backend.available)
  func everythingArrivesOnceAfterTheHubWasDown(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let h = try await HubFixture(backend: backend)

    // The hub is down: a port nothing listens on. The tender goes on; the relay fails and
    // keeps everything pending.
    let down = ExchangeRelay(
      platform: f.platform,
      link: ExchangeLink(platformID: "trading.fz", key: h.key, hub: "http://127.0.0.1:1/api/v1"))
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      try await f.createAndPublish(with: client)
      await #expect(throws: ExchangeRelay.Failure.self) { try await down.deliver() }
    }
    let logSize = try await f.platform.store.transaction {
      try await PersistentLog.size(on: $0)
    }
    let pendingBefore = try await f.platform.store.transaction {
      try await Outbox.pending(limit: 1000, on: $0).count
    }
    #expect(UInt64(pendingBefore) == logSize)

    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await h.register(with: hubClient, approve: false)
      let relay = ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
      // Not yet approved: refused, and still pending.
      #expect(try await relay.deliver() == 0)
      try await h.approve(with: hubClient)
      #expect(try await relay.deliver(batch: 5) == 5)
      #expect(try await relay.deliver() == pendingBefore - 5)
      #expect(try await relay.deliver() == 0)
      let held = try await h.store.transaction {
        try await HubRepository.count(from: "trading.fz", on: $0)
      }
      #expect(UInt64(held) == logSize)
      // A relay that lost its marks (say, a restore from backup) sends again: duplicates only.
      try await f.platform.store.transaction { database in
        try await database.raw("UPDATE outbox SET delivered_at = NULL").run()
      }
      #expect(try await relay.deliver() == pendingBefore)
      #expect(
        try await h.store.transaction { try await HubRepository.count(from: "trading.fz", on: $0) }
          == held)
    }
    await f.platform.store.close()
    await h.store.close()
  }
}
