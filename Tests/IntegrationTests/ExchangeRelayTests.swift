import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import ZhaocaiExchange
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
      // Another node holding the relay's turn sends this round: this one sends nothing.
      let skipped = try await f.platform.store.exclusively(OutboxRelay.turn(ExchangeMessage.hub)) {
        try await relay.deliver()
      }
      #expect(skipped == 0)
      #expect(try await h.hub.heldMessages(from: "trading.fz") == 0)
      #expect(try await relay.deliver(batch: 5) == 5)
      #expect(try await relay.deliver() == pendingBefore - 5)
      #expect(try await relay.deliver() == 0)
      let held = try await h.hub.heldMessages(from: "trading.fz")
      #expect(UInt64(held) == logSize)
      // A relay that lost its marks (say, a restore from backup) sends again: duplicates only.
      try await f.platform.store.transaction { database in
        try await database.raw("UPDATE outbox SET delivered_at = NULL").run()
      }
      #expect(try await relay.deliver() == pendingBefore)
      #expect(
        try await h.hub.heldMessages(from: "trading.fz")
          == held)
    }
    await f.platform.store.close()
    await h.store.close()
  }
}

/// A gap is fetched back from the sender: messages lost on the way are missing at the hub, which
/// holds what came after them, asks the trading platform for the gap, and then has everything.
@Suite struct GapFetchTests {
  @Test(arguments: Backend.available)
  func theHubFetchesAGapBackFromTheSender(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let h = try await HubFixture(backend: backend)
    let sender = TradingPlatform(
      store: f.platform.store, blobs: f.platform.blobs, clock: f.clock,
      logSigner: f.platform.logSigner, passwordCost: 4,
      exchange: ExchangeLink(platformID: "trading.fz", key: h.key, hub: "unused"))
    try await sender.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      try await h.hub.application(port: 0).test(.live) { hubClient in
        try await h.register(
          with: hubClient, endpoint: "http://127.0.0.1:\(try #require(client.port))/api/v1")
        // The first three messages are lost on the way (their rows marked sent, as a relay
        // whose acknowledgements were wrong would).
        try await f.platform.store.transaction { database in
          try await database.raw("UPDATE outbox SET delivered_at = 1 WHERE log_index < 3").run()
        }
        let relay = ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
        #expect(try await relay.deliver() == 0)  // all held behind the gap
        let logSize = try await f.platform.store.transaction {
          try await PersistentLog.size(on: $0)
        }
        #expect(
          try await h.hub.heldMessages(from: "trading.fz")
            == 0)
        #expect(try await h.hub.catchUp() == Int(logSize))
        #expect(
          try await h.hub.heldMessages(from: "trading.fz")
            == Int(logSize))
        // The relay's own rows now come back as duplicates: delivered.
        #expect(try await relay.deliver() == Int(logSize) - 3)
        #expect(try await h.hub.catchUp() == 0)
        // The gap endpoint serves every message from the one asked for, in order.
        let served = try await client.execute(
          uri: "/api/v1/exchange/messages?after=2", method: .get)
        let listed = try JSONDecoder().decode([SignedMessage].self, from: Data(buffer: served.body))
        #expect(
          try listed.map {
            try $0.verified(with: h.key.publicKey, for: ExchangeMessage.hub).sequence
          }
            == Array(3...logSize))
      }
    }
    await f.platform.store.close()
    await h.store.close()
  }
}
