import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiTestSupport

@testable import SupervisionPlatform
@testable import TradingPlatform

/// The 条例40 signs at a real opening: four bids, sealed and uploaded over HTTP, whose
/// manifests, files, uploads and bonds show each sign; the opening finds them, the committee
/// reads them with their evidence, and the supervision platform of the remit raises an alert
/// for each with its rule code and article — while the public record says nothing of them.
@Suite struct CollusionSignsTests {
  static let copied =
    "本工程基础采用旋挖灌注桩，主体结构采用铝合金模板体系并配备两台塔吊，劳动力高峰期三百二十人，"
    + "采用BIM技术进行管线综合排布，质量目标为闽江杯，冬季施工采取综合蓄热法养护措施。"

  static func bundle(
    _ bidder: String, price: Int64, manager: String, device: String, text: String,
    staff: [String] = []
  ) throws -> [UInt8] {
    var manifest = BidManifest(
      sectionID: "S1", bidderCreditCode: bidder, bidderName: "投标人\(bidder.suffix(4))",
      priceFen: price, durationDays: 300, quality: "合格", warrantyMonths: 24,
      projectManagerID: manager, deviceFingerprint: device, tool: "test")
    manifest.keyStaff = staff
    let document = Array(text.utf8)
    return BidBundleLayout.prefix(manifestJSON: Array(try JSONEncoder().encode(manifest)))
      + BidBundleLayout.fileHeader(name: "技术标.txt", size: Int64(document.count)) + document
  }

  @Test(arguments: Backend.available)
  func eachSignIsFoundShownToTheCommitteeAndAlertedToTheSupervisor(backend: Backend)
    async throws
  {
    let f = try await PlatformFixture(backend: backend)
    let s = try await SupervisionFixture(backend: backend, clock: f.clock)
    try await s.serve(f) { sup, client, trading, relay in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 86_400)
      let b = Array(PlatformFixture.bidders.prefix(4))
      // A and B pay from one account (6).
      for (bidder, account) in zip(
        b, ["6222020200112233", "6222020200112233", "6222020211", "62220202"])
      {
        let bond = #"{"amountFen":80000000,"payingAccount":"\#(account)0000"}"#
        #expect(
          try await f.call(
            .put, "/sections/S1/bonds/\(bidder)", as: "bidder-\(bidder)", json: bond, with: client
          )
          .status == .created)
      }
      f.clock.set(PlatformFixture.start + 10 * 86_400)
      let bundles = [
        // A and B from one machine (1); D copies A's text (4); C names B inside its file (5);
        // C and D name one project manager (3).
        try Self.bundle(
          b[0], price: 4_110_000_000, manager: "PM-A", device: "sha256:aa", text: Self.copied),
        try Self.bundle(
          b[1], price: 4_020_000_000, manager: "PM-B", device: "sha256:aa",
          text: "我公司自有施工方案，采用钢结构装配式工艺与智慧工地管理平台，计划工期提前三十日历天。"),
        try Self.bundle(
          b[2], price: 4_260_000_000, manager: "PM-C", device: "sha256:cc",
          text: "附：投标人\(b[1].suffix(4))授权委托书及其项目业绩一览表，本公司另编制安全文明施工专项方案。"),
        try Self.bundle(
          b[3], price: 3_950_000_000, manager: "pm-c", device: "sha256:dd",
          text: "另行说明：" + Self.copied),
      ]
      for (index, bidder) in b.enumerated() {
        var headers = try await f.bidder(bidder)
        // B and C upload from one address and one device (2), as nginx reports the client.
        headers[.xForwardedFor] = index == 1 || index == 2 ? "198.51.100.7" : "203.0.113.\(index)"
        if index == 1 || index == 2 { headers[.zhaocaiDevice] = "zc-device-7" }
        let uploaded = try await client.execute(
          uri: "/api/v1/sections/S1/bids/\(bidder)", method: .put, headers: headers,
          body: ByteBuffer(bytes: try f.seal(bidder: bidder, plaintext: bundles[index])))
        #expect(uploaded.status == .created)
      }
      f.clock.set(PlatformFixture.deadline)
      _ = try await OpeningScheduler(platform: trading).tick()
      for holder in [0, 2] {
        #expect(try await f.release(holder: holder, bidders: b, with: client).status == .ok)
      }
      _ = try await OpeningScheduler(platform: trading).tick()

