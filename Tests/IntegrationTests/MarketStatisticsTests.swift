import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import PublicServiceHub
@testable import TradingPlatform

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// 市场统计 at the hub, from the public record a trading platform sends: as JSON by region,
/// industry and month, and as an SVG chart.
@Suite struct MarketStatisticsTests {
  /// Amounts at the ends of Int64 from two platforms' sections overflowed the hub's sums (a trap
  /// for every later reader; SQL's SUM failed too): they are kept within bounds and summed wide.
  @Test(arguments: Backend.available)
  func extremeAmountsNeitherTrapNorFailTheStatistics(backend: Backend) async throws {
    let h = try await HubFixture(backend: backend)
    try await h.store.transaction { database in
      for (platform, fen) in [
        ("trading.a", Int64.max), ("trading.b", Int64.max), ("trading.c", .min),
      ] {
        try await StatisticsRepository.published(
          platform: platform, section: "S1", project: "P", region: "350100", industry: "住建",
          month: "2026-11", estimateFen: fen, on: database)
      }
    }
    try await h.hub.application(port: 0).test(.live) { hubClient in
      let answer = try await hubClient.execute(uri: "/api/v1/statistics?by=region", method: .get)
      #expect(answer.status == .ok)
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any])
      let total = try #require(object["total"] as? [String: Any])
      #expect(total["estimateFen"] as? Int == 2_000_000_000_000_000)
      #expect(total["sections"] as? Int == 3)
    }
    await h.store.close()
  }

  @Test(arguments: Backend.available)
  func theHubCountsTendersSectionsBidsAndAmounts(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let h = try await HubFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 10 * 86_400)
      for bidder in PlatformFixture.bidders.prefix(3) {
        #expect(
          try await f.submit(try f.seal(bidder: bidder), bidder: bidder, with: client).status
            == .created)
      }
    }
    f.clock.set(PlatformFixture.deadline)
    try await OpeningScheduler(platform: f.platform).tick()
    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await h.register(with: hubClient)
      let relay = ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
      while try await relay.deliver() > 0 {}
      for (by, key) in [("region", "350100"), ("industry", "住建"), ("month", "2026-11")] {
        let answer = try await hubClient.execute(uri: "/api/v1/statistics?by=\(by)", method: .get)
        let object = try #require(
          try JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any])
        let groups = try #require(object["groups"] as? [[String: Any]])
        #expect(groups.count == 1)
        #expect(groups.first?["key"] as? String == key)
        #expect(groups.first?["tenders"] as? Int == 1)
        #expect(groups.first?["sections"] as? Int == 1)
        #expect(groups.first?["bids"] as? Int == 3)
        #expect(groups.first?["bidsPerSection"] as? Double == 3)
        #expect(groups.first?["estimateFen"] as? Int == 5_000_000_000)
        #expect(groups.first?["contracts"] as? Int == 0)
      }
      let chart = try await hubClient.execute(
        uri: "/api/v1/statistics/chart.svg?by=region&measure=bidsPerSection", method: .get)
      #expect(chart.headers[.contentType] == "image/svg+xml")
      let svg = String(buffer: chart.body)
      let bars = try SVGSummary(svg)
      #expect(bars.title == "平均每标段投标数（按地区）")
      #expect(bars.bars == 1)
      // Regions by name (GB/T 2260), as a reader of the chart knows them.
      #expect(bars.texts.contains("福州市") && bars.texts.contains("3.0"))
      let refused = try await hubClient.execute(
        uri: "/api/v1/statistics?by=bidder", method: .get)
      #expect(refused.status == .badRequest)
    }
    await f.platform.store.close()
    await h.store.close()
  }
}

/// What an SVG chart shows, read with an XML parser (so the document must be well formed).
struct SVGSummary {
  var title = ""
  var bars = 0
  var texts: [String] = []

  init(_ svg: String) throws {
    let parser = XMLParser(data: Data(svg.utf8))
    let reader = Reader()
    parser.delegate = reader
    guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
    title = reader.title
    bars = reader.bars
    texts = reader.texts
  }

  final class Reader: NSObject, XMLParserDelegate {
    var title = ""
    var bars = 0
    var texts: [String] = []
    var path: [String] = []
    var text = ""

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      path.append(name)
      text = ""
      if name == "rect", attributes["class"] == "bar" { bars += 1 }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
      qualifiedName: String?
    ) {
      if name == "title", path.count == 2 { title = text }
      if name == "text" { texts.append(text) }
      path.removeLast()
    }
  }
}
