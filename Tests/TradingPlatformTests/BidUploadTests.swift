import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiTestSupport

@testable import TradingPlatform

/// A sealed envelope sent in parts (断点续传): a cut connection costs only the part in flight,
/// the platform says where to resume, a retried part is not added twice, a part from elsewhere
/// is refused, and the completed upload is checked and recorded like a bid sent whole.
@Suite struct BidUploadTests {
  @Test(arguments: Backend.available)
  func anEnvelopeSentInPartsResumesWhereThePlatformStands(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      let bidder = PlatformFixture.bidder
      let base = "/api/v1/sections/S1/bids/\(bidder)/uploads"
      let envelope = try f.seal(
        plaintext: try PlatformFixture.bundle(bidder: bidder, priceFen: 2_000_000))
      func send(
        _ method: HTTPRequest.Method, _ path: String, _ bytes: [UInt8]? = nil,
        as code: String = bidder
      )
        async throws -> TestResponse
      {
        try await client.execute(
          uri: base + path, method: method, headers: try await f.bidder(code),
          body: bytes.map { ByteBuffer(bytes: $0) })
      }

      let started = try await send(.post, "")
      #expect(started.status == .created)
      let id = try #require(try jsonObject(started)["id"] as? String)
      #expect(try jsonObject(started)["offset"] as? Int == 0)

      let first = Array(envelope[..<100])
      #expect(
        try jsonObject(try await send(.put, "/\(id)/parts/0", first))["offset"] as? Int == 100)
      // The same part again (its answer lost): answered again, not added twice.
      let again = try await send(.put, "/\(id)/parts/0", first)
      #expect(again.status == .ok)
      #expect(try jsonObject(again)["offset"] as? Int == 100)
      // A part that overlaps or leaves a gap says where to resume.
      for offset in [50, 300] {
        let wrong = try await send(.put, "/\(id)/parts/\(offset)", Array(envelope[100..<200]))
        #expect(wrong.status == .conflict)
        #expect(problemCode(wrong) == "UPLOAD_OFFSET_MISMATCH")
        #expect(String(buffer: wrong.body).contains("offset 100"))
      }
      #expect(try await send(.put, "/\(id)/parts/100", []).status == .unprocessableContent)
      // The connection was cut: the bidder asks where the platform stands, and goes on.
      #expect(try jsonObject(try await send(.get, "/\(id)"))["offset"] as? Int == 100)
      // Nobody else sees or adds to this upload.
      let other = PlatformFixture.bidders[1]
      let stranger = try await client.execute(
        uri: "/api/v1/sections/S1/bids/\(other)/uploads/\(id)", method: .get,
        headers: try await f.bidder(other))
      #expect(stranger.status == .notFound)
      let forged = try await client.execute(
        uri: base + "/\(id)", method: .get, headers: try await f.bidder(other))
      #expect(forged.status == .forbidden)

      let rest = Array(envelope[100...])
      let last = try await send(.put, "/\(id)/parts/100", rest)
      #expect(try jsonObject(last)["offset"] as? Int == envelope.count)
      let completed = try await send(.post, "/\(id)/completion")
      #expect(completed.status == .created, "\(String(buffer: completed.body))")
      #expect(String(buffer: completed.body).contains("checkpoint"))
      let view = try await f.call(.get, "/sections/S1", as: "bidder-\(bidder)", with: client)
      #expect(String(buffer: view.body).contains("envelopeHash"))
      #expect(try await send(.get, "/\(id)").status == .notFound)

      // What is not an envelope of this bidder ends its upload refused, and the bid stands.
      let junk = try #require(try jsonObject(try await send(.post, ""))["id"] as? String)
      _ = try await send(.put, "/\(junk)/parts/0", Array("技术标".utf8))
      let refused = try await send(.post, "/\(junk)/completion")
      #expect(refused.status == .unprocessableContent)
      #expect(try await send(.get, "/\(junk)").status == .notFound)
      let still = try await f.call(.get, "/sections/S1", as: "bidder-\(bidder)", with: client)
      #expect(String(buffer: still.body) == String(buffer: view.body))

      // After the deadline no upload starts and no part is taken.
      let open = try #require(try jsonObject(try await send(.post, ""))["id"] as? String)
      f.clock.set(PlatformFixture.start + 40 * 86_400)
      #expect(try await send(.post, "").status.code >= 400)
      let late = try await send(.put, "/\(open)/parts/0", first)
      #expect(late.status.code >= 400 && late.status.code < 500)
    }
    await f.platform.store.close()
  }
}
