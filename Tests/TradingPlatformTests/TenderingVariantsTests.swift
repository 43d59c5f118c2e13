import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiTestSupport

@testable import TradingPlatform

/// Agencies acting for tenderers, invitation tendering, termination, and the log of accounts.
@Suite struct TenderingVariantsTests {
  static let agencyCode = "9135010050000001X5"
  static let otherAgencyCode = "9135010040000001XR"

  func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
  }

  @Test(arguments: Backend.available)
  func anAgencyRunsTheTenderersSectionAndNoOtherAgencyDoes(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      let size = { () async throws -> String in
        String(
          String(buffer: try await f.call(.get, "/log/checkpoint", as: nil, with: client).body)
            .split(separator: "\n")[1])
      }
      // Self-registration is logged, with who and from where.
      let before = try await size()
      for (id, code) in [("agency", Self.agencyCode), ("other-agency", Self.otherAgencyCode)] {
        let registered = try await f.call(
          .post, "/accounts", as: nil,
          json:
            #"{"id":"\#(id)","password":"password-123","role":"agency","name":"某招标代理","creditCode":"\#(code)"}"#,
          with: client)
        #expect(registered.status == .created)
      }
      #expect(Int(try await size()) == Int(before)! + 2)

      // An agency must name the tenderer it acts for.
      let unnamed = try await f.call(
        .post, "/sections", as: "agency", json: PlatformFixture.termsJSON, with: client)
      #expect(problemCode(unnamed) == "INVALID_INPUT")
      let terms = PlatformFixture.termsJSON.replacingOccurrences(
        of: #""stateFunded":true"#,
        with: #""stateFunded":true,"tenderer":"\#(PlatformFixture.tendererCode)""#)
      let created = try object(
        try await f.call(.post, "/sections", as: "agency", json: terms, with: client))
      let createdTerms = try #require(created["terms"] as? [String: Any])
      #expect(createdTerms["agency"] as? String == Self.agencyCode)
      #expect(createdTerms["tenderer"] as? String == PlatformFixture.tendererCode)
      #expect(
        (try await f.call(
          .post, "/sections/S1/publication", as: "other-agency", json: f.scheduleJSON, with: client))
          .status == .forbidden)
      #expect(
        (try await f.call(
          .post, "/sections/S1/publication", as: "agency", json: f.scheduleJSON, with: client))
          .status == .ok)
      // The tenderer itself may act too, e.g. terminate, which publishes the notice and ends
      // every further step.
      let ended = try object(
        try await f.call(
          .post, "/sections/S1/termination", as: "tenderer", json: #"{"reason":"项目取消"}"#,
          with: client))
      #expect(ended["phase"] as? String == "terminated")
      let notices = try #require(
        try JSONSerialization.jsonObject(
          with: Data(
            buffer: try await f.call(.get, "/sections/S1/notices", as: nil, with: client).body))
          as? [[String: Any]])
      #expect(notices.last?["kind"] as? String == "terminationNotice")
      #expect(notices.last?["body"] as? String == "终止原因：项目取消")
      let after = try await f.call(.post, "/sections/S1/amendments", as: "agency", with: client)
      #expect(problemCode(after) == "STATE_WRONG_PHASE")
    }
    await f.platform.store.close()
  }

  @Test func onlyInvitedPartiesTakeTheDocumentsAndBid() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      let terms = PlatformFixture.termsJSON.replacingOccurrences(
        of: #""procedure":"open""#, with: #""procedure":"invitation""#)
      #expect(
        (try await f.call(.post, "/sections", as: "tenderer", json: terms, with: client)).status
          == .created)
      _ = try await client.execute(
        uri: "/api/v1/sections/S1/documents/invitation.pdf", method: .put,
        headers: try await f.tenderer(binaryHeaders), body: ByteBuffer(string: "邀请招标文件"))
      let invited = Array(PlatformFixture.bidders.prefix(3))
      let tooFew = f.scheduleJSON.replacingOccurrences(
        of: #""threshold":2"#, with: #""threshold":2,"invited":["\#(invited[0])","\#(invited[1])"]"#
      )
      #expect(
        problemCode(
          try await f.call(
            .post, "/sections/S1/publication", as: "tenderer", json: tooFew, with: client))
          == "INVALID_INPUT")
      let list = invited.map { "\"\($0)\"" }.joined(separator: ",")
      let schedule = f.scheduleJSON.replacingOccurrences(
        of: #""threshold":2"#, with: #""threshold":2,"invited":[\#(list)]"#)
      #expect(
        (try await f.call(
          .post, "/sections/S1/publication", as: "tenderer", json: schedule, with: client))
          .status == .ok)
      let inbox = try #require(
        try JSONSerialization.jsonObject(
          with: Data(
            buffer: try await f.call(
              .get, "/notifications", as: "bidder-\(invited[0])", with: client
            ).body))
          as? [[String: Any]])
      #expect((inbox.first?["message"] as? String)?.hasPrefix("投标邀请书") == true)

      f.clock.set(PlatformFixture.start + 86_400)
      let outsider = PlatformFixture.bidders[3]
      let refused = try await f.call(
        .get, "/sections/S1/documents/versions/1", as: "bidder-\(outsider)", with: client)
      #expect(problemCode(refused) == "INVALID_INPUT")
      let ok = try await f.call(
        .get, "/sections/S1/documents/versions/1", as: "bidder-\(invited[0])", with: client)
      #expect(String(buffer: ok.body) == "邀请招标文件")
      let bid = try await f.submit(try f.seal(bidder: outsider), bidder: outsider, with: client)
      #expect(problemCode(bid) == "INVALID_INPUT")
      #expect(
        try await f.submit(try f.seal(bidder: invited[1]), bidder: invited[1], with: client).status
          == .created)
    }
    await f.platform.store.close()
  }

  @Test func prequalificationAdmitsThoseWhoPassed() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      let terms = PlatformFixture.termsJSON.replacingOccurrences(
        of: #""procedure":"open""#, with: #""procedure":"openWithPrequalification""#)
      #expect(
        (try await f.call(.post, "/sections", as: "tenderer", json: terms, with: client)).status
          == .created)
      let early = f.scheduleJSON.replacingOccurrences(
        of: #""threshold":2"#, with: #""threshold":2,"applicationDeadline":"2026-11-12T01:00:00Z""#)
      #expect(
        problemCode(
          try await f.call(
            .post, "/sections/S1/publication", as: "tenderer", json: early, with: client))
          == "RULE_PREQUALIFICATION_MIN_5_DAYS")
      let schedule = f.scheduleJSON.replacingOccurrences(
        of: #""threshold":2"#, with: #""threshold":2,"applicationDeadline":"2026-11-16T01:00:00Z""#)
      #expect(
        (try await f.call(
          .post, "/sections/S1/publication", as: "tenderer", json: schedule, with: client))
          .status == .ok)
      f.clock.set(PlatformFixture.start + 86_400)
      for bidder in PlatformFixture.bidders {
        #expect(
          (try await f.call(
            .put, "/sections/S1/prequalification/applications/\(bidder)", as: "bidder-\(bidder)",
            with: client)).status == .created)
      }
      f.clock.set(LegalDate("2026-11-17")!.startInstant + 9 * 3600)
      let passed = PlatformFixture.bidders.prefix(3).map { "\"\($0)\"" }.joined(separator: ",")
      #expect(
        (try await f.call(
          .post, "/sections/S1/prequalification/result", as: "tenderer",
          json: #"{"passed":[\#(passed)]}"#, with: client)).status == .ok)
      let failed = PlatformFixture.bidders[3]
      let inbox = try #require(
        try JSONSerialization.jsonObject(
          with: Data(
            buffer: try await f.call(.get, "/notifications", as: "bidder-\(failed)", with: client)
              .body))
          as? [[String: Any]])
      #expect((inbox.last?["message"] as? String)?.hasPrefix("资格预审结果通知") == true)
      let refused = try await f.submit(try f.seal(bidder: failed), bidder: failed, with: client)
      #expect(problemCode(refused) == "INVALID_INPUT")
      let bidder = PlatformFixture.bidders[0]
      #expect(
        try await f.submit(try f.seal(bidder: bidder), bidder: bidder, with: client).status
          == .created)
    }
    await f.platform.store.close()
  }
}
