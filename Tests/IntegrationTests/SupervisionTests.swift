import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import SupervisionPlatform
@testable import TradingPlatform

/// Live tracking and the remit: the trading platform sends its process events to the supervision
/// platform (withholding bids and downloads before the opening); a supervisor sees and acts only
/// on processes of its department's industry and region (a province sees its cities), and every
/// view and attempt is recorded.
@Suite struct SupervisionRemitTests {
  @Test(arguments: Backend.available)
  func aSupervisorSeesAndActsOnlyWithinItsRemit(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    try await s.serve(f) { sup, client, trading, relay in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 10 * 86_400)
      #expect(
        try await f.submit(try f.seal(), bidder: PlatformFixture.bidder, with: client).status
          == .created)
      var applied = 0
      while case let n = try await relay.deliverToSupervision(batch: 3), n > 0 { applied += n }
      let logSize = try await f.platform.store.transaction {
        try await PersistentLog.size(on: $0)
      }
      #expect(
        try await s.store.transaction {
          try await TrackingRepository.lastApplied("trading.fz", on: $0)
        }
          == logSize)
      #expect(applied > 0)

      // Least privilege: no bidder's name, nobody's address, nobody's account reaches it.
      let payloads = try await s.store.transaction { database in
        try await database.raw("SELECT payload FROM sup_events").all().map {
          try $0.decode(column: "payload", as: String.self)
        }
      }
      #expect(!payloads.isEmpty)
      for payload in payloads {
        #expect(!payload.contains(PlatformFixture.bidder))
        #expect(!payload.contains("127.0.0.1"))
        #expect(!payload.contains(#""by""#))
      }

      for (supervisor, sees) in [
        ("fj-zj-1", true), ("fz-zj-1", true), ("xm-zj-1", false), ("fz-jt-1", false),
      ] {
        let listed = try jsonArray(
          try await s.call(.get, "/processes", as: supervisor, with: sup))
        #expect(listed.map { $0["section"] as? String } == (sees ? ["S1"] : []))
        let detail = try await s.call(.get, "/processes/trading.fz/S1", as: supervisor, with: sup)
        #expect(detail.status == (sees ? .ok : .notFound))
        if sees {
          let object = try jsonObject(detail)
          let timeline = try #require(object["timeline"] as? [[String: Any]])
          #expect(timeline.contains { ($0["detail"] as? String)?.contains("published") == true })
          #expect((object["process"] as? [String: Any])?["phase"] as? String == "bidding")
        } else {
          #expect(problemCode(detail) == "NOT_IN_REMIT")
          let order = try await s.call(
            .post, "/orders", as: supervisor,
            json: #"{"platform":"trading.fz","section":"S1","kind":"suspend","reason":"越权"}"#,
            with: sup)
          #expect(order.status == .notFound)
          #expect(problemCode(order) == "NOT_IN_REMIT")
          #expect(
            try jsonArray(try await s.call(.get, "/alerts", as: supervisor, with: sup)).isEmpty)
        }
      }
      // The outsiders' attempts changed nothing on the trading platform.
      let section = try await f.call(.get, "/sections/S1", as: "tenderer", with: client)
      #expect(try jsonObject(section)["suspendingOrder"] == nil)
      // Anonymous: refused; every view and attempt was recorded, with its address — a request
      // refused before it reached its handler, and a query, too.
      #expect(try await s.call(.get, "/processes", as: nil, with: sup).status == .unauthorized)
      let garbled = try await s.call(.post, "/orders", as: "xm-zj-1", json: "{", with: sup)
      #expect(garbled.status == .badRequest)
      _ = try await s.call(.get, "/processes?phase=bidding", as: "xm-zj-1", with: sup)
      let accesses = try jsonArray(
        try await s.call(.get, "/access-log", as: "xm-zj-1", with: sup))
      #expect(
        accesses.contains {
          $0["target"] as? String == "/api/v1/orders" && $0["action"] as? String == "POST 400"
        })
      #expect(accesses.contains { $0["target"] as? String == "/api/v1/processes?phase=bidding" })
      #expect(
        accesses.contains {
          $0["target"] as? String == "/api/v1/orders"
            && ($0["action"] as? String)?.hasSuffix("404") == true
        })
      #expect(
        accesses.allSatisfy {
          $0["supervisor"] as? String == "xm-zj-1" && $0["address"] as? String == "127.0.0.1"
        })
    }
    await f.platform.store.close()
    await s.store.close()
  }
}

