import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import PublicServiceHub

/// The hub's public portal as a visitor reads it: pages with their safety headers, a search that
/// finds a notice and refuses bad input beside the field, the notice itself, the credit lookup,
/// and forms that only this portal's pages can send.
@Suite struct PortalPagesTests {
  static let paths = [
    "/", "/search", "/credit", "/registry", "/statistics", "/open-data", "/transparency",
    "/draws/verify",
  ]

  @Test func everyPhraseOfThePortalHasItsEnglish() async throws {
    let f = try await HubFixture(backend: .sqlite)
    let pages = try PortalPages(hub: f.hub, sandboxed: false)
    #expect(pages.site.library.untranslated() == [])
    await f.store.close()
  }

  @Test(arguments: Backend.available)
  func everyPageAnswersWithItsSafetyHeaders(backend: Backend) async throws {
    let f = try await HubFixture(backend: backend, now: 1_796_000_000)
    try await f.hub.application(port: 0).test(.router) { client in
      for path in Self.paths {
        let page = try await PageBrowser(client).get(path)
        #expect(page.status == .ok, "\(path)")
        #expect(page.headers[.contentType] == "text/html; charset=utf-8")
        let policy = try #require(page.headers[.contentSecurityPolicy])
        #expect(policy.contains("default-src 'none'") && !policy.contains("unsafe"))
        #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        #expect(page.html.contains(#"<html lang="zh-CN">"#), "\(path)")
        // No inline style or script: the policy would block it.
        #expect(!page.html.contains("style=") && !page.html.contains("<script>"), "\(path)")
        let cookie = try #require(page.headers[.setCookie])
        #expect(cookie.contains("zc_form=") && cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
      }
      // Behind TLS (nginx says so) the cookie is Secure.
      let behindTLS = try await PageBrowser(client).get(
        "/", headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
      #expect(behindTLS.headers[.setCookie]?.contains("Secure") == true)
      let english = try await PageBrowser(client).get("/registry?lang=en")
      #expect(english.html.contains(#"<html lang="en">"#))
      #expect(english.html.contains("Public Service Platform"))
      #expect(english.headers[values: .setCookie].contains { $0.hasPrefix("lang=en") })
      let asked = try await PageBrowser(client).get(
        "/", headers: [.acceptLanguage: "en-GB,en;q=0.9"])
      #expect(asked.html.contains("Every tender of the province"))
    }
    await f.store.close()
  }

  @Test(arguments: Backend.available)
  func aSearchFindsANoticeWhosePageShowsItInFull(backend: Backend) async throws {
    let f = try await HubFixture(backend: backend, now: 1_796_000_000)
    try await f.hub.application(port: 0).test(.router) { client in
      try await f.register(with: client)
      try await Self.publish(
        [("S1", .tenderNotice, "示范中学迁建工程教学楼招标公告", "新建教学楼，投标截止时间以交易平台为准。")],
        from: f, with: client)
      let browser = PageBrowser(client)
      let found = try await browser.get("/search?q=%E6%95%99%E5%AD%A6%E6%A5%BC&region=350102")
      #expect(found.status == .ok)
      #expect(found.html.contains(#"href="/notices/trading.fz/1">示范中学迁建工程教学楼招标公告"#))
      #expect(found.html.contains("福州市鼓楼区"))
      let none = try await browser.get("/search?q=%E5%9C%B0%E9%93%81")
      #expect(none.html.contains(#"id="no-results""#))
      let notice = try await browser.get("/notices/trading.fz/1")
      #expect(notice.status == .ok)
      #expect(notice.html.contains("新建教学楼，投标截止时间以交易平台为准。"))
      #expect(notice.html.contains(#"href="http://127.0.0.1:8080/api/v1/sections/S1""#))
      let process = try await browser.get("/processes/trading.fz/S1")
      #expect(process.html.contains(#"href="/notices/trading.fz/1""#))
      for missing in ["/notices/trading.fz/2", "/notices/trading.fz/x", "/processes/trading.fz/S9"]
      {
        let page = try await browser.get(missing)
        #expect(page.status == .notFound, "\(missing)")
        #expect(page.html.contains("未找到"), "\(missing)")
      }
      // A notice's text is the platform's: written as text, never as markup.
      try await Self.publish(
        [("S2", .tenderNotice, "<script>alert(1)</script>道路工程", "正文 <b>不加粗</b>")],
        from: f, with: client, after: 1)
      let escaped = try await browser.get("/notices/trading.fz/2")
      #expect(!escaped.html.contains("<script>alert") && !escaped.html.contains("<b>不加粗"))
      #expect(escaped.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;道路工程"))
    }
    await f.store.close()
  }

  @Test(arguments: Backend.available)
  func badSearchInputIsRefusedBesideItsField(backend: Backend) async throws {
    let f = try await HubFixture(backend: backend, now: 1_796_000_000)
    try await f.hub.application(port: 0).test(.router) { client in
      let browser = PageBrowser(client)
      for (query, field, words) in [
        ("from=2026-02-30", "from", "日期格式"), ("to=tomorrow", "to", "日期格式"),
        ("region=fuzhou", "region", "行政区划代码"),
        ("q=" + String(repeating: "a", count: 101), "q", "最多100个字符"),
        ("q=%E2%80%AE", "q", "控制字符"),
      ] {
        let page = try await browser.get("/search?" + query)
        #expect(page.status == .unprocessableContent, "\(query)")
        #expect(page.html.contains(##"<li><a href="#\##(field)">"##), "\(query)")
        #expect(page.html.contains(words), "\(query)")
      }
      // Paging far beyond any result is bounded, not an error.
      #expect(try await browser.get("/search?page=99999999999999999999").status == .ok)
    }
    await f.store.close()
  }

  @Test(arguments: Backend.available)
  func theCreditLookupShowsABannedPartyAndItsScore(backend: Backend) async throws {
    let f = try await HubFixture(backend: backend, now: 1_796_000_000)
    let code = try #require(CreditCode.completing("91350100MA0000006")).value
    try await f.store.transaction {
      try await HubPartyRepository.register(
        .init(
          creditCode: code, name: "武夷示范建筑安装有限公司", certificate: "-", authority: "demo-ca",
          registeredAt: 1_795_000_000), on: $0)
    }
    try await f.hub.application(port: 0).test(.router) { client in
      for (path, body) in [
        (
          "/api/v1/credit/bans",
          #"{"party":"\#(code)","reason":"弄虚作假骗取中标","startsAt":"2026-11-01T00:00:00Z","endsAt":"2027-11-01T00:00:00Z"}"#
        ),
        (
          "/api/v1/credit/violations",
          #"{"party":"\#(code)","description":"提供虚假业绩证明材料","article":"法54","points":30,"decidedBy":"福建省住房和城乡建设厅","decidedAt":"2026-11-01T00:00:00Z"}"#
        ),
      ] {
        let published = try await client.execute(
          uri: path, method: .post, headers: HubFixture.admin, body: ByteBuffer(string: body))
        #expect(published.status == .created)
      }
      let browser = PageBrowser(client)
      for asked in ["%E6%AD%A6%E5%A4%B7", code.lowercased()] {
        let page = try await browser.get("/credit?q=" + asked)
        #expect(page.html.contains("武夷示范建筑安装有限公司"), "\(asked)")
        #expect(page.html.contains(#"class="tag tag-warn ban-state">禁止投标"#), "\(asked)")
        #expect(page.html.contains(#"<strong class="score">70</strong>"#), "\(asked)")
        #expect(page.html.contains("<td>法54</td>"), "\(asked)")
      }
      let list = try await browser.get("/credit")
      #expect(list.html.contains("<td><code>\(code)</code></td>"))
      let nobody = try await browser.get("/credit?q=%E6%B2%A1%E6%9C%89")
      #expect(nobody.html.contains(#"id="credit-none""#))
    }
    await f.store.close()
  }

  @Test(arguments: Backend.available)
  func aFormIsTakenOnlyFromThePortalsOwnPage(backend: Backend) async throws {
    let f = try await HubFixture(backend: backend, now: 1_796_000_000)
    try await f.hub.application(port: 0).test(.router) { client in
      let stranger = PageBrowser(client)
      let forged = try await stranger.post("/draws/verify", [("draw", "{}")], token: "x")
      #expect(forged.status == .forbidden)
      #expect(forged.html.contains("表单已失效或并非来自本平台页面"))
      let visitor = PageBrowser(client)
      _ = try await visitor.get("/draws/verify")
      let wrong = try await visitor.post("/draws/verify", [("draw", "{}")], token: "not-mine")
      #expect(wrong.status == .forbidden)
      let garbage = try await visitor.post("/draws/verify", [("draw", "not json")])
      #expect(garbage.status == .unprocessableContent)
      #expect(garbage.html.contains(#"<p class="field-error" id="draw-error">"#))
      #expect(garbage.html.contains("not json"))  // what was sent stays in the box
      let huge = try await visitor.post(
        "/draws/verify", [("draw", String(repeating: "x", count: PageForm.maxBytes))])
      #expect(huge.status == .contentTooLarge)
    }
    await f.store.close()
  }

  /// Notices of `trading.fz` (the fixture's key), sent to the hub as the exchange carries them.
  static func publish(
    _ notices: [(String, NoticeKind, String, String)], from f: HubFixture,
    with client: some TestClientProtocol, after sequence: UInt64 = 0
  ) async throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var batch: [SignedMessage] = []
    for (offset, (section, kind, title, body)) in notices.enumerated() {
      let notice = LoggedNotice(
        section: section, at: 1_796_000_000,
        notice: Notice(kind: kind, sectionID: section, title: title, body: body),
        region: "350102", industry: "住建", by: nil)
      batch.append(
        try SignedMessage.sign(
          ExchangeMessage(
            sender: "trading.fz", recipient: ExchangeMessage.hub,
            sequence: sequence + UInt64(offset) + 1, kind: "notice.published",
            sentAt: 1_796_000_000,
            payload: String(decoding: try encoder.encode(notice), as: UTF8.self)),
          with: f.key))
    }
    let sent = try await client.execute(
      uri: "/api/v1/exchange/messages", method: .post, headers: [.contentType: "application/json"],
      body: ByteBuffer(bytes: try JSONEncoder().encode(batch)))
    #expect(sent.status == .ok)
  }
}
