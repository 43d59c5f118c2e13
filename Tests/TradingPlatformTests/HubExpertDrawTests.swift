import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import ZhaocaiCrypto
import ZhaocaiExchange
import ZhaocaiTestSupport

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

      func request(_ sequence: UInt64, signedBy signer: Curve25519.Signing.PrivateKey = key) throws
        -> ByteBuffer
      {
        let payload = try JSONEncoder().encode(
          VerifiableDraw.Request(
            section: "S1", count: 5, speciality: "房屋建筑", bidders: Self.bidders))
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
    }
    await h.store.close()
  }
}