      // Only the committee reads the signs: not the tenderer outside it, not a bidder.
      let early = try await f.call(
        .get, "/sections/S1/collusion-signs", as: "tenderer", with: client)
      #expect(early.status == .forbidden)
      let bidderAsks = try await f.call(
        .get, "/sections/S1/collusion-signs", as: "bidder-\(b[0])", with: client)
      #expect(bidderAsks.status == .forbidden)
      // The committee is drawn at the hub, which this fixture does not run; the administrator
      // reads what the committee will (LifecycleTests reads it as a member).
      let answer = try await f.call(.get, "/sections/S1/collusion-signs", as: "admin", with: client)
      #expect(answer.status == .ok, "\(String(buffer: answer.body))")
      let findings = try jsonArray(answer)
      let signs = findings.map {
        "\($0["sign"] as? String ?? "")" + ":"
          + (($0["bidders"] as? [String]) ?? []).joined(separator: ",")
      }
      func pair(_ i: Int, _ j: Int) -> String { [b[i], b[j]].sorted().joined(separator: ",") }
      #expect(
        Set(signs) == [
          "samePreparer:" + pair(0, 1), "sameAgent:" + pair(1, 2), "sameStaff:" + pair(2, 3),
          "alikeDocuments:" + pair(0, 3), "mixedDocuments:" + pair(1, 2),
          "sameBondAccount:" + pair(0, 1),
        ], "\(signs)")
      func evidence(_ sign: String) -> [[String: Any]] {
        findings.first { $0["sign"] as? String == sign }?["evidence"] as? [[String: Any]] ?? []
      }
      #expect(evidence("sameAgent").map { $0["field"] as? String } == ["device", "address"])
      #expect(evidence("sameAgent").last?["values"] as? [String] == ["198.51.100.7"])
      #expect(evidence("samePreparer").first?["values"] as? [String] == ["sha256:aa"])
      let passage = (evidence("alikeDocuments").last?["values"] as? [String])?.first ?? ""
      #expect(passage.contains("旋挖灌注桩"))
      #expect(
        findings.first { $0["sign"] as? String == "sameBondAccount" }?["article"] as? String
          == "条例40(6)")

      // The supervisor of the remit is alerted, each sign by its rule; the public record of the
      // opening says nothing of them.
      while try await relay.deliverToSupervision() > 0 {}
      let alerts = try jsonArray(try await s.call(.get, "/alerts", as: "fz-zj-1", with: sup))
      let codes = alerts.compactMap { $0["code"] as? String }.filter {
        $0.hasPrefix("RULE_COLLUSION")
      }
      #expect(
        Set(codes) == [
          "RULE_COLLUSION_SAME_PREPARER", "RULE_COLLUSION_SAME_AGENT", "RULE_COLLUSION_SAME_STAFF",
          "RULE_COLLUSION_ALIKE_DOCUMENTS", "RULE_COLLUSION_MIXED_DOCUMENTS",
          "RULE_COLLUSION_SAME_BOND_ACCOUNT",
        ])
      #expect(alerts.contains { $0["article"] as? String == "条例40(2)" })
      let screens = try jsonObject(
        try await s.call(.get, "/processes/trading.fz/S1/screens", as: "fz-zj-1", with: sup))
      #expect((screens["signs"] as? [[String: Any]])?.count == 6)
      let session = try await s.platform().signIn("fz-zj-1", password: SupervisionFixture.password)
      let page = String(
        buffer: try await sup.execute(
          uri: "/processes/trading.fz/S1", method: .get,
          headers: [.cookie: "zc_session=\(session.token)"]
        ).body)
      #expect(page.contains("串通投标迹象（条例40）") && page.contains("保证金转出账户"))
      #expect(page.contains("198.51.100.7") && page.contains("旋挖灌注桩"))
      // The network across the remit: one opened process, its four bidders met once each.
      let network = try jsonObject(try await s.call(.get, "/networks", as: "fz-zj-1", with: sup))
      #expect(network["processes"] as? Int == 1 && (network["edges"] as? [Any])?.count == 6)
      #expect((network["groups"] as? [Any])?.isEmpty == true)
      #expect((network["svg"] as? String)?.hasPrefix("<svg") == true)
      let picture = try await sup.execute(
        uri: "/networks.svg", method: .get, headers: [.cookie: "zc_session=\(session.token)"])
      #expect(picture.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
      let networkPage = String(
        buffer: try await sup.execute(
          uri: "/networks", method: .get, headers: [.cookie: "zc_session=\(session.token)"]
        ).body)
      #expect(networkPage.contains("投标关系网络") && networkPage.contains("<svg"))
      // The empty lists say so in words (a translated phrase inside an empty list's section).
      #expect(networkPage.contains("未发现两次以上共同投标的群组。") && networkPage.contains("无。"))
      #expect(
        try jsonObject(try await s.call(.get, "/networks", as: "xm-zj-1", with: sup))["processes"]
          as? Int == 0)
      let stored = try #require(
        try await trading.store.read { try await SectionRepository.load("S1", on: $0) })
      #expect(stored.section.collusionFindings?.count == 6)
      #expect(!SectionEvent.collusionSignsFound(findings: [], at: 0).isPublicRecord)
    }
    await f.platform.store.close()
    await s.store.close()
  }
}
