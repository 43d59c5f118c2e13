import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiTestSupport

@testable import PublicServiceHub
@testable import TradingPlatform

/// Cardinal's red flags at the hub, from a real tender's public record: two of three bidders
/// open the same price (R028), the platform relays the opening, and the hub publishes the flag
/// for the process and for both bidders, over the API and on the portal's pages.
@Suite struct HubRedFlagTests {
  @Test(arguments: Backend.available)
  func identicalOpenedPricesAreFlaggedAtTheHub(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let h = try await HubFixture(backend: backend)
    let b = Array(PlatformFixture.bidders.prefix(3))
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 10 * 86_400)
      for (bidder, price) in zip(b, [4_100_000_000, 4_100_000_000, 4_350_000_000] as [Int64]) {
        let bundle = try CollusionSignsTests.bundle(
          bidder, price: price, manager: "PM-\(bidder.suffix(3))", device: "sha256:\(bidder)",
          text: "投标人\(bidder.suffix(4))自行编制的施工组织设计。")
        let uploaded = try await f.submit(
          try f.seal(bidder: bidder, plaintext: bundle), bidder: bidder, with: client)
        #expect(uploaded.status == .created)
      }
      f.clock.set(PlatformFixture.deadline)
      _ = try await OpeningScheduler(platform: f.platform).tick()
      for holder in [0, 2] {
        #expect(try await f.release(holder: holder, bidders: b, with: client).status == .ok)
      }
      _ = try await OpeningScheduler(platform: f.platform).tick()
    }
    try await h.hub.application(port: 0).test(.live) { hub in
      try await h.register(with: hub)
      let empty = try jsonObject(try await hub.execute(uri: "/api/v1/red-flags", method: .get))
      #expect(empty["processCount"] as? Int == 0)
      let relay = ExchangeRelay(platform: f.platform, link: try h.link(hub))
      while try await relay.deliver() > 0 {}

      let all = try jsonObject(try await hub.execute(uri: "/api/v1/red-flags", method: .get))
      #expect(all["processCount"] as? Int == 1)
      let processes = try #require(all["processes"] as? [[String: Any]])
      #expect(processes.first?["platform"] as? String == "trading.fz")
      #expect(processes.first?["section"] as? String == "S1")
      let flags = try #require(processes.first?["flags"] as? [[String: Any]])
      #expect(flags.map { $0["code"] as? String } == ["R028"])
      #expect(flags.first?["evidence"] as? [String] == [b[0], b[1]].sorted())
      #expect(flags.first?["nameChinese"] as? String == "不同投标人报价相同")
      let parties = try #require(all["parties"] as? [[String: Any]])
      #expect(Set(parties.compactMap { $0["party"] as? String }) == Set([b[0], b[1]]))

      let one = try jsonObject(
        try await hub.execute(uri: "/api/v1/red-flags/trading.fz/S1", method: .get))
      #expect((one["flags"] as? [[String: Any]])?.count == 1)
      #expect((one["parties"] as? [[String: Any]])?.count == 2)
      // The three opened prices are screened and scored with the bundled model.
      let screens = try #require(one["screens"] as? [String: Any])
      #expect(screens["bids"] as? Int == 3)
      #expect(
        (screens["values"] as? [[String: Any]])?.contains { $0["name"] as? String == "CV" } == true)
      #expect(screens["score"] is Double)
      let unknown = try await hub.execute(uri: "/api/v1/red-flags/trading.fz/S9", method: .get)
      #expect(unknown.status == .notFound)

      let browser = PageBrowser(hub)
      let list = try await browser.get("/red-flags")
      #expect(list.status == .ok)
      #expect(list.html.contains(#"<a href="/processes/trading.fz/S1">S1</a>"#))
      #expect(list.html.contains("不同投标人报价相同"))
      let page = try await browser.get("/processes/trading.fz/S1")
      #expect(page.html.contains(#"id="process-red-flags""#))
      #expect(page.html.contains("R028"))
      #expect(page.html.contains(b[0]) && page.html.contains(b[1]))
      #expect(page.html.contains(#"id="process-screens""#) && page.html.contains("DIFFP"))
      let english = try await browser.get("/red-flags?lang=en")
      #expect(english.html.contains("Identical bid prices"))
    }
    await f.platform.store.close()
    await h.store.close()
  }
}