/// 监督指令: a suspension is applied by the trading platform, acknowledged with its signature,
/// and every action on the process is refused until a resumption; a forged order is refused.
@Suite struct SupervisionOrderTests {
  /// Termination is irreversible: it cites its legal ground and states a reason, and a second
  /// supervisor of the department confirms it before it leaves; an unconfirmed one is refused
  /// by the trading platform too.
  @Test func aTerminationNeedsItsGroundAndASecondSupervisor() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let s = try await SupervisionFixture(backend: .sqlite, clock: f.clock)
    let department = SupervisionFixture.departments[1]
    try await s.platform().add(
      Supervisor(id: "fz-zj-2", name: "监督员二", department: department),
      password: SupervisionFixture.password)
    try await s.serve(f) { sup, client, trading, relay in
      try await f.createAndPublish(with: client)
      while try await relay.deliverToSupervision() > 0 {}
      func order(_ json: String) async throws -> TestResponse {
        try await s.call(.post, "/orders", as: "fz-zj-1", json: json, with: sup)
      }
      let careless = try await order(
        #"{"platform":"trading.fz","section":"S1","kind":"terminate","reason":"abcde"}"#)
      #expect(problemCode(careless) == "INVALID_INPUT")
      let noGround = try await order(
        #"{"platform":"trading.fz","section":"S1","kind":"terminate","reason":"招标文件设定的资格条件排斥潜在投标人，无法补救"}"#
      )
      #expect(problemCode(noGround) == "INVALID_INPUT")
      let issued = try jsonObject(
        try await order(
          #"{"platform":"trading.fz","section":"S1","kind":"terminate","reason":"招标文件设定的资格条件排斥潜在投标人，无法补救","legalGround":"条例81"}"#
        ))
      #expect(issued["status"] as? String == "awaitingConfirmation")
      let id = try #require(issued["id"] as? String)
      // Nothing has reached the trading platform yet.
      #expect(
        try jsonObject(try await f.call(.get, "/sections/S1", as: nil, with: client))["phase"]
          as? String == "bidding")
      // The issuer cannot confirm its own; another department cannot see it.
      let own = try await s.call(.post, "/orders/\(id)/confirmation", as: "fz-zj-1", with: sup)
      #expect(problemCode(own) == "ORDER_NEEDS_SECOND_SUPERVISOR")
      let other = try await s.call(.post, "/orders/\(id)/confirmation", as: "xm-zj-1", with: sup)
      #expect(problemCode(other) == "NOT_IN_REMIT")
      // An unconfirmed termination sent anyway is refused by the trading platform.
      let stored = try #require(
        try await s.store.transaction { try await IssuedOrderRepository.find(id, on: $0) })
      #expect(try await s.platform().deliver(stored.order, to: "trading.fz").status == .refused)
      #expect(
        try jsonObject(try await f.call(.get, "/sections/S1", as: nil, with: client))["phase"]
          as? String == "bidding")
      // Confirmed by the second supervisor, it is sent and the termination notice says why.
      try await s.store.transaction {
        try await $0.raw(
          "UPDATE sup_orders SET status = 'awaitingConfirmation' WHERE id = \(bind: id)"
        ).run()
      }
      let confirmed = try jsonObject(
        try await s.call(.post, "/orders/\(id)/confirmation", as: "fz-zj-2", with: sup))
      #expect(confirmed["status"] as? String == "acknowledged")
      #expect(confirmed["confirmedBy"] as? String == "fz-zj-2")
      #expect(
        try jsonObject(try await f.call(.get, "/sections/S1", as: nil, with: client))["phase"]
          as? String == "terminated")
      let notices = try jsonArray(
        try await f.call(.get, "/sections/S1/notices", as: nil, with: client))
      #expect((notices.last?["body"] as? String)?.contains("依据：条例81") == true)
      _ = trading
    }
    await f.platform.store.close()
    await s.store.close()
  }

  @Test(arguments: Backend.available)
  func aSuspendedProcessRefusesEveryActionUntilResumed(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    try await s.serve(f) { sup, client, trading, relay in
      try await f.createAndPublish(with: client)
      while try await relay.deliverToSupervision() > 0 {}
      f.clock.set(PlatformFixture.start + 10 * 86_400)

      let suspended = try jsonObject(
        try await s.call(
          .post, "/orders", as: "fz-zj-1",
          json:
            #"{"platform":"trading.fz","section":"S1","kind":"suspend","reason":"投诉处理期间暂停（条例62）"}"#,
          with: sup))
      #expect(suspended["status"] as? String == "acknowledged")
      // The acknowledgement is the trading platform's, about this order.
      let answer = try JSONDecoder().decode(
        SignedMessage.self, from: Data(try #require(suspended["answer"] as? String).utf8))
      let acknowledged = try answer.verified(with: s.tradingKey.publicKey, for: "supervision.fj")
      #expect(acknowledged.kind == SupervisionMessages.acknowledgementKind)
      #expect(acknowledged.payload.contains(try #require(suspended["id"] as? String)))

      let section = try jsonObject(
        try await f.call(.get, "/sections/S1", as: "tenderer", with: client))
      #expect(section["suspendingOrder"] as? String == suspended["id"] as? String)
      let bid = try await f.submit(try f.seal(), bidder: PlatformFixture.bidder, with: client)
      #expect(problemCode(bid) == "RULE_SUSPENDED_BY_ORDER")
      let amendment = try await f.call(
        .post, "/sections/S1/amendments", as: "tenderer", with: client)
      #expect(problemCode(amendment) == "RULE_SUSPENDED_BY_ORDER")
      let objection = try await f.call(
        .put, "/sections/S1/objections/OBJ-1", as: "bidder-\(PlatformFixture.bidder)",
        with: client)
      #expect(problemCode(objection) == "RULE_SUSPENDED_BY_ORDER")

      // The same order delivered again: the same answer, applied once.
      let logBefore = try await f.platform.store.transaction {
        try await PersistentLog.size(on: $0)
      }
      let orderID = try #require(suspended["id"] as? String)
      let order = try #require(
        try await s.store.transaction { try await IssuedOrderRepository.find(orderID, on: $0) })
      let again = try await s.platform().deliver(order.order, to: "trading.fz")
      #expect(again.status == .acknowledged)
      #expect(
        try await f.platform.store.transaction { try await PersistentLog.size(on: $0) }
          == logBefore)

      // A supervision order signed by anyone else is refused.
      let forged = try SignedMessage.sign(
        ExchangeMessage(
          sender: "supervision.fj", recipient: "trading.fz", sequence: 1,
          kind: SupervisionMessages.orderKind,
          sentAt: 0,
          payload: String(decoding: try JSONEncoder().encode(order.order), as: UTF8.self)),
        with: Curve25519.Signing.PrivateKey())
      let refused = try await client.execute(
        uri: "/api/v1/exchange/orders", method: .post, headers: jsonHeaders,
        body: ByteBuffer(data: try JSONEncoder().encode(forged)))
      #expect(problemCode(refused) == "MESSAGE_BAD_SIGNATURE")

      // Resumed: the bid goes in.
      let resumed = try jsonObject(
        try await s.call(
          .post, "/orders", as: "fj-zj-1",
          json: #"{"platform":"trading.fz","section":"S1","kind":"resume","reason":"投诉已处理"}"#,
          with: sup))
      #expect(resumed["status"] as? String == "acknowledged")
      #expect(
        try await f.submit(try f.seal(), bidder: PlatformFixture.bidder, with: client).status
          == .created)
      // A resumption of a process not suspended is refused by the trading platform, and kept.
      let refusedResume = try jsonObject(
        try await s.call(
          .post, "/orders", as: "fz-zj-1",
          json: #"{"platform":"trading.fz","section":"S1","kind":"resume","reason":"重复"}"#,
          with: sup))
      #expect(refusedResume["status"] as? String == "refused")

      // The scheduler leaves a suspended process alone at its deadline.
      _ = try await s.call(
        .post, "/orders", as: "fz-zj-1",
        json: #"{"platform":"trading.fz","section":"S1","kind":"suspend","reason":"再次暂停"}"#,
        with: sup)
      f.clock.set(PlatformFixture.deadline + 60)
      let scheduler = OpeningScheduler(platform: trading)
      #expect(try await scheduler.tick()["S1"] == nil)
      // The supervisor sees the suspension in the process it tracks.
      while try await relay.deliverToSupervision() > 0 {}
      let tracked = try jsonObject(
        try await s.call(.get, "/processes/trading.fz/S1", as: "fz-zj-1", with: sup))
      #expect((tracked["process"] as? [String: Any])?["suspendingOrder"] != nil)
      #expect((tracked["orders"] as? [[String: Any]])?.count == 4)
    }
    await f.platform.store.close()
    await s.store.close()
  }
}

