import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiTestSupport

@testable import TradingPlatform

/// `GET /sections`: the tenders a bidder finds on the platform itself, drafts kept to those who
/// run them, and a bidder's own list.
@Suite struct SectionListTests {
  @Test(arguments: Backend.available)
  func listsPublishedTendersAndKeepsDraftsToTheirManager(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      try await f.createAndPublish(with: client)
      f.clock.advance(seconds: 60)
      let draft = PlatformFixture.termsJSON.replacingOccurrences(of: "\"S1\"", with: "\"S2-draft\"")
      let created = try await f.call(.post, "/sections", as: "tenderer", json: draft, with: client)
      #expect(created.status == .created)

      func ids(_ uri: String, as account: String?) async throws -> [String] {
        let answer = try await f.call(.get, uri, as: account, with: client)
        #expect(answer.status == .ok, "\(uri)")
        let rows =
          try JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [[String: Any]]
        return (rows ?? []).compactMap { $0["sectionID"] as? String }
      }
      // The public sees the published tender only, with its deadline; never the draft's id.
      let anonymous = try await f.call(.get, "/sections", as: nil, with: client)
      let rows =
        try JSONSerialization.jsonObject(with: Data(buffer: anonymous.body)) as? [[String: Any]]
      #expect(rows?.map { $0["sectionID"] as? String } == ["S1"])
      #expect(rows?.first?["bidDeadline"] as? String == "2026-11-27T01:30:00Z")
      #expect(rows?.first?["phase"] as? String == "bidding")
      #expect(rows?.first?["myBid"] == nil)
      #expect(!String(buffer: anonymous.body).contains("S2-draft"))
      #expect(try await ids("/sections", as: "bidder-\(PlatformFixture.bidder)") == ["S1"])
      #expect(try await ids("/sections", as: "tenderer") == ["S2-draft", "S1"])
      #expect(try await ids("/sections?phase=draft", as: "tenderer") == ["S2-draft"])
      #expect(try await ids("/sections?phase=draft", as: nil) == [])
      #expect(try await ids("/sections?limit=1&offset=1", as: "tenderer") == ["S1"])

      // A bidder's own list holds the sections it bid on, with its envelope's hash.
      #expect(try await ids("/sections?mine=true", as: "bidder-\(PlatformFixture.bidder)") == [])
      let bundle = try PlatformFixture.bundle(
        bidder: PlatformFixture.bidder, priceFen: 4_000_000_000)
      let receipt = try await f.submit(
        try f.seal(plaintext: bundle), bidder: PlatformFixture.bidder, with: client)
      #expect(receipt.status == .created)
      let mine = try await f.call(
        .get, "/sections?mine=true", as: "bidder-\(PlatformFixture.bidder)", with: client)
      let own = try JSONSerialization.jsonObject(with: Data(buffer: mine.body)) as? [[String: Any]]
      #expect(own?.map { $0["sectionID"] as? String } == ["S1"])
      #expect((own?.first?["myBid"] as? String)?.hasPrefix("sha256:") == true)
      #expect(
        try await ids("/sections?mine=true", as: "bidder-\(PlatformFixture.bidders[1])") == [])

      // Signed out, "mine" names nobody: sign in first. A page is 200 sections at most.
      let signedOut = try await f.call(.get, "/sections?mine=true", as: nil, with: client)
      #expect(signedOut.status == .unauthorized)
      #expect(try await ids("/sections?limit=100000&offset=-5", as: nil) == ["S1"])
      let badPhase = try await f.call(.get, "/sections?phase=sealed", as: nil, with: client)
      #expect(badPhase.status == .badRequest)
    }
    await f.platform.store.close()
  }
}
