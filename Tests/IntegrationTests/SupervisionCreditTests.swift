import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import PublicServiceHub
@testable import SupervisionPlatform
@testable import TradingPlatform

/// 一处受罚、处处受限: a department's violation record with a ban reaches the hub through the
/// supervision platform's own signed exchange, and every trading platform refuses the banned
/// party's bids until the ban ends; a trading platform cannot publish a penalty itself.
@Suite struct SupervisionCreditTests {
  @Test(arguments: Backend.available)
  func aBanDecidedBySupervisionIsEnforcedUntilItEnds(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    let h = try await HubFixture(backend: backend)
    let banned = PlatformFixture.bidder
    try await h.hub.application(port: 0).test(.live) { hubClient in
      let hubBase = "http://127.0.0.1:\(try #require(hubClient.port))"
      // The supervision platform registers as one and is approved.
      let application =
        #"{"id":"supervision.fj","name":"福建省行政监督平台","operator":"福建省发展改革委","endpoint":"http://127.0.0.1:8070/api/v1","publicKey":"\#(s.key.publicKey.rawRepresentation.base64EncodedString())","logVerifierKey":"\#(s.logSigner.verifier.verifierKey)","kind":"supervision"}"#
      #expect(
        try await hubClient.execute(
          uri: "/api/v1/platforms", method: .post, headers: HubFixture.json,
          body: ByteBuffer(string: application)
        ).status == .created)
      #expect(
        try await hubClient.execute(
          uri: "/api/v1/platforms/supervision.fj/decision", method: .post,
          headers: HubFixture.admin, body: ByteBuffer(string: #"{"approve":true}"#)
        ).status == .ok)
      try await h.register(with: hubClient)
      let supervision = s.platform(hub: hubBase + "/api/v1", hubKey: h.hub.logSigner.key.publicKey)
      // The process the violation happened in, as the supervision platform tracks it.
      var process = TrackedProcess(platform: "trading.fz", section: "S1")
      process.fold(
        .drafted(
          terms: SectionTerms(
            sectionID: "S1", name: "主体工程", estimate: Money(yuan: 50_000_000),
            bidBond: Money(yuan: 800_000), industry: "住建", region: "350100")),
        at: PlatformFixture.start)
      try await s.store.transaction { try await TrackingRepository.save(process, on: $0) }
      try await supervision.application(port: 0).test(.live) { sup in
        f.clock.set(PlatformFixture.start + 10 * 86_400)
        let decision =
          #"{"platform":"trading.fz","section":"S1","party":"\#(banned)","description":"串通投标","article":"法53","points":40,"banDays":3}"#
        // Another city's department cannot decide on this process.
        let outsider = try await s.call(
          .post, "/violations", as: "xm-zj-1", json: decision, with: sup)
        #expect(problemCode(outsider) == "NOT_IN_REMIT")
        let decided = try await s.call(
          .post, "/violations", as: "fz-zj-1", json: decision, with: sup)
        #expect(decided.status == .created)
        #expect(try jsonObject(decided)["creditScore"] as? Int == 60)
        // A decision too old to publish (20 working days) is refused with its rule.
        let late = try await s.call(
          .post, "/violations", as: "fz-zj-1",
          json:
            #"{"platform":"trading.fz","section":"S1","party":"\#(banned)","description":"弄虚作假","article":"法54","points":10,"decidedAt":"2026-09-01T00:00:00Z"}"#,
          with: sup)
        #expect(problemCode(late) == "RULE_VIOLATION_PUBLICATION")

        let relay = SupervisionRelay(platform: supervision)
        #expect(try await relay.deliver() > 0)
        #expect(try await relay.pushCheckpoint() != nil)
        let bans = try jsonArray(
          try await hubClient.execute(uri: "/api/v1/credit/bans", method: .get))
        #expect(bans.map { $0["party"] as? String } == [banned])
        let records = try jsonArray(
          try await hubClient.execute(
            uri: "/api/v1/credit/violations?party=\(banned)", method: .get))
        #expect(records.first?["points"] as? Int == 40)

        // A trading platform's own "credit decision" is refused at the hub.
        let tradingRelay = ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
        while try await tradingRelay.deliver() > 0 {}
        let next = try await h.store.transaction {
          try await HubRepository.lastApplied("trading.fz", on: $0)
        }
        let forgedDecision = try JSONEncoder().encode(
          CreditDecision(
            id: "forged",
            record: ViolationRecord(
              party: PlatformFixture.bidders[1], description: "伪造", article: "法53", points: 50,
              decidedBy: "交易平台", decidedAt: f.clock.now(),
              expiresAt: f.clock.now() + 86_400)))
        let forged = try SignedMessage.sign(
          ExchangeMessage(
            sender: "trading.fz", recipient: ExchangeMessage.hub, sequence: next + 1,
            kind: CreditDecision.messageKind,
            sentAt: f.clock.now(), payload: String(decoding: forgedDecision, as: UTF8.self)),
          with: h.key)
        let answer = try jsonObject(
          try await hubClient.execute(
            uri: "/api/v1/exchange/messages", method: .post, headers: HubFixture.json,
            body: ByteBuffer(data: try JSONEncoder().encode([forged]))))
        #expect(
          (answer["results"] as? [[String: Any]])?.first?["status"] as? String == "refused")
        #expect(
          try jsonArray(try await hubClient.execute(uri: "/api/v1/credit/bans", method: .get))
            .count == 1)

        // Every trading platform copies the ban and refuses the party until it ends.
        #expect(try await tradingRelay.syncRegistry().bans.count == 1)
        // The records come too: comprehensive scoring's credit criterion is marked from them.
        let copied = try await f.platform.store.transaction {
          try await RegistryCopyRepository.violations(on: $0)
        }
        #expect(CreditScore.of(banned, records: copied, at: f.clock.now()) == 60)
        try await f.platform.application(port: 0).test(.live) { client in
          // The section was published before the decision: its documents are issued from the
          // publication, 25 days before the fixture's deadline.
          let decidedAt = f.clock.now()
          f.clock.set(PlatformFixture.start)
          try await f.createAndPublish(with: client)
          f.clock.set(decidedAt)
          let barred = try await f.submit(try f.seal(), bidder: banned, with: client)
          #expect(barred.status == .unprocessableContent)
          #expect(String(buffer: barred.body).contains("barred from bidding"))
          f.clock.set(PlatformFixture.start + 14 * 86_400)
          #expect(try await f.submit(try f.seal(), bidder: banned, with: client).status == .created)
        }
      }
    }
    await f.platform.store.close()
    await s.store.close()
    await h.store.close()
  }
}