/// The supervision platform holds one opening key share of each section in its remit and
/// releases it only after the opening time: refused before (by hand or by its loop), released
/// once bidding has closed, logged and published.
@Suite struct SupervisionShareTests {
  @Test(arguments: Backend.available)
  func theShareIsNeverReleasedBeforeTheOpeningTime(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    let holding = FileManager.default.temporaryDirectory
      .appendingPathComponent("holding-\(UUID())").path
    try FileManager.default.createDirectory(atPath: holding, withIntermediateDirectories: true)
    try Data(f.holders[2].text.utf8).write(to: URL(fileURLWithPath: holding + "/trading.fz.key"))
    try Data(PlatformFixture.password.utf8).write(
      to: URL(fileURLWithPath: holding + "/trading.fz.password"))
    let supervision = s.platform(keyHolder: KeyHolding(name: "holder2", directory: holding))
    try await s.serve(f, platform: supervision) { sup, client, trading, relay in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 10 * 86_400)
      for bidder in PlatformFixture.bidders.prefix(3) {
        #expect(
          try await f.submit(try f.seal(bidder: bidder), bidder: bidder, with: client).status
            == .created)
      }
      while try await relay.deliverToSupervision() > 0 {}

      // A minute before the opening: refused, by hand and by the loop; nothing released.
      f.clock.set(PlatformFixture.deadline - 60)
      let early = try await s.call(
        .post, "/processes/trading.fz/S1/shares", as: "fz-zj-1", with: sup)
      #expect(problemCode(early) == "RULE_NO_DECRYPTION_BEFORE_DEADLINE")
      #expect(await supervision.releaseDueShares() == 0)
      let outsider = try await s.call(
        .post, "/processes/trading.fz/S1/shares", as: "xm-zj-1", with: sup)
      #expect(problemCode(outsider) == "NOT_IN_REMIT")
      var section = try jsonObject(
        try await f.call(.get, "/sections/S1", as: "tenderer", with: client))
      #expect((section["releasedHolders"] as? [String] ?? []).isEmpty)

