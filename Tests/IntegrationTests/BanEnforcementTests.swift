import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import ZhaocaiTestSupport

@testable import TradingPlatform

/// A ban published at the hub is enforced by the trading platform, and lifted when it ends.
@Suite struct BanEnforcementTests {
  @Test(arguments: Backend.available)
  func aPartyBannedAtTheHubCannotBidUntilTheBanEnds(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let h = try await HubFixture(backend: backend)
    let banned = PlatformFixture.bidder
    try await h.hub.application(port: 0).test(.live) { hubClient in
      let ban =
        #"{"party":"\#(banned)","reason":"串通投标（法53），禁止参加投标","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-11-20T00:00:00Z"}"#
      #expect(
        try await hubClient.execute(
          uri: "/api/v1/credit/bans", method: .post, headers: HubFixture.json,
          body: ByteBuffer(string: ban)
        ).status == .unauthorized)
      let badCode = ban.replacingOccurrences(of: banned, with: "91350100M000100Y44")
      let refused = try await hubClient.execute(
        uri: "/api/v1/credit/bans", method: .post, headers: HubFixture.admin,
        body: ByteBuffer(string: badCode)
      )
      #expect(String(buffer: refused.body).contains("RULE_CREDIT_CODE_VALID"))
      #expect(
        try await hubClient.execute(
          uri: "/api/v1/credit/bans", method: .post, headers: HubFixture.admin,
          body: ByteBuffer(string: ban)
        ).status == .created)

      let relay = ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
      #expect(try await relay.syncRegistry().bans.count == 1)

      try await f.platform.application(port: 0).test(.live) { client in
        try await f.createAndPublish(with: client)
        f.clock.set(PlatformFixture.start + 10 * 86_400)  // 12 Nov: banned
        let barred = try await f.submit(try f.seal(), bidder: banned, with: client)
        #expect(barred.status == .unprocessableContent)
        #expect(String(buffer: barred.body).contains("barred from bidding"))
        let other = PlatformFixture.bidders[1]
        #expect(
          try await f.submit(try f.seal(bidder: other), bidder: other, with: client).status
            == .created)
        f.clock.set(PlatformFixture.start + 20 * 86_400)  // 22 Nov: the ban has ended
        #expect(try await f.submit(try f.seal(), bidder: banned, with: client).status == .created)
      }
    }
    await f.platform.store.close()
    await h.store.close()
  }
}
