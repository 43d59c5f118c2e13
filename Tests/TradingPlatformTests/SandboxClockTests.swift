import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import TradingPlatform

/// The sandbox (serve --demo): its clock moves only when its administrator asks over HTTP, the
/// scheduler follows, and the law's time limits are enforced or recorded as in service.
@Suite struct SandboxClockTests {
  static let token = "sandbox-test-token"

  func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
  }

  @Test func aTenderCrossesItsTimeLimitsByMovingTheSandboxClock() async throws {
    let f = try await PlatformFixture(backend: .sqlite, sandboxed: true)
    let clock = try #require(f.sandboxClock)
    let sandbox = Sandbox(token: Self.token, clock: clock)
    let platform = f.platform
    sandbox.whenAdvanced { _ = try? await OpeningScheduler(platform: platform).tick() }
    let bidders = Array(PlatformFixture.bidders.prefix(3))
    let experts = (1...4).map { "expert-\($0)" }
    for (i, expert) in experts.enumerated() {
      _ = try await f.platform.register(
        Account(
          id: expert, role: .expert, name: "专家\(i + 1)",
          creditCode: try completed("913501000\(i + 1)000001XY"), specialities: ["房建"]),
        password: PlatformFixture.password)
    }
    try await f.platform.application(port: 0, sandbox: sandbox).test(.live) { client in
      func call(
        _ method: HTTPRequest.Method, _ uri: String, as account: String?, _ body: String? = nil
      )
        async throws -> TestResponse
      {
        try await f.call(method, uri, as: account, json: body, with: client)
      }
      func advance(days: Int64, plus seconds: Int64 = 0) async throws -> TestResponse {
        try await client.execute(
          uri: "/api/v1/sandbox/clock", method: .post,
          headers: [.contentType: "application/json", .authorization: "Bearer \(Self.token)"],
          body: ByteBuffer(string: #"{"advanceSeconds":\#(days * 86_400 + seconds)}"#))
      }
      // Every answer says it is a sandbox's; only the sandbox administrator moves the clock,
      // and only forward.
      let time = try await client.execute(uri: "/api/v1/sandbox/clock", method: .get)
      #expect(time.headers[Sandbox.header] == "1")
      #expect(try object(time)["nowSeconds"] as? Int64 == PlatformFixture.start)
      #expect((try await call(.get, "/sections/none", as: nil)).headers[Sandbox.header] == "1")
      let stranger = try await client.execute(
        uri: "/api/v1/sandbox/clock", method: .post,
        headers: [.contentType: "application/json", .authorization: "Bearer guess"],
        body: ByteBuffer(string: #"{"advanceSeconds":60}"#))
      #expect(problemCode(stranger) == "AUTH_REQUIRED")
      let back = try await client.execute(
        uri: "/api/v1/sandbox/clock", method: .post,
        headers: [.contentType: "application/json", .authorization: "Bearer \(Self.token)"],
        body: ByteBuffer(string: #"{"advanceSeconds":-86400}"#))
      #expect(problemCode(back) == "INVALID_INPUT")

      try await f.createAndPublish(with: client)
      for (i, bidder) in bidders.enumerated() {
        let plaintext = try PlatformFixture.bundle(
          bidder: bidder, priceFen: 4_000_000_000 + Int64(i) * 100_000_000)
        let envelope = try f.seal(bidder: bidder, plaintext: plaintext)
        #expect(try await f.submit(envelope, bidder: bidder, with: client).status == .created)
      }

      // Past the deadline: the scheduler closes bidding as the clock moves; a bid is late.
      #expect(try await advance(days: 25, plus: 3600).status == .ok)
      #expect(
        try object(try await call(.get, "/sections/S1", as: nil))["phase"] as? String == "opening")
      let late = try await f.submit(
        try f.seal(bidder: PlatformFixture.bidders[3]), bidder: PlatformFixture.bidders[3],
        with: client)
      #expect(problemCode(late) == "RULE_LATE_BID_REFUSED")

      // Two holders release; with the next move of the clock the scheduler opens the bids.
      for holder in [0, 1] {
        #expect(try await f.release(holder: holder, bidders: bidders, with: client).status == .ok)
      }
      #expect(try await advance(days: 0, plus: 60).status == .ok)
      #expect(try await call(.post, "/sections/S1/opening/close", as: "tenderer").status == .ok)
      let seated = try await call(
        .post, "/sections/S1/committee", as: "tenderer",
        #"{"experts":4,"speciality":"房建","representatives":["tenderer"]}"#)
      #expect(seated.status == .created)
      // The committee checks in, elects its leader and goes through the stages in order.
      let committee = experts + ["tenderer"]
      for member in committee {
        #expect(
          try await call(.post, "/sections/S1/evaluation/check-in", as: member).status == .ok)
      }
      for member in committee.prefix(3) {
        #expect(
          try await call(
            .put, "/sections/S1/evaluation/leader-vote", as: member,
            #"{"candidate":"\#(experts[0])"}"#
          ).status == .ok)
      }
      for stage in ["qualification", "preliminary"] {
        for member in committee {
          #expect(
            try await call(
              .put, "/sections/S1/evaluation/stages/\(stage)/conclusion", as: member
            ).status == .ok)
        }
      }
      for member in committee {
        let sheet = bidders.enumerated().map {
          #""\#($0.element)":{"技术":\#(5000 + $0.offset * 100),"商务":2000}"#
        }
        #expect(
          try await call(
            .put, "/sections/S1/evaluation/scores", as: member,
            #"{"points":{\#(sheet.joined(separator: ","))}}"#
          ).status == .ok)
      }
      for member in committee {
        #expect(
          try await call(.put, "/sections/S1/evaluation/stages/price/conclusion", as: member)
            .status == .ok)
      }
      let report = try object(
        try await call(
          .post, "/sections/S1/evaluation/report", as: experts[0], #"{"candidates":3}"#))
      let candidates = try #require(
        (report["evaluation"] as? [String: Any])?["candidates"] as? [String])
      let first = candidates.first

      // Publicity of three days from now; the award waits for its end, then follows.
      let now = clock.now()
      #expect(
        try await call(
          .post, "/sections/S1/publicity", as: "tenderer",
          #"{"start":"\#(iso(now))","end":"\#(iso(now + 3 * 86_400 + 3600))"}"#
        ).status == .ok)
      let award = #"{"bidder":"\#(try #require(first))"}"#
      #expect(
        problemCode(try await call(.post, "/sections/S1/award", as: "tenderer", award))
          == "RULE_PUBLICITY_MIN_3_DAYS")
      #expect(try await advance(days: 3, plus: 7200).status == .ok)
      // The first candidate gives up (条例55): only it can say so; then the second may win.
      let standDown = "/sections/S1/candidates/\(candidates[0])/standing-down"
      #expect(
        try await call(.put, standDown, as: "tenderer", #"{"ground":"gaveUp"}"#).status
          == .forbidden)
      #expect(
        try await call(.put, standDown, as: "bidder-\(candidates[1])", #"{"ground":"gaveUp"}"#)
          .status == .forbidden)
      #expect(
        try await call(.put, standDown, as: "bidder-\(candidates[0])", #"{"ground":"gaveUp"}"#)
          .status == .created)
      #expect(
        problemCode(try await call(.post, "/sections/S1/award", as: "tenderer", award))
          == "INVALID_INPUT")
      let second = #"{"bidder":"\#(candidates[1])"}"#
      let awarded = try object(try await call(.post, "/sections/S1/award", as: "tenderer", second))
      #expect(awarded["phase"] as? String == "awarded")
      let notices = try #require(
        try JSONSerialization.jsonObject(
          with: Data(buffer: try await call(.get, "/sections/S1/notices", as: nil).body))
          as? [[String: Any]])
      let result = try #require(notices.last?["body"] as? String)
      #expect(result.contains("\(candidates[0]) 放弃中标"))

      // Thirty days and more without a contract: the scheduler records the missed limit (法46).
      #expect(try await advance(days: 31).status == .ok)
      let overdue = try object(try await call(.get, "/sections/S1", as: "tenderer"))
      let missed = (overdue["award"] as? [String: Any])?["missed"] as? [String]
      #expect(missed?.contains("RULE_CONTRACT_WITHIN_30_DAYS") == true)
      #expect(missed?.contains("RULE_REPORT_WITHIN_15_DAYS") == true)
    }
    await f.platform.store.close()
  }
}
