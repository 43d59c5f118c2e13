import Foundation
import Hummingbird
import HummingbirdTesting
import OpenAPIRuntime
import Testing
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import TradingPlatform

/// Requests an attacker or a careless client sends: each is refused with its code and the
/// platform goes on serving (before, several of them trapped and took every platform down).
@Suite struct HostileInputTests {
  @Test func oversizedControlAndMalformedBodiesAreRefusedByName() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    try await f.platform.application(port: 0).test(.live) { client in
      // 2 MiB sent anonymously is refused before it is read, not buffered whole.
      let huge = String(repeating: "a", count: 2 << 20)
      let tooLarge = try await client.execute(
        uri: "/api/v1/sessions", method: .post, headers: jsonHeaders,
        body: ByteBuffer(string: #"{"account":"\#(huge)","password":"x"}"#))
      #expect(tooLarge.status == .contentTooLarge)
      #expect(problemCode(tooLarge) == "BODY_TOO_LARGE")

      // A NUL, a control character or a bidi override in any string: refused, naming the field.
      for text in [#"\u0000"#, #"\u001b[31m"#, "\u{202E}", #"\u202e"#, "\u{0085}"] {
        let terms = PlatformFixture.termsJSON.replacingOccurrences(
          of: "主体工程", with: "主体\(text)工程")
        let refused = try await f.call(
          .post, "/sections", as: "tenderer", json: terms, with: client)
        #expect(refused.status == .badRequest)
        #expect(problemCode(refused) == "TEXT_FORBIDDEN_CHARACTER")
        #expect(String(buffer: refused.body).contains("name"))
      }
      // An escaped quote and a backslash are ordinary text.
      let quoted = PlatformFixture.termsJSON.replacingOccurrences(
        of: "主体工程", with: #"主体\"工程\\一"#)
      #expect(
        try await f.call(.post, "/sections", as: "tenderer", json: quoted, with: client).status
          == .created)

      // A field of the wrong type is named, in both languages, without Swift's decoder text.
      let wrongType = PlatformFixture.termsJSON.replacingOccurrences(
        of: "5000000000", with: #""lots""#)
      let mistyped = try await f.call(
        .post, "/sections", as: "tenderer", json: wrongType, with: client)
      #expect(mistyped.status == .badRequest)
      let body = String(buffer: mistyped.body)
      #expect(body.contains("estimateFen"))
      #expect(body.contains("字段"))
      #expect(!body.contains("DecodingError") && !body.contains("Swift"))

      // Nesting deep enough to overflow a recursive reader's stack is refused.
      let deep = String(repeating: "[", count: 100_000) + #""\u0001""#
      let nested = try await client.execute(
        uri: "/api/v1/sections", method: .post, headers: try await f.tenderer(),
        body: ByteBuffer(string: deep))
      #expect(nested.status.code < 500)
      // The same id twice is a conflict, not a fault (schemathesis found a 500 here).
      let again = try await f.call(.post, "/sections", as: "tenderer", json: quoted, with: client)
      #expect(again.status == .conflict)
      #expect(problemCode(again) == "SECTION_TAKEN")
      // The platform still serves: the section created with the quoted name is there.
      let kept = try await f.call(.get, "/sections/S1", as: "tenderer", with: client)
      #expect(String(buffer: kept.body).contains(#"主体\"工程"#))
    }
    await f.platform.store.close()
  }

  /// Every answer carries a request id for the logs: the load balancer's if it is plain and
  /// short, else the platform's own; a hostile one (markup, newlines, 200 characters) is
  /// neither echoed nor logged.
  @Test func theRequestIdIsEchoedOnlyWhenItIsPlain() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    try await f.platform.application(port: 0).test(.live) { client in
      let plain = try await client.execute(
        uri: "/health/live", method: .get, headers: [RequestLogID.header: "nginx-4f2a-0001"])
      #expect(plain.headers[RequestLogID.header] == "nginx-4f2a-0001")
      for hostile in ["<script>x</script>", String(repeating: "a", count: 200), "a b"] {
        let answered = try await client.execute(
          uri: "/api/v1/sections/S1", method: .get, headers: [RequestLogID.header: hostile])
        let id = try #require(answered.headers[RequestLogID.header])
        #expect(id != hostile && !id.isEmpty && id.count <= 64)
      }
    }
    await f.platform.store.close()
  }

  @Test func extremeValuesAreRefusedNotTrapped() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    try await f.platform.application(port: 0).test(.live) { client in
      for (field, value) in [
        ("estimateFen", "9223372036854775807"), ("estimateFen", "-9223372036854775808"),
        ("estimateFen", "1000000000000001"),
      ] {
        let terms = PlatformFixture.termsJSON.replacingOccurrences(
          of: #""estimateFen":5000000000"#, with: #""\#(field)":\#(value)"#)
        let refused = try await f.call(
          .post, "/sections", as: "tenderer", json: terms, with: client)
        #expect(refused.status == .unprocessableContent)
      }
      let points = PlatformFixture.termsJSON.replacingOccurrences(
        of: "9000", with: "9223372036854775807")
      #expect(
        problemCode(
          try await f.call(.post, "/sections", as: "tenderer", json: points, with: client))
          == "INVALID_INPUT")

      // Version 1 of documents a published section does not have yet: not found (1...0 trapped).
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 3600)
      let none = try await f.call(
        .get, "/sections/S1/documents/versions/1", as: "bidder-\(PlatformFixture.bidder)",
        with: client)
      #expect(none.status == .notFound)
      let negative = try await f.call(
        .get, "/sections/S1/documents/versions/-9223372036854775808",
        as: "bidder-\(PlatformFixture.bidder)", with: client)
      #expect(negative.status.code < 500)
      // The platform still serves.
      #expect(try await f.call(.get, "/sections/S1", as: nil, with: client).status == .ok)
    }
    await f.platform.store.close()
  }

  /// 法24, 条例16: the documents are issued when the notice is published; a backdated issue date
  /// does not buy a short deadline.
  @Test func aBackdatedIssueDateDoesNotShortenTheDeadline() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    try await f.platform.application(port: 0).test(.live) { client in
      #expect(
        try await f.call(
          .post, "/sections", as: "tenderer", json: PlatformFixture.termsJSON, with: client
        ).status == .created)
      f.clock.set(PlatformFixture.deadline - 120)
      // Issued "21 days ago", sale over soon, the deadline two minutes away.
      let backdated = f.scheduleJSON
        .replacingOccurrences(of: "2026-11-02T01:00:00Z", with: iso(f.clock.now() - 21 * 86_400))
        .replacingOccurrences(of: "2026-11-09T09:00:00Z", with: iso(f.clock.now() + 60))
      let refused = try await f.call(
        .post, "/sections/S1/publication", as: "tenderer", json: backdated, with: client)
      #expect(refused.status == .unprocessableContent)
      #expect(
        ["RULE_SALE_PERIOD_MIN_5_DAYS", "RULE_DEADLINE_MIN_20_DAYS"].contains(problemCode(refused)))
      // Every date in 1970 is outside what any date may be.
      let ancient = f.scheduleJSON.replacingOccurrences(of: "2026-11", with: "1970-01")
      #expect(
        problemCode(
          try await f.call(
            .post, "/sections/S1/publication", as: "tenderer", json: ancient, with: client))
          == "INVALID_INPUT")
      // On time, the issue date is the publication's whatever the request says.
      f.clock.set(PlatformFixture.start)
      let published = try await f.call(
        .post, "/sections/S1/publication", as: "tenderer",
        json: f.scheduleJSON.replacingOccurrences(
          of: "2026-11-02T01:00:00Z", with: "2026-10-01T01:00:00Z"), with: client)
      #expect(published.status == .ok)
      let section = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: published.body)) as? [String: Any])
      let schedule = try #require(section["schedule"] as? [String: Any])
      #expect(schedule["documentsIssuedAt"] as? String == iso(PlatformFixture.start))
    }
    await f.platform.store.close()
  }

  /// The opening's refusals name their rules: too early (办法28), too few bids (条例44), a late
  /// bid after the scheduler closed bidding (办法27); and a failed section publishes its notice.
  @Test func openingRefusalsNameTheirRulesAndAFailureIsPublished() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 86_400)
      #expect(
        try await f.submit(try f.seal(), bidder: PlatformFixture.bidder, with: client).status
          == .created)
      // The tenderer signed in as a bidder cannot bid in its own tender (条例34).
      let key = f.bidderKeys.signing
      _ = try await f.platform.register(
        Account(
          id: "tenderer-bidding", role: .bidder, name: "福州市城建局",
          creditCode: PlatformFixture.tendererCode,
          signingKey: Data(key.verifyingKey.rawRepresentation).base64EncodedString(),
          signatureAlgorithm: key.algorithm.description),
        password: PlatformFixture.password)
      let own = try await client.execute(
        uri: "/api/v1/sections/S1/bids/\(PlatformFixture.tendererCode)", method: .put,
        headers: try await f.headers("tenderer-bidding", binaryHeaders),
        body: ByteBuffer(bytes: try f.seal(bidder: PlatformFixture.tendererCode)))
      #expect(problemCode(own) == "RULE_BIDDER_INDEPENDENT")
      let early = try await f.call(.post, "/sections/S1/opening", as: "tenderer", with: client)
      #expect(problemCode(early) == "RULE_NO_DECRYPTION_BEFORE_DEADLINE")

      f.clock.set(PlatformFixture.deadline)
      #expect(try await OpeningScheduler(platform: f.platform).tick() == ["S1": .failed])
      let late = try await f.submit(
        try f.seal(bidder: PlatformFixture.bidders[1]), bidder: PlatformFixture.bidders[1],
        with: client)
      #expect(problemCode(late) == "RULE_LATE_BID_REFUSED")
      let failed = try await f.call(.post, "/sections/S1/opening", as: "tenderer", with: client)
      #expect(problemCode(failed) == "RULE_MIN_3_BIDS")

      let notices = try #require(
        try JSONSerialization.jsonObject(
          with: Data(
            buffer: try await f.call(.get, "/sections/S1/notices", as: nil, with: client).body))
          as? [[String: Any]])
      #expect(notices.compactMap { $0["kind"] as? String } == ["tenderNotice", "failureNotice"])
      let failure = try #require(notices.last?["body"] as? String)
      #expect(failure.contains("条例44") && failure.contains("重新招标"))
    }
    await f.platform.store.close()
  }

  /// Uploads stream to disk and stop at their limit, leaving nothing behind.
  @Test func anUploadPastItsLimitIsRefusedAndRemoved() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    do {
      _ = try await f.platform.blobs.receive(
        HTTPBody(Array(repeating: 7, count: 4096)), limit: 1000)
      Issue.record("an upload past its limit was taken")
    } catch let problem as ProblemDetails {
      #expect(problem.code == "BODY_TOO_LARGE" && problem.status == 413)
    }
    #expect(f.leftoverUploads.isEmpty)
    await f.platform.store.close()
  }

  /// A ban another platform sent with its end before its start is inactive, not a trap.
  @Test func aBanEndingBeforeItStartsIsNeverActive() {
    let ban = Ban(party: "X", reason: "r", startsAt: 100, endsAt: 10)
    #expect(!ban.isActive(at: 50) && !ban.isWellFormed)
    #expect(Ban(party: "X", reason: "r", startsAt: 10, endsAt: 100).isActive(at: 50))
  }

  /// The administrator loads a year of the calendar once the State Council publishes it; the
  /// platform keeps it across restarts; nonsense days are refused.
  @Test func anAdministratorLoadsTheNextYearsCalendar() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    try await f.platform.application(port: 0).test(.live) { client in
      let year = #"{"holidays":["2027-01-01"],"makeUpWorkingDays":["2027-01-09"]}"#
      #expect(
        try await f.call(.put, "/calendar/2027", as: "tenderer", json: year, with: client).status
          == .forbidden)
      for bad in [
        #"{"holidays":["2028-01-01"],"makeUpWorkingDays":[]}"#,
        #"{"holidays":["2027-01-01"],"makeUpWorkingDays":["2027-01-01"]}"#,
        #"{"holidays":[],"makeUpWorkingDays":["2027-01-06"]}"#,
      ] {
        let refused = try await f.call(.put, "/calendar/2027", as: "admin", json: bad, with: client)
        #expect(problemCode(refused) == "INVALID_INPUT", "\(bad)")
      }
      let loaded = try await f.call(.put, "/calendar/2027", as: "admin", json: year, with: client)
      #expect(loaded.status == .ok)
      #expect(String(buffer: loaded.body).contains("2027"))
    }
    #expect(f.platform.calendar.years == [2026, 2027])
    #expect(!f.platform.calendar.isWorkingDay(LegalDate("2027-01-01")!))
    #expect(f.platform.calendar.isWorkingDay(LegalDate("2027-01-09")!))
    // Another node (or a restart) on the same database counts the same days.
    let restarted = TradingPlatform(
      store: f.platform.store, blobs: f.platform.blobs, clock: f.clock,
      logSigner: f.platform.logSigner, passwordCost: 4)
    #expect(restarted.calendar.years == [2026])
    try await restarted.loadCalendar()
    #expect(restarted.calendar.years == [2026, 2027])
    await f.platform.store.close()
  }
}
