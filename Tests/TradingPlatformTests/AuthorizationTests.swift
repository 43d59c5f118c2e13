import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import TradingPlatform

/// Each role does only what its remit allows; every refusal is a problem, never a change.
@Suite struct AuthorizationTests {
  /// What only the section's tenderer (or agency) may do, with a body where one is needed.
  static let managerOnly: [(HTTPRequest.Method, String, String?)] = [
    (
      .post, "/sections/S1/publication",
      #"{"documentsIssuedAt":"2026-11-02T01:00:00Z","saleEndsAt":"2026-11-09T09:00:00Z","bidDeadline":"2026-11-27T01:30:00Z","keyHolders":[],"threshold":2}"#
    ),
    (.post, "/sections/S1/amendments", nil),
    (.post, "/sections/S1/objections/X/answer", nil),
    (.get, "/sections/S1/downloads", nil),
    (.post, "/sections/S1/bonds/91350100M000100Y43/refund", nil),
    (.post, "/sections/S1/opening", nil),
    (.post, "/sections/S1/opening/close", nil),
    (.post, "/sections/S1/committee", #"{"experts":4,"representatives":[]}"#),
    (
      .post, "/sections/S1/publicity",
      #"{"start":"2026-12-01T00:00:00Z","end":"2026-12-05T00:00:00Z"}"#
    ),
    (.post, "/sections/S1/award", #"{"bidder":"91350100M000100Y43"}"#),
    (.post, "/sections/S1/contract", #"{"priceFen":1,"performanceBondFen":0}"#),
    (.post, "/sections/S1/report", nil),
    (.post, "/sections/S1/termination", #"{"reason":"不再建设"}"#),
    (.post, "/sections/S1/archive", nil),
    (.get, "/sections/S1/archive", nil),
  ]

  @Test(arguments: Backend.available)
  func everyRoleStaysInItsRemit(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    _ = try await f.platform.register(
      Account(
        id: "other-tenderer", role: .tenderer, name: "另一招标人", creditCode: "9135010090000001XJ"),
      password: PlatformFixture.password)
    _ = try await f.platform.register(
      Account(id: "expert-x", role: .expert, name: "专家", creditCode: "9135010060000001XG"),
      password: PlatformFixture.password)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      try await f.createAndPublish(with: client)
      let before = try await f.call(.get, "/log/checkpoint", as: nil, with: client)

      for (method, uri, body) in Self.managerOnly {
        let anonymous = try await f.call(method, uri, as: nil, json: body, with: client)
        #expect(anonymous.status == .unauthorized, "\(uri) anonymous")
        #expect(problemCode(anonymous) == "AUTH_REQUIRED")
        for outsider in [
          "other-tenderer", "bidder-\(PlatformFixture.bidder)", "holder0", "expert-x",
        ] {
          let refused = try await f.call(method, uri, as: outsider, json: body, with: client)
          #expect(refused.status == .forbidden, "\(uri) as \(outsider)")
          #expect(problemCode(refused) == "AUTH_FORBIDDEN")
        }
      }
      // A bidder acts only for itself; experts score only on their committee; holders release
      // only their own shares; only administrators add experts.
      let other = PlatformFixture.bidders[1]
      for (method, uri, body) in [
        (HTTPRequest.Method.delete, "/sections/S1/bids/\(other)", nil),
        (
          .put, "/sections/S1/bonds/\(other)",
          #"{"amountFen":80000000,"payingAccount":"62220202001122"}"#
        ),
        (.put, "/sections/S1/opening/confirmations/\(other)", nil),
      ] as [(HTTPRequest.Method, String, String?)] {
        let refused = try await f.call(
          method, uri, as: "bidder-\(PlatformFixture.bidder)", json: body, with: client)
        #expect(refused.status == .forbidden, "\(uri)")
      }
      let scores = try await f.call(
        .put, "/sections/S1/evaluation/scores", as: "expert-x", json: "{}", with: client)
      #expect(scores.status == .forbidden)
      let shares = try await f.call(
        .post, "/sections/S1/shares/holder1", as: "holder0", json: #"{"shares":[]}"#, with: client)
      #expect(shares.status == .forbidden)
      let selfMadeExpert = try await f.call(
        .post, "/accounts", as: "tenderer",
        json:
          #"{"id":"e9","password":"password-123","role":"expert","name":"专家","creditCode":"9135010060000001XG"}"#,
        with: client)
      #expect(selfMadeExpert.status == .forbidden)
      // Another bidder's envelope is out of a bidder's reach (its own it may take back after the
      // deadline, to re-verify it), and every envelope before the deadline.
      let envelope = try await f.call(
        .get, "/sections/S1/bids/\(PlatformFixture.bidders[1])",
        as: "bidder-\(PlatformFixture.bidder)", with: client)
      #expect(envelope.status == .forbidden)

      // Nothing of all this changed the log.
      let after = try await f.call(.get, "/log/checkpoint", as: nil, with: client)
      #expect(
        String(buffer: before.body).split(separator: "\n")[1]
          == String(buffer: after.body).split(separator: "\n")[1])
    }
    await f.platform.store.close()
  }

  @Test func sessionsEndOnSignOutAndExpireAndPasswordsAreChecked() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      let wrong = try await client.execute(
        uri: "/api/v1/sessions", method: .post, headers: jsonHeaders,
        body: json(#"{"account":"tenderer","password":"wrong-password"}"#))
      #expect(wrong.status == .unauthorized)
      #expect(problemCode(wrong) == "AUTH_WRONG_PASSWORD")
      let nobody = try await client.execute(
        uri: "/api/v1/sessions", method: .post, headers: jsonHeaders,
        body: json(#"{"account":"nobody","password":"wrong-password"}"#))
      #expect(problemCode(nobody) == "AUTH_WRONG_PASSWORD")

      let headers = try await f.tenderer([:])
      #expect(
        try await client.execute(uri: "/api/v1/accounts/me", method: .get, headers: headers).status
          == .ok)
      #expect(
        try await client.execute(uri: "/api/v1/sessions/current", method: .delete, headers: headers)
          .status == .noContent)
      let ended = try await client.execute(
        uri: "/api/v1/accounts/me", method: .get, headers: headers)
      #expect(problemCode(ended) == "AUTH_REQUIRED")

      let expiring = try await f.tenderer([:])
      f.clock.advance(seconds: 12 * 3600)
      let expired = try await client.execute(
        uri: "/api/v1/accounts/me", method: .get, headers: expiring)
      #expect(expired.status == .unauthorized)
      var forged = expiring
      forged[.authorization] = "Bearer not-a-token"
      #expect(
        try await client.execute(uri: "/api/v1/accounts/me", method: .get, headers: forged).status
          == .unauthorized)

      // A name is registered once; a short password or a bad code registers nothing.
      let again = try await client.execute(
        uri: "/api/v1/accounts", method: .post, headers: jsonHeaders,
        body: json(
          #"{"id":"tenderer","password":"password-123","role":"tenderer","name":"冒名","creditCode":"9135010090000001XJ"}"#
        ))
      #expect(problemCode(again) == "ACCOUNT_TAKEN")
      let short = try await client.execute(
        uri: "/api/v1/accounts", method: .post, headers: jsonHeaders,
        body: json(
          #"{"id":"newcomer","password":"short","role":"tenderer","name":"新公司","creditCode":"9135010090000001XJ"}"#
        ))
      #expect(short.status == .unprocessableContent)
      let none = try await client.execute(
        uri: "/api/v1/sessions", method: .post, headers: jsonHeaders,
        body: json(#"{"account":"newcomer","password":"short"}"#))
      #expect(problemCode(none) == "AUTH_WRONG_PASSWORD")
    }
    await f.platform.store.close()
  }

  /// Five wrong passwords lock the account for fifteen minutes, the right one included; the
  /// supervision platform shares the lock (`SupervisionSignOnTests`).
  @Test(arguments: Backend.available)
  func fiveWrongPasswordsLockAnAccountForFifteenMinutes(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      func signIn(_ password: String) async throws -> TestResponse {
        try await client.execute(
          uri: "/api/v1/sessions", method: .post, headers: jsonHeaders,
          body: json(#"{"account":"tenderer","password":"\#(password)"}"#))
      }
      for _ in 1...5 {
        #expect(problemCode(try await signIn("wrong-password")) == "AUTH_WRONG_PASSWORD")
      }
      let locked = try await signIn(PlatformFixture.password)
      #expect(locked.status == .tooManyRequests)
      #expect(problemCode(locked) == "SIGN_IN_LOCKED")
      f.clock.advance(seconds: 15 * 60)
      #expect(try await signIn(PlatformFixture.password).status == .created)
    }
    await f.platform.store.close()
  }

  /// Key holders are named in every notice: guesses from a stranger's address lock that address
  /// out, not the holder signing in from its own on the day of the opening.
  @Test func wrongPasswordsFromOneAddressDoNotLockTheAccountElsewhere() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let stranger = Caller(account: nil, address: "203.0.113.9")
    let holder = Caller(account: nil, address: "198.51.100.7")
    for _ in 1...5 {
      await Caller.$current.withValue(stranger) {
        await #expect(throws: ProblemDetails.self) {
          try await f.platform.signIn(account: "holder0", password: "guess")
        }
      }
    }
    await Caller.$current.withValue(stranger) {
      do {
        _ = try await f.platform.signIn(account: "holder0", password: PlatformFixture.password)
        Issue.record("the guessing address was not locked")
      } catch let problem as ProblemDetails {
        #expect(problem.code == "SIGN_IN_LOCKED")
      } catch {
        Issue.record("\(error)")
      }
    }
    let session = try await Caller.$current.withValue(holder) {
      try await f.platform.signIn(account: "holder0", password: PlatformFixture.password)
    }
    #expect(session.account.id == "holder0")
    await f.platform.store.close()
  }
}
