import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiTestSupport

@testable import TradingPlatform

/// The hub's draw from the shared pool recomputes to the same committee from its record, with
/// the command too, and never includes an expert tied to a bidder.
@Suite struct HubExpertDrawTests {
  static let bidders = ["91350100M000100Y43", "91110000100000589A", "91440300MA5DC6QX9C"]

  @Test(arguments: Backend.available)
  func theDrawRecomputesAndNeverSeatsARecusedExpert(backend: Backend) async throws {
    let h = try await HubFixture(backend: backend)
    let (hub, key, json, admin) = (h.hub, h.key, HubFixture.json, HubFixture.admin)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("draws-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await hub.application(port: 0).test(.live) { client in
      try await h.register(with: client)
      for i in 1...9 {
        // Expert 8 once worked for the first bidder; expert 9 declared a conflict with the third.
        let employer = try completed("913501000\(i)000001X")
        let past = i == 8 ? #"[""# + Self.bidders[0] + #""]"# : "[]"
        let conflicts = i == 9 ? #"[""# + Self.bidders[2] + #""]"# : "[]"
        let body =
          #"{"id":"expert\#(i)","role":"expert","name":"专家\#(i)","creditCode":"\#(employer)","pastEmployers":\#(past),"conflicts":\#(conflicts),"specialities":["房屋建筑"]}"#
        if i == 1 {
          let refused = try await client.execute(
            uri: "/api/v1/experts", method: .post, headers: json, body: ByteBuffer(string: body))
          #expect(refused.status == .unauthorized)
        }
        let added = try await client.execute(
          uri: "/api/v1/experts", method: .post, headers: admin, body: ByteBuffer(string: body))
        #expect(added.status == .created)
      }

      func request(
        _ sequence: UInt64, signedBy signer: Curve25519.Signing.PrivateKey = key,
        count: Int = 5, excluded: [String]? = nil
      ) throws -> ByteBuffer {
        let payload = try JSONEncoder().encode(
          VerifiableDraw.Request(
            section: "S1", count: count, speciality: "房屋建筑", bidders: Self.bidders,
            excluded: excluded))
        let signed = try SignedMessage.sign(
          ExchangeMessage(
            sender: "trading.fz", recipient: ExchangeMessage.hub, sequence: sequence,
            kind: "expert.draw.request", sentAt: 0,
            payload: String(decoding: payload, as: UTF8.self)), with: signer)
        return ByteBuffer(bytes: try JSONEncoder().encode(signed))
      }
      let forged = try await client.execute(
        uri: "/api/v1/experts/draws", method: .post, headers: json,
        body: try request(1, signedBy: .init()))
      #expect(forged.status == .unprocessableContent)

      var committees: Set<[String]> = []
      for attempt in 1...6 {
        let response = try await client.execute(
          uri: "/api/v1/experts/draws", method: .post, headers: json,
          body: try request(UInt64(attempt)))
        #expect(response.status == .created)
        let draw = try JSONDecoder().decode(VerifiableDraw.self, from: Data(buffer: response.body))
        #expect(try draw.recomputes(requestedBy: key.publicKey))
        #expect(Set(draw.recused) == ["expert8", "expert9"])
        #expect(Set(draw.drawn).isDisjoint(with: ["expert8", "expert9"]))
        #expect(draw.drawn.count == 5)
        committees.insert(draw.drawn.sorted())
        if attempt == 1 {
          let file = directory.appendingPathComponent("draw.json")
          try Data(buffer: response.body).write(to: file)
          let verified = try await runZhaocai([
            "experts", "verify", "--draw", file.path, "--hub-key",
            hub.logSigner.verifier.verifierKey,
            "--platform-key", key.publicKey.rawRepresentation.base64EncodedString(),
          ])
          #expect(verified.status == 0, "\(verified.stderr)")
          var altered = draw
          altered.drawn[0] = "expert8"
          try JSONEncoder().encode(altered).write(to: file)
          let refused = try await runZhaocai(["experts", "verify", "--draw", file.path])
          #expect(refused.status == 1)
        }
      }
      // Each draw follows a new checkpoint, so the committees differ from draw to draw.
      #expect(committees.count > 1)
      // A replacement draw for a member who recused leaves out the committee and the recused:
      // of experts 1-7, only the one left can be drawn, and the record still recomputes.
      let seated = try #require(committees.first)
      let excluded = seated + ["expert8"].filter { !seated.contains($0) }
      let left = Set((1...7).map { "expert\($0)" }).subtracting(seated)
      let replacement = try await client.execute(
        uri: "/api/v1/experts/draws", method: .post, headers: json,
        body: try request(7, count: left.count, excluded: excluded))
      #expect(replacement.status == .created)
      let redraw = try JSONDecoder().decode(
        VerifiableDraw.self, from: Data(buffer: replacement.body))
      #expect(Set(redraw.drawn) == left && Set(redraw.drawn).isDisjoint(with: excluded))
      #expect(try redraw.recomputes(requestedBy: key.publicKey))
    }
    await h.store.close()
  }

  /// 法22: a committee asked for during bidding is refused before the hub is asked, so no draw
  /// request (which names the bidders so far) leaves the platform; a draw the pool cannot fill
  /// is refused by its rule (422), not as a failure of the hub (502).
  @Test func nothingLeavesForARefusedCommitteeAndAShortPoolNamesItsRule() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let h = try await HubFixture(backend: .sqlite)
    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await h.register(with: hubClient)
      for i in 1...3 {
        let body =
          #"{"id":"expert\#(i)","role":"expert","name":"专家\#(i)","creditCode":"\#(try completed("913501000\(i)000001X"))","pastEmployers":[],"conflicts":[],"specialities":["房屋建筑"]}"#
        #expect(
          try await hubClient.execute(
            uri: "/api/v1/experts", method: .post, headers: HubFixture.admin,
            body: ByteBuffer(string: body)
          ).status == .created)
      }
      let link = try h.link(hubClient)
      let linked = TradingPlatform(
        store: f.platform.store, blobs: f.platform.blobs, clock: f.clock,
        logSigner: f.platform.logSigner, passwordCost: 4, exchange: link)
      try await linked.application(port: 0).test(.live) { client in
        try await f.createAndPublish(with: client)
        let early = try await f.call(
          .post, "/sections/S1/committee", as: "tenderer",
          json: #"{"experts":4,"representatives":["tenderer"]}"#, with: client)
        #expect(problemCode(early) == "STATE_WRONG_PHASE")
        let draws = try await h.store.transaction {
          try await $0.raw("SELECT COUNT(*) AS n FROM hub_draws").first()?.decode(
            column: "n", as: Int.self)
        }
        #expect(draws == 0)
      }
      do {
        _ = try await link.drawExperts(
          .init(section: "S1", count: 5, speciality: "房屋建筑", bidders: Self.bidders),
          at: f.clock.now())
        Issue.record("a pool of 3 filled a committee of 5")
      } catch DomainError.rule(let violation) {
        #expect(violation.rule == Rules.expertRecusal)
        #expect(violation.detail.contains("3 eligible"))
      }
    }
    await f.platform.store.close()
    await h.store.close()
  }
}