      // The deadline: bidding closes; the loop releases the share, once.
      f.clock.set(PlatformFixture.deadline)
      #expect(try await OpeningScheduler(platform: trading).tick()["S1"] == .opening)
      while try await relay.deliverToSupervision() > 0 {}
      #expect(await supervision.releaseDueShares() == 1)
      #expect(await supervision.releaseDueShares() == 0)
      section = try jsonObject(
        try await f.call(.get, "/sections/S1", as: "tenderer", with: client))
      #expect(section["releasedHolders"] as? [String] == ["holder2"])
      // Released by hand again: the same shares, nothing new on the trading platform.
      let again = try await s.call(
        .post, "/processes/trading.fz/S1/shares", as: "fz-zj-1", with: sup)
      #expect(again.status == .created, "\(String(buffer: again.body))")
      #expect(try jsonObject(again)["shares"] as? Int == 3)
      // Logged in the supervision platform's own log, for the hub: the first release only.
      let logged = try await s.store.transaction { database in
        try await database.raw("SELECT topic FROM outbox WHERE topic = 'share.released'")
          .all().count
      }
      #expect(logged == 1)
    }
    await f.platform.store.close()
    await s.store.close()
  }
}

/// The price screens of a process come from the bids its trading platform opened, for the
/// supervisors of the remit only, and are empty until the opening.
@Suite struct SupervisionScreenTests {
  @Test(arguments: Backend.available)
  func aSupervisorSeesTheOpenedPricesScreens(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    try await s.serve(f) { sup, client, trading, relay in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 10 * 86_400)
      let bidders = Array(PlatformFixture.bidders.prefix(4))
      let prices: [Int64] = [3_900_000_000, 4_210_000_000, 4_230_000_000, 4_250_000_000]
      for (bidder, price) in zip(bidders, prices) {
        let plaintext = try PlatformFixture.bundle(bidder: bidder, priceFen: price)
        let envelope = try f.seal(bidder: bidder, plaintext: plaintext)
        #expect(try await f.submit(envelope, bidder: bidder, with: client).status == .created)
      }
      while try await relay.deliverToSupervision() > 0 {}
      let sealed = try jsonObject(
        try await s.call(.get, "/processes/trading.fz/S1/screens", as: "fz-zj-1", with: sup))
      #expect((sealed["bids"] as? [Any])?.isEmpty == true)
      #expect(sealed["score"] == nil && sealed["flagged"] as? Bool == false)

      f.clock.set(PlatformFixture.deadline)
      #expect(try await OpeningScheduler(platform: trading).tick()["S1"] == .opening)
      for holder in [0, 2] {
        #expect(try await f.release(holder: holder, bidders: bidders, with: client).status == .ok)
      }
      #expect(try await OpeningScheduler(platform: trading).tick()["S1"] == .opening)
      while try await relay.deliverToSupervision() > 0 {}

      let answer = try await s.call(
        .get, "/processes/trading.fz/S1/screens", as: "fz-zj-1", with: sup)
      #expect(answer.status == .ok, "\(String(buffer: answer.body))")
      let screens = try jsonObject(answer)
      let bids = try #require(screens["bids"] as? [[String: Any]])
      #expect(bids.compactMap { $0["priceFen"] as? Int64 }.sorted() == prices)
      let named = Dictionary(
        uniqueKeysWithValues: (screens["screens"] as? [[String: Any]] ?? []).compactMap {
          item -> (String, Double)? in
          guard let name = item["name"] as? String, let value = item["value"] as? Double else {
            return nil
          }
          return (name, value)
        })
      // The winner 3% below three bunched cover bids: DIFFP is the winner's gap.
      let diffp = try #require(named["DIFFP"])
      #expect(abs(diffp - (42_100_000.0 - 39_000_000.0) / 39_000_000.0) < 1e-9)
      #expect(Set(named.keys) == ["CV", "SPD", "DIFFP", "RD", "RDNOR", "SKEW", "KURT", "KS"])
      // Steps of 3.1 million, then 0.2 million twice: no regular pattern (条例40(4)).
      #expect(screens["pattern"] == nil)
      let score = try #require(screens["score"] as? Double)
      #expect(score > 0 && score < 1)
      #expect(screens["flagged"] as? Bool == (score >= (screens["flagThreshold"] as? Double ?? 2)))

      let outsider = try await s.call(
        .get, "/processes/trading.fz/S1/screens", as: "xm-zj-1", with: sup)
      #expect(problemCode(outsider) == "NOT_IN_REMIT")
      // Across the remit: the opened process listed with its score; another remit sees none.
      let listed = try jsonArray(try await s.call(.get, "/screens", as: "fz-zj-1", with: sup))
      #expect(listed.map { $0["section"] as? String } == ["S1"])
      #expect(listed.first?["score"] as? Double == score)
      #expect(try jsonArray(try await s.call(.get, "/screens", as: "xm-zj-1", with: sup)).isEmpty)
      let session = try await s.platform().signIn("fz-zj-1", password: SupervisionFixture.password)
      let page = try await sup.execute(
        uri: "/processes/trading.fz/S1", method: .get,
        headers: [.cookie: "zc_session=\(session.token)"])
      let html = String(buffer: page.body)
      #expect(page.status == .ok && html.contains("价格筛查") && html.contains("<code>DIFFP</code>"))
      // The fixture's four bundles carry one identical file: the opening finds it (条例40(1)).
      #expect(html.contains("串通投标迹象（条例40）") && html.contains("相同文件（SHA-256）"))
      // The notice the trading platform published reads in words, not as its message kind.
      #expect(html.contains("发布招标公告：") && !html.contains("notice.published"))
      let list = try await sup.execute(
        uri: "/screens", method: .get, headers: [.cookie: "zc_session=\(session.token)"])
      #expect(String(buffer: list.body).contains(#"<a href="/processes/trading.fz/S1">S1</a>"#))
    }
    await f.platform.store.close()
    await s.store.close()
  }
}

