import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiTestSupport

@testable import TradingPlatform

@Suite struct OpeningTests {
  func sharesJSON(_ shares: [(String, Shamir.Share)]) -> ByteBuffer {
    let items = shares.map { bidder, share in
      #"{"bidder":"\#(bidder)","x":\#(share.x),"y":"\#(Data(share.y).base64EncodedString())"}"#
    }
    return ByteBuffer(string: #"{"shares":[\#(items.joined(separator: ","))]}"#)
  }

  @Test(arguments: Backend.available)
  func holdersReleaseSharesAndTheOpeningRecordCarriesEveryKey(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let bidders = ["91350100M000100Y43", "91110000100000589A", "91440300MA5DC6QX9C"]
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 10 * 86_400)
      var envelopes: [String: [UInt8]] = [:]
      envelopes[bidders[0]] = try f.seal(
        bidder: bidders[0],
        plaintext: try PlatformFixture.bundle(bidder: bidders[0], priceFen: 4_100_000_000))
      envelopes[bidders[1]] = try f.seal(
        bidder: bidders[1],
        plaintext: try PlatformFixture.bundle(bidder: bidders[1], priceFen: 4_050_000_000))
      envelopes[bidders[2]] = try f.seal(bidder: bidders[2], plaintext: Array("not a bundle".utf8))
      for bidder in bidders {
        #expect(
          try await f.submit(envelopes[bidder]!, bidder: bidder, with: client).status == .created)
      }
      f.clock.set(PlatformFixture.deadline)
      #expect(try await OpeningScheduler(platform: f.platform).tick() == ["S1": .opening])
      if backend == .postgres {
        // With PostgreSQL the database holds the blobs: a node that lost its files (or a fresh
        // node) rebuilds them, so the opening goes on.
        for file in try FileManager.default.contentsOfDirectory(atPath: f.blobDirectory) {
          try FileManager.default.removeItem(atPath: f.blobDirectory + "/" + file)
        }
      }

      func shares(of holder: Int) throws -> [(String, Shamir.Share)] {
        try bidders.map { bidder in
          (
            bidder,
            try EnvelopeReader(MemorySource(envelopes[bidder]!)).header.share(
              using: f.holders[holder].sealing)
          )
        }
      }
      let release = { (holder: Int, body: ByteBuffer) in
        try await client.execute(
          uri: "/api/v1/sections/S1/shares/holder\(holder)", method: .post,
          headers: try await f.headers("holder\(holder)", jsonHeaders), body: body)
      }
      // Nobody releases for another holder.
      let impostor = try await client.execute(
        uri: "/api/v1/sections/S1/shares/holder1", method: .post,
        headers: try await f.headers("holder0", jsonHeaders), body: sharesJSON(try shares(of: 1)))
      #expect(impostor.status == .forbidden)
      #expect(try await release(0, sharesJSON(try shares(of: 0))).status == .ok)
      // Holder 1 sending holder 2's share, or a made-up one, is refused.
      #expect(
        problemCode(try await release(1, sharesJSON(try shares(of: 2)))) == "ENVELOPE_REFUSED")
      var forged = try shares(of: 1)
      forged[0].1 = Shamir.Share(x: forged[0].1.x, y: [UInt8](repeating: 1, count: 32))
      #expect(problemCode(try await release(1, sharesJSON(forged))) == "ENVELOPE_REFUSED")
      // One holder is not enough to open.
      let early = try await client.execute(
        uri: "/api/v1/sections/S1/opening", method: .post, headers: try await f.tenderer())
      #expect(problemCode(early) == "RULE_NO_DECRYPTION_BEFORE_DEADLINE")

      #expect(try await release(2, sharesJSON(try shares(of: 2))).status == .ok)
      let opening = try await client.execute(
        uri: "/api/v1/sections/S1/opening", method: .post, headers: try await f.tenderer())
      #expect(opening.status == .ok)
      let record = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: opening.body)) as? [[String: Any]])
      let byBidder = Dictionary(uniqueKeysWithValues: record.map { ($0["bidder"] as! String, $0) })
      #expect(byBidder[bidders[0]]?["priceFen"] as? Int == 4_100_000_000)
      #expect(byBidder[bidders[1]]?["projectManagerID"] as? String == "PM-\(bidders[1])")
      #expect(byBidder[bidders[2]]?["outcome"] as? String == "revoked")

      // Anyone can re-open a bid with its published key.
      let keyHex = try #require(byBidder[bidders[0]]?["bidKey"] as? String)
      let key = try #require([UInt8](hex: keyHex))
      var reader = try EnvelopeReader(MemorySource(envelopes[bidders[0]]!))
      var sink = MemorySink()
      _ = try reader.open(contentKey: key, into: &sink)
      #expect(BidBundleLayout.manifest(fromPrefix: sink.bytes)?.priceFen == 4_100_000_000)

      // What the operator's Prometheus sees: three bids and their bytes, one opening, each
      // request under its route template (never a section's or bidder's id) and final status.
      let metrics = String(
        buffer: try await client.execute(uri: "/metrics", method: .get).body)
      #expect(metrics.contains("zhaocai_trading_bids_received_total 3"), "\(metrics)")
      #expect(metrics.contains("zhaocai_trading_openings_total 1"))
      #expect(metrics.contains("zhaocai_trading_bid_bytes_total "))
      #expect(
        metrics.contains(
          #"zhaocai_trading_http_requests_total{route="/api/v1/sections/{sectionID}/bids/{bidderID}",method="PUT",status="201"} 3"#
        ))
      #expect(
        metrics.contains(
          #"zhaocai_trading_http_requests_total{route="/api/v1/sections/{sectionID}/opening",method="POST",status="200"} 1"#
        ))
      #expect(!metrics.contains(bidders[0]) && !metrics.contains("S1"))
      #expect(metrics.contains("zhaocai_trading_outbox_pending "))
      // The database pool: each request above leased a connection; none is waiting now.
      func gauge(_ name: String) -> Double? {
        metrics.split(separator: "\n").first { $0.hasPrefix("zhaocai_trading_\(name) ") }
          .flatMap { Double($0.split(separator: " ").last ?? "") }
      }
      #expect((gauge("database_leases") ?? 0) >= 10)
      #expect(gauge("database_connections_waiting") == 0)
      #expect((gauge("database_connections_maximum") ?? 0) >= 3)
      #expect(gauge("database_failovers") == 0)
    }
    #expect(f.leftoverUploads.isEmpty)
    await f.platform.store.close()
  }
}
