import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import TradingPlatform

@Suite struct BidUploadTests {
  @Test(arguments: Backend.available)
  func aSealedBidGetsAReceiptThatVerifiesOffline(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 86_400 * 10)

      let envelope = try f.seal()
      let response = try await client.execute(
        uri: "/api/v1/sections/S1/bids/\(PlatformFixture.bidder)", method: .put,
        headers: try await f.bidder(),
        body: ByteBuffer(bytes: envelope))
      #expect(response.status == .created)
      let receipt = try JSONDecoder().decode(Receipt.self, from: Data(buffer: response.body))
      let checkpoint = try receipt.verify(with: f.platform.logSigner.verifier)
      let entry = String(decoding: receipt.entry, as: UTF8.self)
      #expect(entry.contains("bidReceived"))
      // The registrations, drafted, published and its notice, the bid.
      #expect(checkpoint.size == UInt64(f.registrations) + 4)

      // Stored under its hash, and the section lists the bid.
      let section = try await client.execute(
        uri: "/api/v1/sections/S1", method: .get, headers: try await f.bidder())
      let view =
        try JSONSerialization.jsonObject(with: Data(buffer: section.body)) as? [String: Any]
      let bids = view?["bids"] as? [[String: Any]]
      #expect(bids?.count == 1)
      // Before the opening nobody else learns who bid (法22), not even the tenderer.
      let hidden = try await client.execute(
        uri: "/api/v1/sections/S1", method: .get, headers: try await f.tenderer())
      #expect(
        ((try JSONSerialization.jsonObject(with: Data(buffer: hidden.body)) as? [String: Any])?[
          "bids"] as? [Any])?.isEmpty == true)
      let envelopeHash = try #require(bids?.first?["envelopeHash"] as? String)
      #expect(entry.contains(envelopeHash))
      #expect(
        FileManager.default.fileExists(
          atPath: try await f.platform.blobs.path(of: String(envelopeHash.dropFirst(7)))))

      // A replacement before the deadline is version 2.
      let again = try await client.execute(
        uri: "/api/v1/sections/S1/bids/\(PlatformFixture.bidder)", method: .put,
        headers: try await f.bidder(),
        body: ByteBuffer(bytes: try f.seal()))
      #expect(again.status == .created)
    }
    await f.platform.store.close()
  }

  @Test(arguments: Backend.available)
  func refusalsAreProblemsNamingTheirRuleAndLeaveNothing(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      let greedy = PlatformFixture.termsJSON.replacingOccurrences(of: "80000000", with: "100000001")
      let bond = try await client.execute(
        uri: "/api/v1/sections", method: .post, headers: try await f.tenderer(), body: json(greedy))
      #expect(bond.status == .unprocessableContent)
      #expect(problemCode(bond) == "RULE_BID_BOND_MAX_2_PERCENT")
      #expect(bond.headers[.contentType]?.hasPrefix("application/problem+json") == true)

      // A region that is no GB/T 2260 code would put the process outside every remit.
      let nowhere = PlatformFixture.termsJSON.replacingOccurrences(
        of: #""region":"350100""#, with: #""region":"35010""#)
      #expect(nowhere != PlatformFixture.termsJSON)
      let outside = try await client.execute(
        uri: "/api/v1/sections", method: .post, headers: try await f.tenderer(), body: json(nowhere)
      )
      #expect(problemCode(outside) == "INVALID_INPUT")

      let malformed = try await client.execute(
        uri: "/api/v1/sections", method: .post, headers: try await f.tenderer(),
        body: json("{\"name\": 1"))
      #expect(malformed.status == .badRequest)
      #expect(problemCode(malformed) == "BAD_REQUEST")

      _ = try await client.execute(
        uri: "/api/v1/sections", method: .post, headers: try await f.tenderer(),
        body: json(PlatformFixture.termsJSON))
      let early = f.scheduleJSON.replacingOccurrences(
        of: "2026-11-27T01:30", with: "2026-11-20T01:30")
      let tooSoon = try await client.execute(
        uri: "/api/v1/sections/S1/publication", method: .post, headers: try await f.tenderer(),
        body: json(early))
      #expect(problemCode(tooSoon) == "RULE_DEADLINE_MIN_20_DAYS")
      _ = try await client.execute(
        uri: "/api/v1/sections/S1/publication", method: .post, headers: try await f.tenderer(),
        body: json(f.scheduleJSON))

      let uri = "/api/v1/sections/S1/bids/\(PlatformFixture.bidder)"
      let plain = try await client.execute(
        uri: uri, method: .put, headers: try await f.bidder(),
        body: ByteBuffer(string: "我的投标文件（未加密）"))
      #expect(problemCode(plain) == "RULE_BID_MUST_BE_ENCRYPTED")
      let otherSection = try await client.execute(
        uri: uri, method: .put, headers: try await f.bidder(),
        body: ByteBuffer(bytes: try f.seal(section: "S2")))
      #expect(problemCode(otherSection) == "ENVELOPE_REFUSED")
      let otherTime = try await client.execute(
        uri: uri, method: .put, headers: try await f.bidder(),
        body: ByteBuffer(bytes: try f.seal(openingTime: PlatformFixture.deadline + 3600)))
      #expect(problemCode(otherTime) == "RULE_OPENING_AT_DEADLINE")
      let otherBidder = try await client.execute(
        uri: "/api/v1/sections/S1/bids/91110000100000589A", method: .put,
        headers: try await f.bidder("91110000100000589A"),
        body: ByteBuffer(bytes: try f.seal()))
      #expect(problemCode(otherBidder) == "ENVELOPE_WRONG_BIDDER")
      let mine = try PrivateKeyFile.generate(id: "mine", suite: .standard).sealing.publicKey
      let ownHolders = try await client.execute(
        uri: uri, method: .put, headers: try await f.bidder(),
        body: ByteBuffer(bytes: try f.seal(holders: [f.holders[0].sealing.publicKey, mine])))
      #expect(problemCode(ownHolders) == "RULE_BID_MUST_BE_ENCRYPTED")
      var tampered = try f.seal()
      tampered[tampered.count / 2] ^= 1
      let altered = try await client.execute(
        uri: uri, method: .put, headers: try await f.bidder(), body: ByteBuffer(bytes: tampered))
      #expect(problemCode(altered) == "ENVELOPE_REFUSED")

      f.clock.set(PlatformFixture.deadline)
      let late = try await client.execute(
        uri: uri, method: .put, headers: try await f.bidder(), body: ByteBuffer(bytes: try f.seal())
      )
      #expect(late.status == .unprocessableContent)
      #expect(problemCode(late) == "RULE_LATE_BID_REFUSED")

      let missing = try await client.execute(uri: "/api/v1/sections/NONE", method: .get)
      #expect(missing.status == .notFound)

      let section = try await client.execute(
        uri: "/api/v1/sections/S1", method: .get, headers: try await f.bidder())
      let view =
        try JSONSerialization.jsonObject(with: Data(buffer: section.body)) as? [String: Any]
      #expect((view?["bids"] as? [Any])?.isEmpty == true)
    }
    #expect(f.leftoverUploads.isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: f.blobDirectory).isEmpty)
    await f.platform.store.close()
  }

  @Test func anUploadCutOffMidwayLeavesNothingBehind() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      try await f.createAndPublish(with: client)
      let envelope = try f.seal()
      try sendTruncated(
        port: try #require(client.port), path: "/api/v1/sections/S1/bids/\(PlatformFixture.bidder)",
        authorization: try #require(try await f.bidder()[.authorization]),
        body: Array(envelope.prefix(envelope.count / 2)), declaredLength: envelope.count)
      // The server has seen the connection close; a full request afterwards still works.
      let section = try await client.execute(
        uri: "/api/v1/sections/S1", method: .get, headers: try await f.bidder())
      let view =
        try JSONSerialization.jsonObject(with: Data(buffer: section.body)) as? [String: Any]
      #expect((view?["bids"] as? [Any])?.isEmpty == true)
      let checkpoint = try await client.execute(uri: "/api/v1/log/checkpoint", method: .get)
      // The registrations, drafted, published and its notice: nothing of the cut-off upload.
      #expect(String(buffer: checkpoint.body).split(separator: "\n")[1] == "\(f.registrations + 3)")
    }
    #expect(f.leftoverUploads.isEmpty)
    await f.platform.store.close()
  }
}

/// Sends a request whose body stops halfway through its declared length, then hangs up.
func sendTruncated(
  port: Int, path: String, authorization: String, body: [UInt8], declaredLength: Int
) throws {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  precondition(fd >= 0)
  defer { close(fd) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = in_port_t(UInt16(port).bigEndian)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  let connected = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  precondition(connected == 0)
  let head =
    "PUT \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: \(authorization)\r\nContent-Type: application/octet-stream\r\nContent-Length: \(declaredLength)\r\n\r\n"
  for chunk in [Array(head.utf8), body] {
    _ = chunk.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
  }
  shutdown(fd, Int32(SHUT_WR))
  // Read until the server closes its side, so the handler has finished with the request.
  var buffer = [UInt8](repeating: 0, count: 4096)
  while recv(fd, &buffer, buffer.count, 0) > 0 {}
}