/// 备案: a self-tendering filing made on the trading platform reaches the supervision platform in
/// the section's stream and comes back with its signed acknowledgement; only the remit sees it.
@Suite struct SupervisionFilingTests {
  @Test(arguments: Backend.available)
  func aFilingIsAcknowledgedBySupervision(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    try await s.serve(f) { sup, client, trading, relay in
      #expect(
        try await f.call(
          .post, "/sections", as: "tenderer", json: PlatformFixture.termsJSON, with: client
        ).status == .created)
      let blank = try await f.call(
        .post, "/sections/S1/self-tendering", as: "tenderer", json: #"{"basis":" "}"#,
        with: client)
      #expect(problemCode(blank) == "INVALID_INPUT")
      let filed = try await f.call(
        .post, "/sections/S1/self-tendering", as: "tenderer",
        json: #"{"basis":"本单位设有招标采购部，专职人员12名，近三年自行组织招标31次"}"#, with: client)
      #expect(filed.status == .ok)
      let again = try await f.call(
        .post, "/sections/S1/self-tendering", as: "tenderer", json: #"{"basis":"再次"}"#,
        with: client)
      #expect(problemCode(again) == "INVALID_INPUT")
      #expect(
        try jsonArray(
          try await f.call(.get, "/sections/S1/filings", as: "tenderer", with: client)
        )
        .isEmpty)

      while try await relay.deliverToSupervision() > 0 {}
      let filings = try jsonArray(
        try await f.call(.get, "/sections/S1/filings", as: "tenderer", with: client))
      #expect(filings.map { $0["kind"] as? String } == ["selfTendering"])
      let acknowledgement = try #require(filings.first?["acknowledgement"] as? [String: Any])
      let verified = try SignedMessage(
        message: try #require(acknowledgement["message"] as? String),
        signature: try #require(acknowledgement["signature"] as? String)
      ).verified(with: s.key.publicKey, for: "trading.fz")
      #expect(verified.kind == SupervisionMessages.filingAcknowledgementKind)
      // An acknowledgement lost on its way back: the idle relay sends the filing again and
      // gets the same acknowledgement.
      try await f.platform.store.transaction {
        try await $0.raw("DELETE FROM filing_acks").run()
      }
      #expect(try await relay.deliverToSupervision() == 0)
      try await relay.resendUnacknowledgedFilings()
      let recovered = try jsonArray(
        try await f.call(.get, "/sections/S1/filings", as: "tenderer", with: client))
      #expect(
        (recovered.first?["acknowledgement"] as? [String: Any])?["message"] as? String
          == acknowledgement["message"] as? String)
      // A bidder may not read the tenderer's filings; of a draft it does not even learn it exists.
      let bidder = try await f.call(
        .get, "/sections/S1/filings", as: "bidder-\(PlatformFixture.bidder)", with: client)
      #expect(bidder.status == .notFound)

