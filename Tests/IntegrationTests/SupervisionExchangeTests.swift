import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import SupervisionPlatform
@testable import TradingPlatform

/// Every message names its receiver under the sender's signature: the hub's copy of the trading
/// platform's stream (public facts only, served to anyone) cannot be replayed to the supervision
/// platform to skip what only supervision sees, and an order for one trading platform cannot be
/// replayed to another.
@Suite struct SupervisionExchangeTests {
  @Test(arguments: Backend.available)
  func copiesAddressedToOthersAreRefused(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    try await s.serve(f) { sup, client, trading, relay in
      try await f.createAndPublish(with: client)
      // The hub's copy, from the trading platform's public gap endpoint, posted to supervision
      // ahead of the relay: refused, and the supervision platform's position does not move.
      let served = try await client.execute(
        uri: "/api/v1/exchange/messages?after=0", method: .get)
      #expect(served.status == .ok)
      let replayed = try jsonObject(
        try await sup.execute(
          uri: "/api/v1/exchange/messages", method: .post, headers: jsonHeaders,
          body: served.body))
      let results = try #require(replayed["results"] as? [[String: Any]])
      #expect(!results.isEmpty)
      #expect(results.allSatisfy { $0["code"] as? String == "MESSAGE_MISADDRESSED" })
      #expect(
        try await s.store.transaction {
          try await TrackingRepository.lastApplied("trading.fz", on: $0)
        } == 0)
      // While another node's relay holds the turn of sending to supervision, this one sends
      // nothing.
      let skipped = try await f.platform.store.exclusively(OutboxRelay.turn("supervision.fj")) {
        try await relay.deliverToSupervision()
      }
      #expect(skipped == 0)
      #expect(
        try await s.store.transaction {
          try await TrackingRepository.lastApplied("trading.fz", on: $0)
        } == 0)
      // The relay's own copy then applies in full.
      while try await relay.deliverToSupervision() > 0 {}
      let logSize = try await f.platform.store.transaction { try await PersistentLog.size(on: $0) }
      #expect(
        try await s.store.transaction {
          try await TrackingRepository.lastApplied("trading.fz", on: $0)
        } == logSize)

      // An order the supervision platform signed for another trading platform: refused here,
      // and the section is not suspended.
      let order = try SupervisionOrder(
        id: "ORD-X", section: "S1", kind: .suspend, reason: "重放", department: "fz-zj",
        issuedBy: "fz-zj-1", issuedAt: f.clock.now()
      ).validated()
      let elsewhere = try SignedMessage.sign(
        ExchangeMessage(
          sender: "supervision.fj", recipient: "trading.xm", sequence: 1,
          kind: SupervisionMessages.orderKind, sentAt: 0,
          payload: String(decoding: try JSONEncoder().encode(order), as: UTF8.self)),
        with: s.key)
      let refused = try await client.execute(
        uri: "/api/v1/exchange/orders", method: .post, headers: jsonHeaders,
        body: ByteBuffer(data: try JSONEncoder().encode(elsewhere)))
      #expect(problemCode(refused) == "MESSAGE_MISADDRESSED")
      let section = try jsonObject(
        try await f.call(.get, "/sections/S1", as: "tenderer", with: client))
      #expect(section["suspendingOrder"] == nil)
      _ = trading
    }
    await f.platform.store.close()
    await s.store.close()
  }
}

/// Orders on one process reach the trading platform in the order they were issued: a suspension
/// that could not be sent (unreachable, or a gateway's 404) is not overtaken by the resumption
/// issued after it, and only the trading platform's own refusal is final.
@Suite struct SupervisionOrderSequenceTests {
  @Test(arguments: Backend.available)
  func aPendingSuspensionGoesBeforeTheResumptionIssuedAfterIt(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    try await s.serve(f) { sup, client, trading, relay in
      try await f.createAndPublish(with: client)
      while try await relay.deliverToSupervision() > 0 {}
      let endpoint = "http://127.0.0.1:\(try #require(client.port))/api/v1"
      func point(to address: String) async throws {
        try await s.store.transaction {
          try await $0.raw("UPDATE sup_platforms SET endpoint = \(bind: address)").run()
        }
      }
      // The trading platform is unreachable: the suspension stays pending.
      try await point(to: "http://127.0.0.1:1/api/v1")
      let suspension = try jsonObject(
        try await s.call(
          .post, "/orders", as: "fz-zj-1",
          json: #"{"platform":"trading.fz","section":"S1","kind":"suspend","reason":"暂停"}"#,
          with: sup))
      #expect(suspension["status"] as? String == "pending")
      // A gateway that answers 404 with a page of its own, not the trading platform's refusal:
      // the suspension is still pending, not refused.
      try await point(to: "http://127.0.0.1:\(try #require(client.port))/elsewhere")
      #expect(await s.platform().deliverPendingOrders() == 0)
      #expect(
        try await s.store.transaction {
          try await IssuedOrderRepository.orders(platform: "trading.fz", section: "S1", on: $0)
        }.map(\.status) == [.pending])
      // Reachable again: the resumption issued now sends the suspension first.
      try await point(to: endpoint)
      let resumption = try jsonObject(
        try await s.call(
          .post, "/orders", as: "fz-zj-1",
          json: #"{"platform":"trading.fz","section":"S1","kind":"resume","reason":"恢复"}"#,
          with: sup))
      #expect(resumption["status"] as? String == "acknowledged")
      #expect(await s.platform().deliverPendingOrders() == 0)
      let section = try jsonObject(
        try await f.call(.get, "/sections/S1", as: "tenderer", with: client))
      #expect(section["suspendingOrder"] == nil)
      let orders = try await s.store.transaction {
        try await IssuedOrderRepository.orders(platform: "trading.fz", section: "S1", on: $0)
      }
      #expect(orders.map(\.order.kind) == [.suspend, .resume])
      #expect(orders.map(\.status) == [.acknowledged, .acknowledged])
      _ = trading
    }
    await f.platform.store.close()
    await s.store.close()
  }
}
