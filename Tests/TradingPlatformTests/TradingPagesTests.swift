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
  /// seal with, and takes the sealed envelope, in parts, only with the page's form token in a
  /// header.
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
      let uploads = "/sections/S1/bid/uploads"
      let forged = try await bidder.script(.post, uploads)
      #expect(forged.status == .forbidden)
      #expect(forged.html.contains("FORM_EXPIRED"))
      let wrong = try await bidder.script(
        .post, uploads, headers: [TradingPages.formTokenHeader: "guess"])
      #expect(wrong.status == .forbidden)
      let withToken: HTTPFields = [TradingPages.formTokenHeader: token]
      func upload(_ bytes: [UInt8]) async throws -> (status: HTTPResponse.Status, html: String) {
        let started = try await bidder.script(.post, uploads, headers: withToken)
        #expect(started.status == .created)
        let id = try #require(
          (try JSONSerialization.jsonObject(with: Data(started.html.utf8)) as? [String: Any])?[
            "id"] as? String)
        // Two parts, as the page's script sends a large envelope.
        let half = bytes.count / 2
        let first = try await bidder.script(
          .put, "\(uploads)/\(id)/parts/0", Array(bytes[..<half]), headers: withToken)
        #expect(first.html.contains(#""offset":\#(half)"#))
        let forgedPart = try await bidder.script(
          .put, "\(uploads)/\(id)/parts/\(half)", Array(bytes[half...]))
        #expect(forgedPart.status == .forbidden)
        let standing = try await bidder.script(.get, "\(uploads)/\(id)", headers: withToken)
        #expect(standing.html.contains(#""offset":\#(half)"#))
        _ = try await bidder.script(
          .put, "\(uploads)/\(id)/parts/\(half)", Array(bytes[half...]), headers: withToken)
        let done = try await bidder.script(
          .post, "\(uploads)/\(id)/completion", headers: withToken)
        return (done.status, done.html)
      }
      // A plain file is refused as the API refuses it, as problem+json; nothing recorded.
      let plain = try await upload(Array("技术标：施工组织设计".utf8))
      #expect(plain.status == .unprocessableContent)
      #expect(plain.html.contains(#""code":"#))
      let before = try await f.call(
        .get, "/sections/S1", as: "bidder-\(PlatformFixture.bidder)", with: client)
      #expect(!String(buffer: before.body).contains("envelopeHash"))

      let received = try await upload(envelope)
      #expect(received.status == .created, "\(received.html)")
      let receipt =
        try JSONSerialization.jsonObject(with: Data(received.html.utf8)) as? [String: Any]
      #expect((receipt?["checkpoint"] as? String)?.contains("trading.test/log") == true)
      let after = try await f.call(
        .get, "/sections/S1", as: "bidder-\(PlatformFixture.bidder)", with: client)
      #expect(String(buffer: after.body).contains("envelopeHash"))

      // Withdrawn from the page before the deadline (撤回): the bid is gone.
      let withdrawn = try await bidder.post("/sections/S1/withdrawal", [])
      #expect(withdrawn.status == .seeOther)
      let emptied = try await bidder.get("/sections/S1/bid?done=withdrawal")
      #expect(emptied.html.contains("投标已撤回"))
      let gone = try await f.call(
        .get, "/sections/S1", as: "bidder-\(PlatformFixture.bidder)", with: client)
      #expect(!String(buffer: gone.body).contains("envelopeHash"))

      // The workspace keeps the section, saying the bid was withdrawn.
      let workspace = try await bidder.get("/")
      #expect(workspace.html.contains(#"data-section="S1">已撤回"#))

      // The tenderer has no bid page.
      let tenderer = PageBrowser(client)
      _ = try await tenderer.get("/")
      _ = try await tenderer.post(
        "/sign-in", [("account", "tenderer"), ("password", PlatformFixture.password)])
      #expect(try await tenderer.get("/sections/S1/bid").status == .forbidden)
    }
    await f.platform.store.close()
  }

  /// On its bid page a bidder downloads the documents (registered), records its bond (a bad
  /// account or amount refused beside the field, nothing recorded), and objects to the
  /// documents (条例22); its workspace then shows where its bid stands.
  @Test(arguments: Backend.available)
  func aBidderTakesTheDocumentsAndRecordsItsBondFromItsPage(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      let terms = PlatformFixture.termsJSON.replacingOccurrences(
        of: #""sectionID":"S1","#, with: #""sectionID":"S1","bondGuaranteeAccepted":true,"#)
      #expect(terms != PlatformFixture.termsJSON)
      let created = try await client.execute(
        uri: "/api/v1/sections", method: .post, headers: try await f.tenderer(),
        body: ByteBuffer(string: terms))
      #expect(created.status == .created)
      let uploaded = try await client.execute(
        uri: "/api/v1/sections/S1/documents/tender.pdf", method: .put,
        headers: try await f.tenderer(binaryHeaders), body: ByteBuffer(string: "招标文件 第一版"))
      #expect(uploaded.status == .created)
      let published = try await client.execute(
        uri: "/api/v1/sections/S1/publication", method: .post, headers: try await f.tenderer(),
        body: ByteBuffer(string: f.scheduleJSON))
      #expect(published.status == .ok)
      f.clock.set(PlatformFixture.start + 86_400)

      let bidder = PageBrowser(client)
      _ = try await bidder.get("/")
      _ = try await bidder.post(
        "/sign-in",
        [("account", "bidder-\(PlatformFixture.bidder)"), ("password", PlatformFixture.password)])
      let page = try await bidder.get("/sections/S1/bid")
      #expect(page.html.contains(#"href="/sections/S1/documents/1""#))
      #expect(page.html.contains("下载即登记"))
      #expect(page.html.contains(#"value="¥800,000.00""#))

      let download = try await bidder.get("/sections/S1/documents/1")
      #expect(download.status == .ok)
      #expect(download.html == "招标文件 第一版")
      let disposition = download.headers[.contentDisposition] ?? ""
      #expect(disposition.contains("filename*=UTF-8''tender.pdf"))
      #expect(try await bidder.get("/sections/S1/documents/9").status == .notFound)
      let register = try await f.call(.get, "/sections/S1/downloads", as: "admin", with: client)
      #expect(String(buffer: register.body).contains(PlatformFixture.bidder))
      #expect(try await bidder.get("/sections/S1/bid").html.contains("贵单位已下载招标文件"))

      let badAccount = try await bidder.post(
        "/sections/S1/bond", [("bondAmount", "800000.00"), ("payingAccount", "12")])
      #expect(badAccount.status == .unprocessableContent)
      #expect(badAccount.html.contains("6至40位银行账号"))
      let badAmount = try await bidder.post(
        "/sections/S1/bond", [("bondAmount", "1.00"), ("payingAccount", "6222020200112233")])
      #expect(badAmount.status == .unprocessableContent)
      #expect(badAmount.html.contains(#"id="bond-error""#))
      let notMoney = try await bidder.post(
        "/sections/S1/bond", [("bondAmount", "八十万"), ("payingAccount", "6222020200112233")])
      #expect(notMoney.status == .unprocessableContent)
      let none = try await f.call(
        .get, "/sections/S1", as: "bidder-\(PlatformFixture.bidder)", with: client)
      #expect(!String(buffer: none.body).contains("6222020200112233"))

      let paid = try await bidder.post(
        "/sections/S1/bond", [("bondAmount", "800,000.00"), ("payingAccount", "6222020200112233")])
      #expect(paid.status == .seeOther)
      let after = try await bidder.get("/sections/S1/bid?done=bond")
      #expect(after.html.contains(#"id="bond-done""#))
      #expect(after.html.contains("¥800,000.00"))
      #expect(!after.html.contains(#"id="pay-bond""#))

      // This notice accepts a bank guarantee (电子保函): the page offers it; a bond is a transfer
      // or a guarantee, not both.
      #expect(page.html.contains(#"id="bond-form-guarantee""#))
      let other = PlatformFixture.bidders[1]
      let both = try await f.call(
        .put, "/sections/S1/bonds/\(other)", as: "bidder-\(other)",
        json: #"{"amountFen":80000000,"payingAccount":"6222020200112234","#
          + #""guarantee":{"issuer":"建设银行","number":"BG-0001"}}"#, with: client)
      #expect(both.status == .unprocessableContent)
      #expect(String(buffer: both.body).contains("二者选一"))
      let guaranteePage = PageBrowser(client)
      _ = try await guaranteePage.get("/")
      _ = try await guaranteePage.post(
        "/sign-in", [("account", "bidder-\(other)"), ("password", PlatformFixture.password)])
      let lodged = try await guaranteePage.post(
        "/sections/S1/bond",
        [
          ("bondAmount", "800000"), ("bondForm", "guarantee"),
          ("guaranteeIssuer", "中国建设银行福州分行"), ("guaranteeNumber", "BG-2026-0001"),
        ])
      #expect(lodged.status == .seeOther)
      let shown = try await guaranteePage.get("/sections/S1/bid")
      #expect(shown.html.contains(#"id="bond-guarantee">中国建设银行福州分行 <code>BG-2026-0001</code>"#))

      let objected = try await bidder.post("/sections/S1/documents-objection", [])
      #expect(objected.status == .seeOther)
      let view = try await f.call(.get, "/sections/S1", as: "tenderer", with: client)
      #expect(String(buffer: view.body).contains("DOCS-\(PlatformFixture.bidder)"))

      let workspace = try await bidder.get("/")
      #expect(workspace.html.contains(#"data-section="S1">未递交"#))

      // Before the deadline the tenderer does not learn who took the documents; after it, its
      // section page lists them (法22).
      let tenderer = PageBrowser(client)
      _ = try await tenderer.get("/")
      _ = try await tenderer.post(
        "/sign-in", [("account", "tenderer"), ("password", PlatformFixture.password)])
      let beforeDeadline = try await tenderer.get("/sections/S1")
      #expect(beforeDeadline.html.contains(#"id="register-closed""#))
      #expect(!beforeDeadline.html.contains("<code>\(PlatformFixture.bidder)</code></td>"))
      f.clock.set(PlatformFixture.start + 26 * 86_400)
      _ = try await tenderer.post(
        "/sign-in", [("account", "tenderer"), ("password", PlatformFixture.password)])
      let afterDeadline = try await tenderer.get("/sections/S1")
      #expect(afterDeadline.html.contains(#"id="download-register""#))
      #expect(afterDeadline.html.contains("<code>\(PlatformFixture.bidder)</code></td>"))
    }
    await f.platform.store.close()
  }

  /// The tenderer's own panels on its section: a version of the documents uploaded from the
  /// page, the download register kept from it until the deadline (法22), an objection answered
  /// with its due day shown, and termination (an empty reason refused beside the field).
  @Test(arguments: Backend.available)
  func theTendererKeepsDocumentsObjectionsAndTerminationOnItsPage(backend: Backend)
    async throws
  {
    let f = try await PlatformFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      let tenderer = PageBrowser(client)
      _ = try await tenderer.get("/")
      _ = try await tenderer.post(
        "/sign-in", [("account", "tenderer"), ("password", PlatformFixture.password)])
      let page = try await tenderer.get("/sections/S1")
      #expect(page.html.contains(#"id="manager-documents""#))
      #expect(page.html.contains(#"id="register-closed""#))
      let token = try #require(tenderer.pageToken)
      let forged = try await tenderer.script(
        .put, "/sections/S1/document-versions/tender.pdf", Array("招标文件".utf8))
      #expect(forged.status == .forbidden)
      let uploaded = try await tenderer.script(
        .put, "/sections/S1/document-versions/%E6%8B%9B%E6%A0%87%E6%96%87%E4%BB%B6.pdf",
        Array("招标文件 第一版".utf8), headers: [TradingPages.formTokenHeader: token])
      #expect(uploaded.status == .created, "\(uploaded.html)")
      #expect(try await tenderer.get("/sections/S1").html.contains("招标文件.pdf"))
      // A name with a bidirectional override or a path is refused, nothing kept.
      for name in ["%E2%80%AEfdp.exe", "a%2Fb.pdf"] {
        let refused = try await tenderer.script(
          .put, "/sections/S1/document-versions/\(name)", Array("x".utf8),
          headers: [TradingPages.formTokenHeader: token])
        #expect(refused.status == .unprocessableContent, "\(name)")
      }
      let versions = try await f.call(.get, "/sections/S1/documents", as: "tenderer", with: client)
      #expect(String(buffer: versions.body).components(separatedBy: "\"version\"").count == 2)

      let bidder = PlatformFixture.bidder
      let raised = try await f.call(
        .put, "/sections/S1/objections/Q-1", as: "bidder-\(bidder)", with: client)
      #expect(raised.status == .created)
      let waiting = try await tenderer.get("/sections/S1")
      #expect(waiting.html.contains(#"id="answer-Q-1""#))
      #expect(
        try await tenderer.post("/sections/S1/objection-answer", [("objection", "Q-1")]).status
          == .seeOther)
      #expect(!(try await tenderer.get("/sections/S1").html.contains(#"id="answer-Q-1""#)))

      let empty = try await tenderer.post("/sections/S1/termination", [("reason", " ")])
      #expect(empty.status == .unprocessableContent)
      #expect(empty.html.contains("<details class=\"panel\" id=\"termination\" open>"))
      let done = try await tenderer.post(
        "/sections/S1/termination", [("reason", "项目资金未落实，终止招标。")])
      #expect(done.status == .seeOther)
      let ended = try await tenderer.get("/sections/S1")
      #expect(ended.html.contains(#"id="section-phase">已终止"#))
      #expect(!ended.html.contains(#"id="termination""#))
    }
    await f.platform.store.close()
  }

  /// The administrator's page shows the platform's own work and the log's latest operations
  /// with who did them, and adds an expert (a short password refused beside the form); a key
  /// holder's workspace says when its share is due and gives the command that releases it on
  /// its own machine.
  @Test(arguments: Backend.available)
  func theAdministratorWatchesOperationsAndAHolderSeesItsShareDue(backend: Backend)
    async throws
  {
    let f = try await PlatformFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      let admin = PageBrowser(client)
      _ = try await admin.get("/")
      _ = try await admin.post(
        "/sign-in", [("account", "admin"), ("password", PlatformFixture.password)])
      let page = try await admin.get("/admin")
      #expect(page.status == .ok)
      #expect(page.html.contains(#"id="outbox-pending""#))
      #expect(page.html.contains("<code>published</code></td><td>tenderer</td><td>tenderer</td>"))
      let short = try await admin.post(
        "/admin/accounts",
        [
          ("role", "expert"), ("id", "expert-new"), ("name", "林工"),
          ("creditCode", PlatformFixture.tendererCode), ("password", "short"),
        ])
      #expect(short.status == .unprocessableContent)
      #expect(short.html.contains(#"value="expert-new""#))
      let added = try await admin.post(
        "/admin/accounts",
        [
          ("role", "expert"), ("id", "expert-new"), ("name", "林工"),
          ("creditCode", PlatformFixture.tendererCode), ("specialities", "房建，市政"),
          ("password", "a-long-password"),
        ])
      #expect(added.status == .seeOther)
      let experts = try await admin.get("/admin?role=expert&done=account")
      #expect(experts.html.contains("<code>expert-new</code></td><td>林工</td>"))
      #expect(experts.html.contains("市政、房建") || experts.html.contains("房建、市政"))

      let tenderer = PageBrowser(client)
      _ = try await tenderer.get("/")
      _ = try await tenderer.post(
        "/sign-in", [("account", "tenderer"), ("password", PlatformFixture.password)])
      #expect(try await tenderer.get("/admin").status == .forbidden)

      let holder = PageBrowser(client)
      _ = try await holder.get("/")
      _ = try await holder.post(
        "/sign-in", [("account", "holder1"), ("password", PlatformFixture.password)])
      #expect(try await holder.get("/").html.contains(#"data-section="S1">投标截止后释放"#))
      for code in PlatformFixture.bidders.prefix(3) {
        let envelope = try f.seal(
          bidder: code, plaintext: try PlatformFixture.bundle(bidder: code, priceFen: 1_000_000))
        #expect(try await f.submit(envelope, bidder: code, with: client).status == .created)
      }
      f.clock.set(PlatformFixture.start + 26 * 86_400)
      try await OpeningScheduler(platform: f.platform).tick()
      // Sessions last 12 hours of the platform's clock, which just moved past the deadline.
      _ = try await holder.post(
        "/sign-in", [("account", "holder1"), ("password", PlatformFixture.password)])
      let due = try await holder.get("/")
      #expect(due.html.contains(#"data-section="S1">待释放"#))
      #expect(due.html.contains("zhaocai holder release --platform http://"))
      #expect(due.html.contains("--section S1 --name holder1 --key"))
      // Or in its browser: the page names the bids and the holder's key from the notice.
      let release = try await holder.get("/sections/S1/release")
      #expect(release.html.contains(#"id="release-form""#))
      for code in PlatformFixture.bidders.prefix(3) { #expect(release.html.contains(code)) }
      let holderKey = Data(f.holders[1].sealing.publicKey.rawRepresentation).base64EncodedString()
      #expect(release.html.contains(holderKey))
      _ = try await tenderer.post(
        "/sign-in", [("account", "tenderer"), ("password", PlatformFixture.password)])
      #expect(try await tenderer.get("/sections/S1/release").status == .forbidden)

      // After the deadline a bidder takes back its own envelope to re-verify, not another's.
      let own = PlatformFixture.bidders[0]
      let mine = try await f.call(
        .get, "/sections/S1/bids/\(own)", as: "bidder-\(own)", with: client)
      #expect(mine.status == .ok)
      let theirs = try await f.call(
        .get, "/sections/S1/bids/\(PlatformFixture.bidders[1])", as: "bidder-\(own)", with: client)
      #expect(theirs.status == .forbidden)
    }
    await f.platform.store.close()
  }

  /// The publication form follows the procedure: invitation tendering names whom it invites
  /// (fewer than 3 refused beside the field, 法17); prequalification asks when applications
  /// are due (too soon refused beside it, 条例17).
  /// The section form scores a criterion by the price formula it states, bounded beside it.
  @Test(arguments: Backend.available)
  func theSectionFormSetsThePriceFormula(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      let tenderer = PageBrowser(client)
      _ = try await tenderer.get("/")
      _ = try await tenderer.post(
        "/sign-in", [("account", "tenderer"), ("password", PlatformFixture.password)])
      let fields = [
        ("sectionID", "F1"), ("name", "公式计分标段"), ("estimate", "10,000,000"),
        ("bond", "100000"), ("procedure", "open"), ("method", "comprehensiveScoring"),
        ("criteria", "技术 70\n报价 30"), ("industry", "住建"), ("region", "350102"),
        ("deductionAbove", "1"), ("deductionBelow", "0.5"),
      ]
      let unknown = try await tenderer.post(
        "/sections/new", fields + [("priceCriterion", "投标报价"), ("priceDiscount", "2")])
      #expect(unknown.status == .unprocessableContent)
      #expect(unknown.html.contains("按公式计分的价格因素应为上方所列评分因素之一"))
      let steep = try await tenderer.post(
        "/sections/new", fields + [("priceCriterion", "报价"), ("priceDiscount", "25")])
      #expect(steep.status == .unprocessableContent && steep.html.contains("下浮率为0至20%"))
      _ = try await tenderer.post(
        "/sections/new", fields + [("priceCriterion", "报价"), ("priceDiscount", "2")])
      let terms =
        try #require(
          try JSONSerialization.jsonObject(
            with: Data(
              buffer: try await f.call(.get, "/sections/F1", as: "tenderer", with: client).body))
            as? [String: Any])["terms"] as? [String: Any]
      let criteria = try #require(terms?["criteria"] as? [[String: Any]])
      #expect(criteria.first?["priceFormula"] == nil)
      #expect(
        criteria.last?["priceFormula"] as? [String: Int] == [
          "discount": 200, "deductionAbove": 100, "deductionBelow": 50,
        ])
      #expect(try await tenderer.get("/sections/F1").html.contains("按价格公式计分"))
    }
    await f.platform.store.close()
  }

  @Test(arguments: Backend.available)
  func thePublicationFormAsksWhatItsProcedureNeeds(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      for (id, procedure) in [("S2", "invitation"), ("S3", "openWithPrequalification")] {
        let terms = PlatformFixture.termsJSON
          .replacingOccurrences(of: #""sectionID":"S1""#, with: #""sectionID":"\#(id)""#)
          .replacingOccurrences(of: #""procedure":"open""#, with: #""procedure":"\#(procedure)""#)
        let created = try await client.execute(
          uri: "/api/v1/sections", method: .post, headers: try await f.tenderer(),
          body: ByteBuffer(string: terms))
        #expect(created.status == .created)
      }
      let tenderer = PageBrowser(client)
      _ = try await tenderer.get("/")
      _ = try await tenderer.post(
        "/sign-in", [("account", "tenderer"), ("password", PlatformFixture.password)])
      let invitation = try await tenderer.get("/sections/S2")
      #expect(invitation.html.contains(#"id="invited""#))
      #expect(!invitation.html.contains(#"id="applicationDeadline""#))
      let dates = [
        ("saleEndsAt", "2026-11-09T17:00"), ("bidDeadline", "2026-11-27T09:30"),
        ("holdersFrom", "S1"), ("threshold", "2"),
      ]
      let two = try await tenderer.post(
        "/sections/S2/publication",
        dates + [("invited", "\(PlatformFixture.bidders[0]) \(PlatformFixture.bidders[1])")])
      #expect(two.status == .unprocessableContent)
      #expect(two.html.contains("邀请招标应当向3个以上的潜在投标人发出投标邀请书（法17）"))
      #expect(two.html.contains(#"id="invited-error""#))
      let bad = try await tenderer.post(
        "/sections/S2/publication", dates + [("invited", "不是代码")])
      #expect(bad.html.contains(#"id="invited-error">"#))
      let three = try await tenderer.post(
        "/sections/S2/publication",
        dates + [("invited", PlatformFixture.bidders.prefix(3).joined(separator: "，"))])
      #expect(three.status == .seeOther)
      #expect(try await tenderer.get("/sections/S2").html.contains(#"id="section-phase">投标"#))

      let prequalification = try await tenderer.get("/sections/S3")
      #expect(prequalification.html.contains(#"id="applicationDeadline""#))
      let soon = try await tenderer.post(
        "/sections/S3/publication", dates + [("applicationDeadline", "2026-11-10T09:00")])
      #expect(soon.status == .unprocessableContent)
      #expect(soon.html.contains(#"id="application-error""#))
      #expect(soon.html.contains("条例17"))
    }
    await f.platform.store.close()
  }
}
