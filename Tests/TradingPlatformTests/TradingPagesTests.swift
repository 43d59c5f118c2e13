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

  /// The bidder's workspace page gives the browser the notice's holders and the bidder's key to
  /// seal with, and takes the sealed envelope only with the page's form token in its header.
  @Test(arguments: Backend.available)
  func theBidPageTakesAnEnvelopeOnlyFromItsOwnScript(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      let bidder = PageBrowser(client)
      _ = try await bidder.get("/")
      let signedIn = try await bidder.post(
        "/sign-in",
        [("account", "bidder-\(PlatformFixture.bidder)"), ("password", PlatformFixture.password)])
      #expect(signedIn.status == .seeOther)
      let section = try await bidder.get("/sections/S1")
      #expect(section.html.contains(#"href="/sections/S1/bid""#))
      let page = try await bidder.get("/sections/S1/bid")
      #expect(page.status == .ok)
      #expect(page.html.contains(#"<script src="/static/bid-workspace.js" defer></script>"#))
      let holderKey = Data(f.holders[0].sealing.publicKey.rawRepresentation).base64EncodedString()
      #expect(page.html.contains(holderKey))
      #expect(page.html.contains(#"data-threshold="2""#))
      let token = try #require(bidder.pageToken)
      let envelope = try f.seal(
        plaintext: try PlatformFixture.bundle(bidder: PlatformFixture.bidder, priceFen: 1_000))

      // Without the page's token (a form posted from another site could not set the header).
      let forged = try await bidder.put("/sections/S1/bid", envelope)
      #expect(forged.status == .forbidden)
      #expect(forged.html.contains("FORM_EXPIRED"))
      let wrong = try await bidder.put(
        "/sections/S1/bid", envelope, headers: [TradingPages.formTokenHeader: "guess"])
      #expect(wrong.status == .forbidden)
      // A plain file is refused as the API refuses it, as problem+json; nothing recorded.
      let plain = try await bidder.put(
        "/sections/S1/bid", Array("技术标".utf8), headers: [TradingPages.formTokenHeader: token])
      #expect(plain.status == .unprocessableContent)
      #expect(plain.headers[.contentType] == "application/problem+json")
      let before = try await f.call(
        .get, "/sections/S1", as: "bidder-\(PlatformFixture.bidder)", with: client)
      #expect(!String(buffer: before.body).contains("envelopeHash"))

      let received = try await bidder.put(
        "/sections/S1/bid", envelope, headers: [TradingPages.formTokenHeader: token])
      #expect(received.status == .created, "\(received.html)")
      let receipt =
        try JSONSerialization.jsonObject(with: Data(received.html.utf8)) as? [String: Any]
      #expect((receipt?["checkpoint"] as? String)?.contains("trading.test/log") == true)
      let after = try await f.call(
        .get, "/sections/S1", as: "bidder-\(PlatformFixture.bidder)", with: client)
      #expect(String(buffer: after.body).contains("envelopeHash"))

      // The tenderer has no bid page.
      let tenderer = PageBrowser(client)
      _ = try await tenderer.get("/")
      _ = try await tenderer.post(
        "/sign-in", [("account", "tenderer"), ("password", PlatformFixture.password)])
      #expect(try await tenderer.get("/sections/S1/bid").status == .forbidden)
    }
    await f.platform.store.close()
  }
}
