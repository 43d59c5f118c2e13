import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import SupervisionPlatform

/// The supervisors' console as a supervisor uses it: signing in and out with a cookie session,
/// forms that only the console's pages can send, a cookie that never authorises the API, pages
/// that need a signed-in supervisor, and every view recorded in the department's access log.
@Suite struct ConsolePagesTests {
  @Test func everyPhraseOfTheConsoleHasItsEnglish() async throws {
    let f = try await SupervisionFixture(backend: .sqlite, clock: ManualClock(1_796_000_000))
    let pages = try ConsolePages(platform: f.platform(), sandboxed: false)
    #expect(pages.site.library.untranslated() == [])
    await f.store.close()
  }

  @Test(arguments: Backend.available)
  func aSupervisorSignsInAndOutWithACookieSession(backend: Backend) async throws {
    let f = try await SupervisionFixture(backend: backend, clock: ManualClock(1_796_000_000))
    try await f.platform().application(port: 0).test(.live) { client in
      let browser = PageBrowser(client)
      let start = try await browser.get("/")
      #expect(start.html.contains(#"<form method="post" action="/sign-in""#))
      let wrong = try await browser.post(
        "/sign-in", [("account", "fz-zj-1"), ("password", "not the password")])
      #expect(wrong.status == .unauthorized)
      #expect(wrong.html.contains(##"<li><a href="#password">账号或密码错误"##))
      #expect(wrong.html.contains(#"value="fz-zj-1""#))  // the account stays in its box
      let signedIn = try await browser.post(
        "/sign-in", [("account", "fz-zj-1"), ("password", SupervisionFixture.password)])
      #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/")
      let session = try #require(
        signedIn.headers[values: .setCookie].first { $0.hasPrefix("zc_session=") })
      #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax"))
      #expect(session.contains("Max-Age=28800"))
      let dashboard = try await browser.get("/")
      #expect(dashboard.html.contains(#"<span class="who">监督员 · 福州市城乡建设局</span>"#))
      #expect(dashboard.html.contains(#"id="process-count">0<"#))

      // The cookie is for pages only: the API wants its bearer token.
      let token = try #require(browser.cookie(PageVisit.sessionCookie))
      let api = try await client.execute(
        uri: "/api/v1/processes", method: .get, headers: [.cookie: "zc_session=\(token)"])
      #expect(api.status == .unauthorized)

      // A sign-out from elsewhere is refused and the session lives on.
      let forged = try await browser.post("/sign-out", [], token: "forged")
      #expect(forged.status == .forbidden)
      #expect(try await browser.get("/alerts").status == .ok)
      let out = try await browser.post("/sign-out", [])
      #expect(out.status == .seeOther)
      #expect(browser.cookie(PageVisit.sessionCookie) == nil)
      let after = try await client.execute(
        uri: "/complaints", method: .get, headers: [.cookie: "zc_session=\(token)"])
      #expect(after.status == .unauthorized)
      #expect(String(buffer: after.body).contains("请先登录"))
    }
    await f.store.close()
  }

  @Test(arguments: Backend.available)
  func theConsolesPagesNeedASignedInSupervisor(backend: Backend) async throws {
    let f = try await SupervisionFixture(backend: backend, clock: ManualClock(1_796_000_000))
    try await f.platform().application(port: 0).test(.live) { client in
      let browser = PageBrowser(client)
      for path in [
        "/alerts", "/complaints", "/complaints/TS-1", "/orders", "/violations", "/filings",
        "/access-log", "/processes/trading.fz/S1", "/screens", "/networks",
      ] {
        let page = try await browser.get(path)
        #expect(page.status == .unauthorized, "\(path)")
        #expect(page.html.contains(#"<a class="button" href="/">前往登录</a>"#), "\(path)")
      }
      for path in ["/legal-basis", "/rulings", "/complaint"] {
        #expect(try await browser.get(path).status == .ok, "\(path)")
      }
      // The public complaint form takes its process from a link, and only clean text from it.
      let form = try await browser.get("/complaint?platform=trading.fz&section=S%2D1")
      #expect(form.html.contains(#"id="section" name="section" maxlength="64" value="S-1""#))
      #expect(form.html.contains(#"<script src="/static/complaint.js" defer></script>"#))
      let hostile = try await browser.get("/complaint?section=%E2%80%AEevil%00")
      #expect(hostile.status == .ok)
      #expect(hostile.html.contains(#"name="section" maxlength="64" value="""#))
      // An unknown or expired session cookie is a visitor without one: the sign-in form.
      let stale = try await client.execute(
        uri: "/", method: .get, headers: [.cookie: "zc_session=expired-or-made-up"])
      #expect(String(buffer: stale.body).contains(#"action="/sign-in""#))
    }
    await f.store.close()
  }

  @Test(arguments: Backend.available)
  func formsAreRefusedBesideTheirFieldsAndViewsAreRecorded(backend: Backend) async throws {
    let f = try await SupervisionFixture(backend: backend, clock: ManualClock(1_796_000_000))
    try await f.platform().application(port: 0).test(.live) { client in
      let browser = PageBrowser(client)
      _ = try await browser.get("/")
      _ = try await browser.post(
        "/sign-in", [("account", "fz-zj-1"), ("password", SupervisionFixture.password)])
      _ = try await browser.get("/orders")
      let unchosen = try await browser.post(
        "/orders", [("step", "check"), ("kind", "suspend"), ("reason", "理由")])
      #expect(unchosen.status == .unprocessableContent)
      #expect(unchosen.html.contains(##"<li><a href="#process">请选择本部门监督范围内的项目"##))
      // A process outside the remit is refused as the API refuses it.
      let elsewhere = try await browser.post(
        "/orders",
        [
          ("step", "confirm"), ("process", "trading.xm/XM-1"), ("kind", "suspend"),
          ("reason", "理由"),
        ])
      #expect(elsewhere.status == .notFound)
      #expect(elsewhere.html.contains("您的监督职责范围内没有该项目或事项"))
      _ = try await browser.get("/violations")
      let badCode = try await browser.post(
        "/violations",
        [
          ("step", "check"), ("process", "trading.fz/S1"), ("party", "91350100MA0000001X"),
          ("description", "虚假材料"), ("article", "法54"), ("points", "30"),
        ])
      #expect(badCode.status == .unprocessableContent)
      #expect(badCode.html.contains(##"<li><a href="#party">"##))
      let badPoints = try await browser.post(
        "/violations",
        [
          ("step", "check"), ("process", "trading.fz/S1"),
          ("party", CreditCode.completing("91350100MA0000001")!.value),
          ("description", "虚假材料"), ("article", "法54"), ("points", "101"),
        ])
      #expect(badPoints.html.contains(##"<li><a href="#points">扣分应为1至100的整数"##))
      let log = try await browser.get("/access-log")
      #expect(log.html.contains("<code>GET 200</code></td><td><code>/orders</code>"))
      #expect(log.html.contains("<code>POST 422</code></td><td><code>/orders</code>"))
    }
    await f.store.close()
  }

  @Test(arguments: Backend.available)
  func theAdministratorKeepsDepartmentsAndSupervisorsAndSeesNoProcess(backend: Backend)
    async throws
  {
    let f = try await SupervisionFixture(backend: backend, clock: ManualClock(1_796_000_000))
    try await f.platform().application(port: 0).test(.live) { client in
      let browser = PageBrowser(client)
      #expect(try await browser.get("/admin").html.contains(#"action="/admin/sign-in""#))
      let wrong = try await browser.post("/admin/sign-in", [("token", "guess")])
      #expect(wrong.status == .unauthorized)
      #expect(wrong.html.contains("管理员令牌不正确"))
      let signedIn = try await browser.post("/admin/sign-in", [("token", "admin-token")])
      #expect(signedIn.status == .seeOther)
      let cookie = try #require(
        signedIn.headers[values: .setCookie].first { $0.hasPrefix("zc_admin=") })
      #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
      let page = try await browser.get("/admin")
      #expect(page.html.contains("<td>福州市城乡建设局</td><td><code>fz-zj</code></td>"))
      #expect(page.html.contains("<td><code>fz-zj-1</code></td>"))
      let added = try await browser.post(
        "/admin/departments",
        [
          ("departmentID", "fz-sl"), ("departmentName", "福州市水利局"), ("industry", "水利"),
          ("region", "350100"),
        ])
      #expect(added.status == .seeOther)
      let badRegion = try await browser.post(
        "/admin/departments",
        [
          ("departmentID", "xx"), ("departmentName", "某局"), ("industry", "水利"),
          ("region", "35010x"),
        ])
      #expect(badRegion.status == .unprocessableContent)
      let shortPassword = try await browser.post(
        "/admin/supervisors",
        [("id", "fz-sl-1"), ("name", "水利监督员"), ("department", "fz-sl"), ("password", "short")])
      #expect(shortPassword.html.contains(##"<li><a href="#password">密码应为8至128个字符"##))
      let supervisor = try await browser.post(
        "/admin/supervisors",
        [
          ("id", "fz-sl-1"), ("name", "水利监督员"), ("department", "fz-sl"),
          ("password", "water-1234"),
        ])
      #expect(supervisor.status == .seeOther)
      #expect(try await browser.get("/admin").html.contains("<td>水利监督员</td><td>福州市水利局</td>"))
      // The administrator oversees nothing.
      #expect(try await browser.get("/complaints").status == .unauthorized)
      _ = try await f.platform().signIn("fz-sl-1", password: "water-1234")
    }
    await f.store.close()
  }
}