      #expect(
        try jsonArray(try await s.call(.get, "/filings", as: "fz-zj-1", with: sup))
          .map { $0["kind"] as? String } == ["selfTendering"])
      #expect(try jsonArray(try await s.call(.get, "/filings", as: "xm-zj-1", with: sup)).isEmpty)
    }
    await f.platform.store.close()
    await s.store.close()
  }
}

/// The platform's administrator adds departments and supervisors over HTTP; nobody else can.
@Suite struct SupervisionAdministrationTests {
  @Test(arguments: Backend.available)
  func theAdministratorAddsDepartmentsAndSupervisors(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    try await s.serve(f) { sup, client, _, relay in
      try await f.createAndPublish(with: client)
      while try await relay.deliverToSupervision() > 0 {}
      func post(_ path: String, _ body: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await sup.execute(
          uri: "/api/v1" + path, method: .post, headers: headers, body: ByteBuffer(string: body))
      }
      let department = #"{"id":"fz-sl","name":"福州市水利局","industry":"水利","region":"350100"}"#
      #expect(
        problemCode(try await post("/departments", department, token: nil))
          == "ADMINISTRATOR_REQUIRED")
      let session = try await s.platform().signIn("fz-zj-1", password: SupervisionFixture.password)
      #expect(
        problemCode(try await post("/departments", department, token: session.token))
          == "ADMINISTRATOR_REQUIRED")
      #expect(try await post("/departments", department, token: "admin-token").status == .created)
      #expect(
        problemCode(try await post("/departments", department, token: "admin-token"))
          == "DEPARTMENT_TAKEN")
      let badRegion = department.replacingOccurrences(of: "350100", with: "35010")
      #expect(
        problemCode(
          try await post(
            "/departments", badRegion.replacingOccurrences(of: "fz-sl", with: "x"),
            token: "admin-token"))
          == "INVALID_INPUT")
      #expect(
        try jsonArray(try await sup.execute(uri: "/api/v1/departments", method: .get)).count == 5)

      let supervisor =
        #"{"id":"fz-zj-2","name":"新监督员","department":"fz-zj","password":"password-456"}"#
      #expect(try await post("/supervisors", supervisor, token: "admin-token").status == .created)
      #expect(
        problemCode(try await post("/supervisors", supervisor, token: "admin-token"))
          == "SUPERVISOR_TAKEN")
      #expect(
        try await post(
          "/supervisors", supervisor.replacingOccurrences(of: "fz-zj\"", with: "nowhere\""),
          token: "admin-token"
        ).status == .notFound)
      // The new supervisor signs on and sees its department's process.
      let signedIn = try jsonObject(
        try await post("/sessions", #"{"account":"fz-zj-2","password":"password-456"}"#, token: nil)
      )
      let listed = try jsonArray(
        try await sup.execute(
          uri: "/api/v1/processes", method: .get,
          headers: [.authorization: "Bearer \(try #require(signedIn["token"] as? String))"]))
      #expect(listed.map { $0["section"] as? String } == ["S1"])
    }
    await f.platform.store.close()
    await s.store.close()
  }
}

