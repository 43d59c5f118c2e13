import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import SupervisionPlatform
@testable import TradingPlatform

/// 投诉 over HTTP: a party registered at the hub files a complaint signed with its certificate;
/// forged, foreign-CA, late and objection-less complaints are refused; only the department of
/// the process's remit sees and decides it; accepting it suspends the process by an order, the
/// clock stops for an expert review, and the published ruling resumes the process.
@Suite struct SupervisionComplaintTests {
  func statement(
    matter: String = "other", knewAt: Int64, objection: (Int64, Int64)? = nil,
    objectionID: String? = nil
  ) throws -> Data {
    var object: [String: Any] = [
      "platform": "trading.fz", "section": "S1", "matter": matter,
      "facts": "资格条件设置明显排斥潜在投标人", "knewAt": knewAt,
    ]
    if let (raised, answered) = objection {
      object["objectionRaisedAt"] = raised
      object["objectionAnsweredAt"] = answered
    }
    if let objectionID { object["objectionID"] = objectionID }
    return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  }

  func file(
    _ statement: Data, certificate: String, key: SigningKey, signing: Data? = nil,
    with client: some TestClientProtocol
  ) async throws -> TestResponse {
    let signature = try key.signature(
      for: Array("zhaocai-complaint v1\n".utf8) + Array(signing ?? statement))
    let body = try JSONSerialization.data(withJSONObject: [
      "statement": statement.base64EncodedString(), "certificate": certificate,
      "signature": Data(signature).base64EncodedString(),
    ])
    return try await client.execute(
      uri: "/api/v1/complaints", method: .post, headers: jsonHeaders, body: ByteBuffer(data: body))
  }

