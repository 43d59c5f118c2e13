import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiTestSupport

@testable import TradingPlatform

/// A whole tender over HTTP, from notice to archive, on SQLite and on PostgreSQL.
@Suite struct LifecycleTests {
  static let experts = (1...7).map { "expert-\($0)" }
  /// Employed by the first bidder: must never sit on the committee (条例46).
  static let tiedExpert = "expert-7"

  func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
  }

  func list(_ response: TestResponse) throws -> [[String: Any]] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
  }

  @Test(arguments: Backend.available)
  func aTenderRunsFromNoticeToArchive(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let bidders = PlatformFixture.bidders
    let app = try f.platform.application(port: 0)
    let documentName = "招标文件.pdf".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    try await app.test(.live) { client in
      func call(
        _ method: HTTPRequest.Method, _ uri: String, as account: String?, _ body: String? = nil
      )
        async throws -> TestResponse
      {
        try await f.call(method, uri, as: account, json: body, with: client)
      }

      // The administrator adds the expert pool; nobody else may.
      for (i, expert) in Self.experts.enumerated() {
        let employer = expert == Self.tiedExpert ? bidders[0] : "913501000\(i + 1)000001XY"
        let body = """
          {"id":"\(expert)","password":"\(PlatformFixture.password)","role":"expert","name":"专家\(i + 1)",
           "creditCode":"\(try completed(employer))","specialities":["房建"]}
          """
        if i == 0 {
          #expect((try await call(.post, "/accounts", as: nil, body)).status == .unauthorized)
          #expect(
            (try await call(.post, "/accounts", as: "bidder-\(bidders[0])", body)).status
              == .forbidden)
        }
        #expect((try await call(.post, "/accounts", as: "admin", body)).status == .created)
      }
      let badCode = try await call(
        .post, "/accounts", as: nil,
        #"{"id":"someone","password":"password-123","role":"tenderer","name":"某公司","creditCode":"91350100M000100Y44"}"#
      )
      #expect(problemCode(badCode) == "RULE_CREDIT_CODE_VALID")

      // Project, documents, notice. A bidder cannot create or publish; anonymous cannot either.
      #expect(
        (try await call(.post, "/sections", as: nil, PlatformFixture.termsJSON)).status
          == .unauthorized)
      #expect(
        (try await call(.post, "/sections", as: "bidder-\(bidders[0])", PlatformFixture.termsJSON))
          .status == .forbidden)
      #expect(
        (try await call(.post, "/sections", as: "tenderer", PlatformFixture.termsJSON)).status
          == .created)
      // A draft is the tenderer's: to anyone else it does not exist yet.
      for stranger in [nil, "bidder-\(bidders[0])", "expert-1"] {
        #expect((try await call(.get, "/sections/S1", as: stranger)).status == .notFound)
      }
      #expect((try await call(.get, "/sections/S1", as: "tenderer")).status == .ok)
      let v1 = try await client.execute(
        uri: "/api/v1/sections/S1/documents/\(documentName)", method: .put,
        headers: try await f.tenderer(binaryHeaders), body: ByteBuffer(string: "招标文件 第一版"))
      #expect(v1.status == .created)
      #expect(
        (try await call(
          .post, "/sections/S1/publication", as: "bidder-\(bidders[0])", f.scheduleJSON))
          .status == .forbidden)
      #expect(
        (try await call(.post, "/sections/S1/publication", as: "tenderer", f.scheduleJSON)).status
          == .ok)

      // Bidders download the documents (registered) and pay their bonds.
      f.clock.set(PlatformFixture.start + 86_400)
      for (i, bidder) in bidders.enumerated() {
        let download = try await call(
          .get, "/sections/S1/documents/versions/1", as: "bidder-\(bidder)")
        #expect(String(buffer: download.body) == "招标文件 第一版")
        let bond = #"{"amountFen":80000000,"payingAccount":"62220202001122334\#(i)"}"#
        #expect(
          (try await call(.put, "/sections/S1/bonds/\(bidder)", as: "bidder-\(bidder)", bond))
            .status
            == .created)
      }
      // An amount no bond can be is refused by its rule, not a crash (abs of Int64.min trapped).
      let absurd = try await call(
        .put, "/sections/S1/bonds/\(bidders[0])", as: "bidder-\(bidders[0])",
        #"{"amountFen":-9223372036854775808,"payingAccount":"6222020200112233"}"#)
      #expect(absurd.status == .unprocessableContent)
      #expect(String(buffer: absurd.body).contains("-¥92,233,720,368,547,758.08"))
      let short = try await call(
        .put, "/sections/S1/bonds/\(bidders[0])", as: "bidder-\(bidders[0])",
        #"{"amountFen":100,"payingAccount":"6222020200112233"}"#)
      #expect(short.status == .unprocessableContent)
      // Who took the documents is the platform's to know until the deadline (法22).
      #expect((try await call(.get, "/sections/S1/downloads", as: "tenderer")).status == .forbidden)
      let register = try list(try await call(.get, "/sections/S1/downloads", as: "admin"))
      #expect(Set(register.compactMap { $0["party"] as? String }) == Set(bidders))
      #expect(
        (try await call(.get, "/sections/S1/downloads", as: "bidder-\(bidders[0])")).status
          == .forbidden)
      // After the sale period the documents are no longer sold.
      f.clock.set(PlatformFixture.start + 8 * 86_400)
      let closed = try await call(
        .get, "/sections/S1/documents/versions/1", as: "bidder-\(bidders[0])")
      #expect(problemCode(closed) == "INVALID_INPUT")

      // A late amendment (16 Nov, 11 days before the deadline) moves the deadline by 4 days and
      // reaches every bidder that downloaded.
      f.clock.set(LegalDate("2026-11-16")!.startInstant + 10 * 3600)
      let v2 = try object(
        try await client.execute(
          uri: "/api/v1/sections/S1/documents/\(documentName)", method: .put,
          headers: try await f.tenderer(binaryHeaders), body: ByteBuffer(string: "招标文件 第二版")))
      #expect(v2["version"] as? Int == 2)
      #expect(v2["notified"] as? Int == bidders.count)
      let deadline = PlatformFixture.deadline + 4 * 86_400
      let inbox = try list(try await call(.get, "/notifications", as: "bidder-\(bidders[1])"))
      #expect(inbox.first?["message"] as? String == "招标文件已澄清或修改（第1次），投标截止时间：2026-12-01 09:30")

      // Sealed bids: two good ones, one that will be rejected, one whose bundle is unreadable.
      f.clock.set(LegalDate("2026-11-20")!.startInstant + 10 * 3600)
      let prices: [Int64] = [4_200_000_000, 3_900_000_000, 4_100_000_000, 0]
      for (i, bidder) in bidders.enumerated() {
        let plaintext =
          i == 3
          ? Array("不是投标文件包".utf8)
          : try PlatformFixture.bundle(bidder: bidder, priceFen: prices[i])
        let envelope = try f.seal(openingTime: deadline, bidder: bidder, plaintext: plaintext)
        #expect(try await f.submit(envelope, bidder: bidder, with: client).status == .created)
      }
      // Only the bidder itself may submit for itself.
      let impostor = try await client.execute(
        uri: "/api/v1/sections/S1/bids/\(bidders[1])", method: .put,
        headers: try await f.bidder(bidders[0]),
        body: ByteBuffer(bytes: try f.seal(openingTime: deadline, bidder: bidders[1])))
      #expect(impostor.status == .forbidden)

      // The deadline: the scheduler closes bidding; two holders release; the record is out.
      f.clock.set(deadline)
      #expect(try await OpeningScheduler(platform: f.platform).tick() == ["S1": .opening])
      let afterDeadline = try list(try await call(.get, "/sections/S1/downloads", as: "tenderer"))
      #expect(afterDeadline.count == bidders.count)
      for holder in [0, 2] {
        #expect(try await f.release(holder: holder, bidders: bidders, with: client).status == .ok)
      }
      // With two of three holders in, the scheduler runs the opening itself.
      #expect(try await OpeningScheduler(platform: f.platform).tick() == ["S1": .opening])
      let record = try list(try await call(.get, "/sections/S1/opening/record", as: nil))
      let outcomes = Dictionary(
        uniqueKeysWithValues: record.map { ($0["bidder"] as! String, $0["outcome"] as! String) })
      #expect(
        outcomes == [
          bidders[0]: "opened", bidders[1]: "opened", bidders[2]: "opened", bidders[3]: "revoked",
        ])

      // Confirmations and an objection on the spot, which holds the close until answered.
      for bidder in bidders.prefix(3) {
        #expect(
          (try await call(
            .put, "/sections/S1/opening/confirmations/\(bidder)", as: "bidder-\(bidder)"))
            .status == .ok)
      }
      // What the objection says is bounded like any text a person types; a refused one leaves
      // no objection behind.
      for refused in [
        #"{"statement":"\#(String(repeating: "异", count: 2001))"}"#,
        #"{"statement":"唱标有误\u202E"}"#,
      ] {
        let response = try await call(
          .put, "/sections/S1/opening/objections/OO-0", as: "bidder-\(bidders[3])", refused)
        #expect(
          ["INVALID_INPUT", "TEXT_FORBIDDEN_CHARACTER"].contains(problemCode(response)),
          "\(String(buffer: response.body))")
      }
      // A body larger than any statement is not read further.
      let huge = try await call(
        .put, "/sections/S1/opening/objections/OO-0", as: "bidder-\(bidders[3])",
        #"{"statement":"\#(String(repeating: "x", count: 20_000))"}"#)
      #expect(problemCode(huge) == "BODY_TOO_LARGE")
      #expect(try list(try await call(.get, "/sections/S1/opening/objections", as: nil)).isEmpty)
      #expect(
        (try await call(
          .put, "/sections/S1/opening/objections/OO-1", as: "bidder-\(bidders[3])",
          #"{"statement":"我方投标文件应能解密，请核对密钥份额。"}"#))
          .status
          == .created)
      let held = try await call(.post, "/sections/S1/opening/close", as: "tenderer")
      #expect(problemCode(held) == "RULE_OPENING_OBJECTION_ON_THE_SPOT")
      #expect(
        (try await call(
          .post, "/sections/S1/objections/OO-1/answer", as: "tenderer",
          #"{"answer":"两名持有人的份额均已核对，该投标文件的签名密钥与登记不符。"}"#)).status == .ok
      )
      // Anyone at the hall sees what was said and answered, not who said it.
      let objections = try list(try await call(.get, "/sections/S1/opening/objections", as: nil))
      #expect(objections.count == 1)
      #expect(objections.first?["statement"] as? String == "我方投标文件应能解密，请核对密钥份额。")
      #expect((objections.first?["answer"] as? String)?.hasPrefix("两名持有人") == true)
      #expect(objections.first?["answeredAt"] != nil && objections.first?["raisedBy"] == nil)
      // The words are in the log as well, so the record proves what was said.
      let logged = { () async throws -> [SectionEvent] in
        try await f.platform.store.read { try await SectionStore.loggedEvents(of: "S1", on: $0) }
          .map(\.event)
      }
      let words = try await logged().compactMap { event -> (Bool, String)? in
        if case .objectionStated("OO-1", let answer, let text, _) = event {
          (answer, text)
        } else {
          nil
        }
      }
      #expect(words.map(\.0) == [false, true])
      #expect(words.first?.1 == "我方投标文件应能解密，请核对密钥份额。")
      #expect((try await call(.post, "/sections/S1/opening/close", as: "tenderer")).status == .ok)

      // The committee: 4 experts drawn with recusal plus the tenderer's representative.
      let tooSmall = try await call(
        .post, "/sections/S1/committee", as: "tenderer",
        #"{"experts":3,"representatives":["tenderer"]}"#)
      #expect(problemCode(tooSmall) == "RULE_COMMITTEE_COMPOSITION")
      // A negative count is no committee (prefix(-1) trapped); one person holds one seat (法37).
      for refused in [
        #"{"experts":-1,"representatives":["tenderer"]}"#,
        #"{"experts":4,"speciality":"房建","representatives":["tenderer","tenderer"]}"#,
      ] {
        let response = try await call(.post, "/sections/S1/committee", as: "tenderer", refused)
        #expect(problemCode(response) == "RULE_COMMITTEE_COMPOSITION")
      }
      let seated = try object(
        try await call(
          .post, "/sections/S1/committee", as: "tenderer",
          #"{"experts":4,"speciality":"房建","representatives":["tenderer"]}"#))
      let evaluation = try #require(seated["evaluation"] as? [String: Any])
      #expect(evaluation["members"] as? Int == 5)
      // The tenderer's representative sits on the committee and so sees who its members are.
      #expect(evaluation["memberNames"] as? [String] != nil)
      var drawn: [String] = []
      for expert in Self.experts {
        let messages = try list(try await call(.get, "/notifications", as: expert))
        if !messages.isEmpty { drawn.append(expert) }
      }
      #expect(drawn.count == 4)
      #expect(!drawn.contains(Self.tiedExpert))
      // A drawn expert tied to a bidder recuses before checking in (条例46); nothing is decided
      // until an expert is drawn in its place, none of the committee nor the one who recused.
      let recusing = drawn[3]
      #expect(
        (try await call(.post, "/sections/S1/evaluation/recusal", as: recusing)).status == .ok)
      let waiting = try object(try await call(.get, "/sections/S1", as: "tenderer"))
      let seats = try #require(waiting["evaluation"] as? [String: Any])
      #expect(seats["vacancies"] as? Int == 1 && seats["members"] as? Int == 4)
      #expect(
        (try await call(.post, "/sections/S1/evaluation/recusal", as: recusing)).status
          == .forbidden)
      #expect(
        problemCode(
          try await call(
            .put, "/sections/S1/evaluation/leader-vote", as: drawn[0],
            #"{"candidate":"\#(drawn[0])"}"#)) == "RULE_COMMITTEE_COMPOSITION")
      #expect(
        (try await call(.post, "/sections/S1/committee/replacements", as: drawn[0])).status
          == .forbidden)
      let replenished = try object(
        try await call(.post, "/sections/S1/committee/replacements", as: "tenderer"))
      #expect((replenished["evaluation"] as? [String: Any])?["members"] as? Int == 5)
      #expect(
        problemCode(try await call(.post, "/sections/S1/committee/replacements", as: "tenderer"))
          == "STATE_WRONG_PHASE")
      drawn = []
      for expert in Self.experts where expert != recusing {
        let messages = try list(try await call(.get, "/notifications", as: expert))
        if !messages.isEmpty { drawn.append(expert) }
      }
      #expect(drawn.count == 4 && !drawn.contains(Self.tiedExpert))
      let outsider = try #require(
        Self.experts.first { !drawn.contains($0) && $0 != Self.tiedExpert })
      let members = drawn + ["tenderer"]
      // A member reads an opened bid's documents, decrypted again and checked against the
      // manifest; the tenderer too; another bidder and an expert outside the committee do not,
      // and a bid the opening could not decrypt stays sealed.
      let opened = "/sections/S1/opened-bids/\(bidders[0])/documents"
      let listed = try list(try await call(.get, opened, as: drawn[0]))
      #expect(listed.map { $0["name"] as? String } == ["tech.pdf"])
      let read = try await call(.get, opened + "/0", as: "tenderer")
      #expect(read.status == .ok && String(buffer: read.body) == "技术标")
      #expect(read.headers[HTTPField.Name("zhaocai-document-name")!] == "tech.pdf")
      #expect(
        (try await call(.get, opened + "/0", as: "bidder-\(bidders[1])")).status == .forbidden)
      #expect((try await call(.get, opened, as: outsider)).status == .forbidden)
      #expect((try await call(.get, opened + "/1", as: drawn[0])).status == .notFound)
      #expect(
        (try await call(.get, "/sections/S1/opened-bids/\(bidders[3])/documents", as: drawn[0]))
          .status == .notFound)
      // The members read the signs found at the opening (条例40); an expert outside does not.
      let signs = try await call(.get, "/sections/S1/collusion-signs", as: drawn[0])
      #expect(signs.status == .ok)
      #expect(
        (try await call(.get, "/sections/S1/collusion-signs", as: outsider)).status == .forbidden)

      // Members check in (条例46) before anything else, see each other to elect their leader
      // (评标暂行规定9), and review stage by stage.
      let unchecked = try await call(
        .put, "/sections/S1/evaluation/rejections/\(bidders[1])", as: drawn[0],
        #"{"ground":"notResponsive"}"#)
      #expect(problemCode(unchecked) == "RULE_EVALUATION_STAGES")
      for member in members {
        #expect(
          (try await call(.post, "/sections/S1/evaluation/check-in", as: member)).status == .ok)
      }
      #expect(
        (try await call(.post, "/sections/S1/evaluation/check-in", as: outsider)).status
          == .forbidden)
      let seen = try object(try await call(.get, "/sections/S1", as: drawn[1]))
      #expect(
        Set((seen["evaluation"] as? [String: Any])?["memberNames"] as? [String] ?? [])
          == Set(members))
      let vote = { (candidate: String) in #"{"candidate":"\#(candidate)"}"# }
      #expect(
        problemCode(
          try await call(.put, "/sections/S1/evaluation/leader-vote", as: drawn[1], vote(outsider)))
          == "RULE_COMMITTEE_LEADER")
      for member in members.prefix(3) {
        #expect(
          (try await call(.put, "/sections/S1/evaluation/leader-vote", as: member, vote(drawn[0])))
            .status == .ok)
      }
      let led = try #require(
        try object(try await call(.get, "/sections/S1", as: "tenderer"))["evaluation"]
          as? [String: Any])
      #expect(led["leaderElected"] as? Bool == true && led["stage"] as? String == "qualification")
      #expect(led["leader"] as? String == drawn[0] && led["checkedIn"] as? Int == 5)
      // A bidder sees neither the names nor the committee's progress while it evaluates.
      let outside = try #require(
        try object(try await call(.get, "/sections/S1", as: "bidder-\(bidders[0])"))["evaluation"]
          as? [String: Any])
      #expect(outside["memberNames"] == nil && outside["leader"] == nil && outside["stage"] == nil)
      for member in members {
        #expect(
          (try await call(
            .put, "/sections/S1/evaluation/stages/qualification/conclusion", as: member)).status
            == .ok)
      }

      // In the preliminary review three members flag the third bid; everyone then scores
      // alone; an outsider cannot.
      for member in members.prefix(3) {
        #expect(
          (try await call(
            .put, "/sections/S1/evaluation/rejections/\(bidders[1])", as: member,
            #"{"ground":"notResponsive"}"#)).status == .ok)
      }
      for member in members {
        #expect(
          (try await call(
            .put, "/sections/S1/evaluation/stages/preliminary/conclusion", as: member)).status
            == .ok)
      }
      let sheet = """
        {"points":{"\(bidders[0])":{"技术":6000,"商务":2000},"\(bidders[1])":{"技术":9000,"商务":2500},
                   "\(bidders[2])":{"技术":7000,"商务":2200}}}
        """
      #expect(
        (try await call(.put, "/sections/S1/evaluation/scores", as: outsider, sheet)).status
          == .forbidden)
      let overCap = sheet.replacingOccurrences(of: "9000", with: "9001")
      #expect(
        problemCode(try await call(.put, "/sections/S1/evaluation/scores", as: drawn[0], overCap))
          == "INVALID_INPUT")
      // Two of five find the time too short: more than a third, so the evaluation is extended.
      for member in members.suffix(2) {
        #expect(
          (try await call(.post, "/sections/S1/evaluation/time-requests", as: member)).status == .ok
        )
      }
      let extended = try object(try await call(.get, "/sections/S1", as: "tenderer"))
      #expect((extended["evaluation"] as? [String: Any])?["extended"] as? Bool == true)
      // A member keeps a draft with marks left out, bounded as a sheet is; it reads its own and
      // nobody else's; handing the sheet in removes it, and no draft follows a sheet handed in.
      let partial = #"{"points":{"\#(bidders[0])":{"技术":5500}}}"#
      #expect(
        problemCode(try await call(.put, "/sections/S1/evaluation/draft", as: drawn[0], overCap))
          == "INVALID_INPUT")
      #expect(
        (try await call(.put, "/sections/S1/evaluation/draft", as: outsider, partial)).status
          == .forbidden)
      #expect(
        (try await call(.put, "/sections/S1/evaluation/draft", as: drawn[0], partial)).status
          == .ok)
      let kept = try object(try await call(.get, "/sections/S1/evaluation/draft", as: drawn[0]))
      #expect(
        ((kept["sheet"] as? [String: Any])?["points"] as? [String: [String: Int]])?[bidders[0]]
          == ["技术": 5500])
      #expect(
        (try await call(.get, "/sections/S1/evaluation/draft", as: drawn[1])).status == .notFound)
      for member in members {
        #expect(
          (try await call(.put, "/sections/S1/evaluation/scores", as: member, sheet)).status == .ok)
      }
      #expect(
        (try await call(.get, "/sections/S1/evaluation/draft", as: drawn[0])).status == .notFound)
      #expect(
        (try await call(.put, "/sections/S1/evaluation/draft", as: drawn[0], partial)).status
          == .conflict)
      // Only the leader takes the committee back, with a reason that is text; the sheets set
      // aside are handed in again, and the price stage is concluded by all.
      let back = { (reason: String) in #"{"stage":"detailed","reason":"\#(reason)"}"# }
      #expect(
        problemCode(
          try await call(.post, "/sections/S1/evaluation/returns", as: drawn[1], back("重新评分")))
          == "RULE_COMMITTEE_LEADER")
      #expect(
        (try await call(.post, "/sections/S1/evaluation/returns", as: drawn[0], back("\\u202e")))
          .status == .badRequest)
      #expect(
        problemCode(
          try await call(.post, "/sections/S1/evaluation/returns", as: drawn[0], back("  ")))
          == "INVALID_INPUT")
      let returned = try object(
        try await call(
          .post, "/sections/S1/evaluation/returns", as: drawn[0], back("商务分计算口径不一致，重新评分")))
      // In the room, the member starts again from the sheet it handed in before the return.
      let room = PageBrowser(client)
      _ = try await room.get("/")
      _ = try await room.post(
        "/sign-in", [("account", drawn[0]), ("password", PlatformFixture.password)])
      let again = try await room.get("/sections/S1/evaluation")
      #expect(again.html.contains(#"id="from-set-aside""#) && again.html.contains("详细评审"))
      let afterReturn = try #require(returned["evaluation"] as? [String: Any])
      #expect(afterReturn["stage"] as? String == "detailed" && afterReturn["scored"] as? Int == 0)
      #expect(
        (afterReturn["returns"] as? [[String: Any]])?.first?["reason"] as? String
          == "商务分计算口径不一致，重新评分")
      for member in members {
        #expect(
          (try await call(.put, "/sections/S1/evaluation/scores", as: member, sheet)).status == .ok)
      }
      for member in members {
        #expect(
          (try await call(.put, "/sections/S1/evaluation/stages/price/conclusion", as: member))
            .status == .ok)
      }
      // A report names 1 to 3 candidates: 0 failed the section with no bid rejected, -1 trapped.
      for count in [-1, 0, 4] {
        let refused = try await call(
          .post, "/sections/S1/evaluation/report", as: drawn[0], #"{"candidates":\#(count)}"#)
        #expect(problemCode(refused) == "RULE_MAX_3_CANDIDATES")
      }
      #expect(
        try object(try await call(.get, "/sections/S1", as: "tenderer"))["phase"] as? String
          == "evaluation")
      let unsignable = try await call(
        .put, "/sections/S1/evaluation/report/signatures", as: drawn[0])
      #expect(problemCode(unsignable) == "STATE_WRONG_PHASE")
      let reported = try object(
        try await call(.post, "/sections/S1/evaluation/report", as: drawn[0], #"{"candidates":3}"#))
      let report = try #require(reported["evaluation"] as? [String: Any])
      #expect(report["candidates"] as? [String] == [bidders[2], bidders[0]])
      #expect(report["rejected"] as? [String] == [bidders[1]])
      // Each member signs once, a dissent stated in writing (条例53); the report notes it
      // without the name; nobody else signs; the tenderer reads the signatures.
      let dissent = #"{"dissent":"第三名的技术方案不满足工期要求，不同意推荐。"}"#
      let firstSignature = try object(
        try await call(.put, "/sections/S1/evaluation/report/signatures", as: drawn[1], dissent))
      #expect(firstSignature["signed"] as? Int == 1 && firstSignature["members"] as? Int == 5)
      #expect(
        (firstSignature["dissents"] as? [[String: Any]])?.first?["text"] as? String
          == "第三名的技术方案不满足工期要求，不同意推荐。")
      #expect(
        problemCode(
          try await call(.put, "/sections/S1/evaluation/report/signatures", as: drawn[1]))
          == "STATE_WRONG_PHASE")
      #expect(
        (try await call(.put, "/sections/S1/evaluation/report/signatures", as: drawn[0])).status
          == .ok)
      for stranger in [outsider, "bidder-\(bidders[0])"] {
        #expect(
          (try await call(.put, "/sections/S1/evaluation/report/signatures", as: stranger)).status
            == .forbidden)
      }
      let signatures = try object(
        try await call(.get, "/sections/S1/evaluation/report/signatures", as: "tenderer"))
      #expect(signatures["signed"] as? Int == 2 && (signatures["dissents"] as? [Any])?.count == 1)
      let signedLog = try await logged().compactMap { event -> (String, String?)? in
        if case .reportSigned(let member, let dissent, _) = event { (member, dissent) } else { nil }
      }
      #expect(signedLog.map(\.0) == [drawn[1], drawn[0]])
      #expect(
        signedLog.first?.1 == "第三名的技术方案不满足工期要求，不同意推荐。" && signedLog.last?.1 == nil)

      // Publicity of 3 days; an objection holds the award until answered.
      let now = f.clock.now()
      let tooShort = try await call(
        .post, "/sections/S1/publicity", as: "tenderer",
        #"{"start":"\#(iso(now))","end":"\#(iso(now + 2 * 86_400))"}"#)
      #expect(problemCode(tooShort) == "RULE_PUBLICITY_MIN_3_DAYS")
      // Publicity starts when it is published: "started four days ago, ended an hour ago" is
      // a publicity of no time at all.
      let backdated = try await call(
        .post, "/sections/S1/publicity", as: "tenderer",
        #"{"start":"\#(iso(now - 4 * 86_400))","end":"\#(iso(now - 3600))"}"#)
      #expect(problemCode(backdated) == "RULE_PUBLICITY_MIN_3_DAYS")
      let end = now + 3 * 86_400 + 3600
      #expect(
        (try await call(
          .post, "/sections/S1/publicity", as: "tenderer",
          #"{"start":"\#(iso(now))","end":"\#(iso(end))"}"#))
          .status == .ok)
      f.clock.set(now + 86_400)
      let duringPublicity = try await call(
        .post, "/sections/S1/award", as: "tenderer", #"{"bidder":"\#(bidders[2])"}"#)
      #expect(problemCode(duringPublicity) == "RULE_PUBLICITY_MIN_3_DAYS")
      #expect(
        (try await call(.put, "/sections/S1/publicity/objections/PO-1", as: "bidder-\(bidders[0])"))
          .status == .created)
      f.clock.set(end)
      let award = #"{"bidder":"\#(bidders[2])"}"#
      #expect(
        problemCode(try await call(.post, "/sections/S1/award", as: "tenderer", award))
          == "RULE_OBJECTION_ANSWER_3_DAYS")
      #expect(
        (try await call(.post, "/sections/S1/objections/PO-1/answer", as: "tenderer")).status == .ok
      )
      let secondRank = #"{"bidder":"\#(bidders[0])"}"#
      #expect(
        problemCode(try await call(.post, "/sections/S1/award", as: "tenderer", secondRank))
          == "RULE_FIRST_CANDIDATE_WINS")
      // The first candidate's standing down is not the tenderer's word (条例55).
      let onItsWord = #"{"bidder":"\#(bidders[0])","excusedHigherRanks":[1]}"#
      #expect(
        problemCode(try await call(.post, "/sections/S1/award", as: "tenderer", onItsWord))
          == "INVALID_INPUT")
      let awarded = try object(try await call(.post, "/sections/S1/award", as: "tenderer", award))
      #expect(awarded["phase"] as? String == "awarded")
      // The result notice names the committee.
      let named = try #require(awarded["evaluation"] as? [String: Any])
      #expect(Set(named["memberNames"] as? [String] ?? []) == Set(members))

      // Contract (performance bond ≤ 10%), bonds refunded, report, archive.
      f.clock.advance(seconds: 7 * 86_400)
      let greedy = #"{"priceFen":4100000000,"performanceBondFen":410000001}"#
      #expect(
        problemCode(try await call(.post, "/sections/S1/contract", as: "tenderer", greedy))
          == "RULE_PERFORMANCE_BOND_MAX_10_PERCENT")
      let contract = #"{"priceFen":4100000000,"performanceBondFen":410000000}"#
      let signed = try object(
        try await call(.post, "/sections/S1/contract", as: "tenderer", contract))
      #expect(signed["phase"] as? String == "contracted")
      for bidder in bidders {
        #expect(
          (try await call(.post, "/sections/S1/bonds/\(bidder)/refund", as: "tenderer")).status
            == .ok)
      }
      // The written report is 15 days late: the scheduler records it (法47) before it is filed,
      // once however often it looks (award 4 Dec, due Monday 21 Dec, now 22 Dec).
      f.clock.advance(seconds: 11 * 86_400)
      try await OpeningScheduler(platform: f.platform).tick()
      try await OpeningScheduler(platform: f.platform).tick()
      let overdue = try object(try await call(.get, "/sections/S1", as: "tenderer"))
      #expect(
        (overdue["award"] as? [String: Any])?["missed"] as? [String] == [
          "RULE_REPORT_WITHIN_15_DAYS"
        ])
      #expect((try await call(.post, "/sections/S1/report", as: "tenderer")).status == .ok)
      let early = try await call(.get, "/sections/S1/archive", as: "tenderer")
      #expect(problemCode(early) == "STATE_WRONG_PHASE")
      let archived = try object(try await call(.post, "/sections/S1/archive", as: "tenderer"))
      #expect(archived["phase"] as? String == "archived")

      let notices = try list(try await call(.get, "/sections/S1/notices", as: nil))
      #expect(
        notices.compactMap { $0["kind"] as? String } == [
          "tenderNotice", "amendment", "candidatePublicity", "resultNotice", "contractNotice",
        ])

      // The archive verifies offline, with the command too; an altered file is caught.
      let archiveResponse = try await call(.get, "/sections/S1/archive", as: "tenderer")
      let archive = try JSONDecoder().decode(
        SectionArchive.self, from: Data(buffer: archiveResponse.body))
      let summary = try archive.verify(with: f.platform.logSigner.verifier)
      #expect(summary.files == 2 + bidders.count)
      let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "archive-\(UUID()).json")
      defer { try? FileManager.default.removeItem(at: file) }
      try Data(buffer: archiveResponse.body).write(to: file)
      let key = f.platform.logSigner.verifier.verifierKey
      #expect(
        try await runZhaocai(["log", "verify", "--archive", file.path, "--key", key]).status == 0)
      var altered = archive
      altered.files[0].content = Data("招标文件 被篡改".utf8)
      #expect(throws: SectionArchive.Failure.fileAltered(name: altered.files[0].name)) {
        try altered.verify(with: f.platform.logSigner.verifier)
      }
      try JSONEncoder().encode(altered).write(to: file)
      let refused = try await runZhaocai(["log", "verify", "--archive", file.path, "--key", key])
      #expect(refused.status == 1)
      #expect(refused.stderr.contains("does not match its hash"))
    }
    #expect(f.leftoverUploads.isEmpty)
    await f.platform.store.close()
  }
}

func iso(_ seconds: Int64) -> String {
  ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
}
