import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import TradingPlatform

/// The trading platform's pages as text: every phrase has its English, the sign-in page offers
/// both ways in, a session cookie never authorises the API, and pages that need an account
/// ask for one.
@Suite struct TradingPagesTests {
  @Test func everyPhraseOfTheTradingPagesHasItsEnglish() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let pages = try TradingPages(platform: f.platform, sandboxed: false)
    #expect(pages.site.library.untranslated() == [])
    await f.platform.store.close()
  }

  @Test(arguments: Backend.available)
  func aPageSessionIsForPagesOnly(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      let browser = PageBrowser(client)
      let start = try await browser.get("/")
      #expect(start.html.contains(#"action="/sign-in/certificate""#))
      #expect(start.html.contains(#"<script src="/static/sign-in.js" defer></script>"#))
      #expect(try await browser.get("/sections/new").status == .unauthorized)
      let forged = try await browser.post("/sign-in/certificate", [("role", "bidder")], token: "x")
      #expect(forged.status == .forbidden)
      let unsigned = try await browser.post("/sign-in/certificate", [("role", "bidder")])
      #expect(unsigned.status == .unprocessableContent)
      #expect(unsigned.html.contains("密钥不会上传"))
      let cookie = try await client.execute(
        uri: "/api/v1/accounts/me", method: .get, headers: [.cookie: "zc_session=anything"])
      #expect(cookie.status == .unauthorized)
      #expect(try await browser.get("/static/opening-hall.js").status == .ok)
    }
    await f.platform.store.close()
  }
}