  /// A complaint is certified against the hub's registry: when the hub cannot be reached the
  /// answer is 503 and when it refuses (here an address that is no hub) 502 naming another
  /// platform, never a 500, and no complaint is kept either way.
  @Test(arguments: Backend.available)
  func aComplaintTheHubCannotCertifyIsRefusedAndNotKept(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    let registry = PartyRegistryTests()
    let certificate = try registry.certificate(by: registry.guangdong)
    try await f.platform.application(port: 0).test(.live) { notAHub in
      for (hub, status, code) in [
        ("http://127.0.0.1:1/api/v1", 503, "PEER_UNREACHABLE"),
        ("http://127.0.0.1:\(try #require(notAHub.port))/api/v1", 502, "PEER_REFUSED"),
      ] {
        let supervision = s.platform(hub: hub, hubKey: Curve25519.Signing.PrivateKey().publicKey)
        try await supervision.application(port: 0).test(.live) { sup in
          let refused = try await file(
            try statement(knewAt: f.clock.now()), certificate: certificate,
            key: registry.partyKey, with: sup)
          #expect(refused.status.code == status, "\(String(buffer: refused.body))")
          #expect(problemCode(refused) == code)
          #expect(String(buffer: refused.body).contains("另一平台") || status == 503)
          #expect(
            try jsonArray(try await s.call(.get, "/complaints", as: "fz-zj-1", with: sup)).isEmpty)
        }
      }
    }
    await f.platform.store.close()
    await s.store.close()
  }

  @Test(arguments: Backend.available)
  func aComplaintSuspendsTheProcessUntilItsRuling(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    let h = try await HubFixture(backend: backend, now: PlatformFixture.start)
    let registry = PartyRegistryTests()
    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await registry.prepareHub(hubClient)
      let supervision = s.platform(
        hub: "http://127.0.0.1:\(try #require(hubClient.port))/api/v1",
        hubKey: h.hub.logSigner.key.publicKey)
      try await supervision.application(port: 0).test(.live) { sup in
        let trading = try s.trading(f, supervision: sup)
        try await trading.application(port: 0).test(.live) { client in
          try await s.oversee(client)
          try await f.createAndPublish(with: client)
          let relay = ExchangeRelay(platform: trading, link: try #require(trading.exchange))
          while try await relay.deliverToSupervision() > 0 {}
          let certificate = try registry.certificate(by: registry.guangdong)
          let now = f.clock.now()

          // Refused: a forged signature, a foreign CA, too late, an objection-first matter
          // without its objection.
          let forged = try await file(
            try statement(knewAt: now), certificate: certificate, key: registry.partyKey,
            signing: Data("其他内容".utf8), with: sup)
          #expect(problemCode(forged) == "SIGNATURE_INVALID")
          let foreignCA = try CertificateAuthority(
            name: "境外证书", key: .init(P256.Signing.PrivateKey()),
            validFrom: PartyRegistryTests.now - 86_400,
            validUntil: PartyRegistryTests.now + PartyRegistryTests.year)
          let foreign = try await file(
            try statement(knewAt: now), certificate: try registry.certificate(by: foreignCA),
            key: registry.partyKey, with: sup)
          #expect(problemCode(foreign) == "CERTIFICATE_UNTRUSTED")
          let late = try await file(
            try statement(knewAt: now - 14 * 86_400), certificate: certificate,
            key: registry.partyKey, with: sup)
          #expect(problemCode(late) == "RULE_COMPLAINT_WITHIN_10_DAYS")
          // The earliest instant there is: out of time, not a crash of the platform.
          let ancient = try await file(
            try statement(knewAt: .min), certificate: certificate, key: registry.partyKey,
            with: sup)
          #expect(problemCode(ancient) == "RULE_COMPLAINT_WITHIN_10_DAYS")
          let noObjection = try await file(
            try statement(matter: "documents", knewAt: now), certificate: certificate,
            key: registry.partyKey, with: sup)
          #expect(problemCode(noObjection) == "RULE_COMPLAINT_WITHIN_10_DAYS")
          // An objection the process's record does not hold is no objection (条例60).
          let invented = try await file(
            try statement(matter: "documents", knewAt: now, objection: (now - 3600, now - 60)),
            certificate: certificate, key: registry.partyKey, with: sup)
          #expect(problemCode(invented) == "RULE_COMPLAINT_WITHIN_10_DAYS")
          #expect(String(buffer: invented.body).contains("no such objection"))
          // One raised and answered on the trading platform reaches the record and counts, with
          // the record's times.
          #expect(
            try await f.call(
              .put, "/sections/S1/objections/OBJ-1", as: "bidder-\(PlatformFixture.bidder)",
              with: client
            ).status == .created)
          f.clock.advance(seconds: 3600)
          #expect(
            try await f.call(
              .post, "/sections/S1/objections/OBJ-1/answer", as: "tenderer", with: client
            )
            .status == .ok)
          while try await relay.deliverToSupervision() > 0 {}
          let recorded = try await file(
            try statement(
              matter: "documents", knewAt: f.clock.now(), objection: (0, 0), objectionID: "OBJ-1"),
            certificate: certificate, key: registry.partyKey, with: sup)
          #expect(recorded.status == .created)

          let filed = try await file(
            try statement(knewAt: now), certificate: certificate, key: registry.partyKey,
            with: sup)
          #expect(filed.status == .created)
          let complaint = try jsonObject(filed)
          let id = try #require(complaint["id"] as? String)
          #expect(complaint["complainant"] as? String == registry.party)
          #expect(complaint["acceptanceDue"] as? String == "2026-11-05")

          // Another city's department neither sees nor decides it.
          #expect(
            try jsonArray(try await s.call(.get, "/complaints", as: "xm-zj-1", with: sup)).isEmpty)
          #expect(
            problemCode(try await s.call(.get, "/complaints/\(id)", as: "xm-zj-1", with: sup))
              == "NOT_IN_REMIT")
          #expect(
            problemCode(
              try await s.call(
                .post, "/complaints/\(id)/decision", as: "xm-zj-1", json: #"{"accept":true}"#,
                with: sup)) == "NOT_IN_REMIT")

          for (step, body) in [
            ("pause", #"{"reason":"testing"}"#), ("resumption", nil),
            ("ruling", #"{"ruling":"越权"}"#),
          ] {
            let tried = try await s.call(
              .post, "/complaints/\(id)/\(step)", as: "xm-zj-1", json: body, with: sup)
            #expect(problemCode(tried) == "NOT_IN_REMIT", "\(step)")
          }

          // Accepted, suspending the process.
          f.clock.advance(seconds: 86_400)
          let accepted = try jsonObject(
            try await s.call(
              .post, "/complaints/\(id)/decision", as: "fz-zj-1",
              json: #"{"accept":true,"suspendProcess":true}"#, with: sup))
          #expect(accepted["status"] as? String == "accepted")
          let rulingDue = try #require(accepted["rulingDue"] as? String)
          var section = try jsonObject(
            try await f.call(.get, "/sections/S1", as: "tenderer", with: client))
          #expect(section["suspendingOrder"] != nil)

          // The clock stops for an expert review and the due day moves.
          f.clock.advance(seconds: 2 * 86_400)
          _ = try await s.call(
            .post, "/complaints/\(id)/pause", as: "fz-zj-1", json: #"{"reason":"expertReview"}"#,
            with: sup)
          f.clock.advance(seconds: 5 * 86_400)
          let resumed = try jsonObject(
            try await s.call(.post, "/complaints/\(id)/resumption", as: "fz-zj-1", with: sup))
          #expect(try #require(resumed["rulingDue"] as? String) > rulingDue)

          // The ruling is published and the process resumes.
          let ruled = try jsonObject(
            try await s.call(
              .post, "/complaints/\(id)/ruling", as: "fz-zj-1",
              json: #"{"ruling":"投诉不成立，驳回"}"#, with: sup))
          #expect(ruled["status"] as? String == "ruled")
          section = try jsonObject(
            try await f.call(.get, "/sections/S1", as: "tenderer", with: client))
          #expect(section["suspendingOrder"] == nil)
          let rulings = try jsonArray(try await sup.execute(uri: "/api/v1/rulings", method: .get))
          #expect(rulings.map { $0["complaint"] as? String } == [id])
        }
      }
    }
    await f.platform.store.close()
    await s.store.close()
    await h.store.close()
  }
}