/// Sign-on: five wrong passwords lock an account (an unknown one alike) for fifteen minutes, a
/// correct password forgets earlier failures, and signing out ends the session's token.
@Suite struct SupervisionSignOnTests {
  @Test(arguments: Backend.available)
  func wrongPasswordsLockTheAccountAndSigningOutEndsTheSession(backend: Backend) async throws {
    let clock = ManualClock(PlatformFixture.start)
    let s = try await SupervisionFixture(backend: backend, clock: clock)
    try await s.platform().application(port: 0).test(.live) { sup in
      func signIn(_ account: String, _ password: String) async throws -> TestResponse {
        try await sup.execute(
          uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
          body: ByteBuffer(string: #"{"account":"\#(account)","password":"\#(password)"}"#))
      }
      let right = SupervisionFixture.password
      for _ in 1...4 {
        #expect(problemCode(try await signIn("fz-zj-1", "guess")) == "SIGN_IN_FAILED")
      }
      // A correct password forgets the four failures before it.
      #expect(try await signIn("fz-zj-1", right).status == .created)
      for _ in 1...5 {
        #expect(problemCode(try await signIn("fz-zj-1", "guess")) == "SIGN_IN_FAILED")
      }
      let locked = try await signIn("fz-zj-1", right)
      #expect(locked.status == .tooManyRequests)
      #expect(problemCode(locked) == "SIGN_IN_LOCKED")
      #expect(String(buffer: locked.body).contains("15分钟后再试"))
      // Another account is not locked; an unknown one locks the same way, so the lock does not
      // tell which accounts exist.
      #expect(try await signIn("xm-zj-1", right).status == .created)
      for _ in 1...5 {
        #expect(problemCode(try await signIn("nobody", "guess")) == "SIGN_IN_FAILED")
      }
      #expect(problemCode(try await signIn("nobody", "guess")) == "SIGN_IN_LOCKED")

      clock.set(PlatformFixture.start + 14 * 60 + 59)
      #expect(String(buffer: try await signIn("fz-zj-1", right).body).contains("1 minute"))
      clock.set(PlatformFixture.start + 15 * 60)
      let session = try await signIn("fz-zj-1", right)
      #expect(session.status == .created)
      let token = try #require(try jsonObject(session)["token"] as? String)

      // Signing out: the token is refused from then on; without one there is nothing to end.
      let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
      #expect(
        try await sup.execute(uri: "/api/v1/processes", method: .get, headers: bearer).status
          == .ok)
      #expect(
        try await sup.execute(uri: "/api/v1/sessions/current", method: .delete, headers: bearer)
          .status == .noContent)
      #expect(
        problemCode(try await sup.execute(uri: "/api/v1/processes", method: .get, headers: bearer))
          == "AUTH_REQUIRED")
      #expect(
        problemCode(try await sup.execute(uri: "/api/v1/sessions/current", method: .delete))
          == "AUTH_REQUIRED")
    }
    await s.store.close()
  }
}
