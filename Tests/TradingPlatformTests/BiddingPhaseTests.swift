import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiTestSupport

@testable import TradingPlatform

@Suite struct BiddingPhaseTests {
  func view(_ response: TestResponse) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
  }

  @Test(arguments: Backend.available)
  func withdrawalsAmendmentsAndObjections(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      try await f.createAndPublish(with: client)
      let bid = "/api/v1/sections/S1/bids/\(PlatformFixture.bidder)"

      // Objections: in time (16 Nov) they hold the close of bidding until answered.
      f.clock.set(LegalDate("2026-11-16")!.startInstant + 10 * 3600)
      let raised = try await client.execute(
        uri: "/api/v1/sections/S1/objections/OBJ-1", method: .put, headers: try await f.bidder())
      #expect(raised.status == .created)
      let pending = try view(raised)["pendingObjections"] as? [[String: Any]]
      #expect(pending?.first?["answerDue"] as? String == "2026-11-19")
      let answered = try await client.execute(
        uri: "/api/v1/sections/S1/objections/OBJ-1/answer", method: .post,
        headers: try await f.tenderer())
      #expect((try view(answered)["pendingObjections"] as? [Any])?.isEmpty == true)
      f.clock.set(LegalDate("2026-11-18")!.startInstant + 10 * 3600)
      let late = try await client.execute(
        uri: "/api/v1/sections/S1/objections/OBJ-2", method: .put, headers: try await f.bidder())
      #expect(problemCode(late) == "RULE_OBJECTION_DOCUMENTS_IN_TIME")

      // A bid, withdrawn before the deadline.
      #expect(
        try await client.execute(
          uri: bid, method: .put, headers: try await f.bidder(),
          body: ByteBuffer(bytes: try f.seal())
        ).status == .created)
      let withdrawn = try await client.execute(
        uri: bid, method: .delete, headers: try await f.bidder())
      #expect(withdrawn.status == .ok)
      #expect((try view(withdrawn)["bids"] as? [Any])?.isEmpty == true)

      // An amendment on 20 Nov at 15:00 is less than 15 days before 27 Nov: the deadline moves
      // to 5 Dec, and envelopes sealed for the old opening time no longer fit.
      f.clock.set(LegalDate("2026-11-20")!.startInstant + 15 * 3600)
      let amended = try await client.execute(
        uri: "/api/v1/sections/S1/amendments", method: .post, headers: try await f.tenderer())
      #expect(amended.status == .created)
      let schedule = try view(amended)["schedule"] as? [String: Any]
      #expect(schedule?["bidDeadline"] as? String == "2026-12-05T01:30:00Z")
      let stale = try await client.execute(
        uri: bid, method: .put, headers: try await f.bidder(), body: ByteBuffer(bytes: try f.seal())
      )
      #expect(problemCode(stale) == "RULE_OPENING_AT_DEADLINE")
      let newDeadline = PlatformFixture.deadline + 8 * 86_400
      let resealed = try await client.execute(
        uri: bid, method: .put, headers: try await f.bidder(),
        body: ByteBuffer(bytes: try f.seal(openingTime: newDeadline)))
      #expect(resealed.status == .created)

      // After the deadline nothing is withdrawn.
      f.clock.set(newDeadline)
      #expect(
        problemCode(
          try await client.execute(uri: bid, method: .delete, headers: try await f.bidder()))
          == "RULE_LATE_BID_REFUSED")
    }
    await f.platform.store.close()
  }
}
