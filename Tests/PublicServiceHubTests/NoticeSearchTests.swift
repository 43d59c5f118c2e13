import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import PublicServiceHub

/// Notices from every platform are found at the hub by Chinese words inside their titles and
/// bodies, and narrowed by region, industry, kind, platform and date — on both databases.
@Suite struct NoticeSearchTests {
  static let notices: [(String, NoticeKind, String, String, String, String, Int64)] = [
    ("S1", .tenderNotice, "示范中学迁建工程教学楼招标公告", "新建教学楼及附属道路", "350102", "住建", 1_793_581_200),
    ("S2", .tenderNotice, "闽江大桥维修加固工程招标公告", "桥梁加固，含引桥道路改造", "350100", "交通", 1_793_667_600),
    ("S1", .resultNotice, "示范中学迁建工程中标结果公告", "中标人：海峡示范建设发展有限公司", "350102", "住建", 1_796_000_000),
    ("W1", .tenderNotice, "九龙江水闸除险加固招标公告", "水闸主体及启闭机房", "350600", "水利", 1_793_700_000),
  ]

  @Test(arguments: Backend.available)
  func chineseWordsAndFiltersFindTheirNotices(backend: Backend) async throws {
    let store = try await backend.open(.hub)
    let hub = try PublicServiceHub(
      store: store, administratorToken: "t", clock: ManualClock(1_796_000_100))
    let keys = ["trading.fz": Curve25519.Signing.PrivateKey(), "trading.zz": .init()]
    try await store.transaction { database in
      for (id, key) in keys {
        try await HubRepository.apply(
          .init(
            id: id, name: id, operatorName: "运营方", endpoint: "http://\(id).example/api/v1",
            publicKey: key.publicKey.rawRepresentation.base64EncodedString(), status: .pending),
          at: 0, on: database)
        try await HubRepository.decide(id, approve: true, at: 0, on: database)
      }
    }
    var sequences: [String: UInt64] = [:]
    var batch: [SignedMessage] = []
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for (section, kind, title, body, region, industry, at) in Self.notices {
      let platform = section == "W1" ? "trading.zz" : "trading.fz"
      let sequence = (sequences[platform] ?? 0) + 1
      sequences[platform] = sequence
      let notice = LoggedNotice(
        section: section, at: at,
        notice: Notice(kind: kind, sectionID: section, title: title, body: body),
        region: region, industry: industry, by: nil)
      batch.append(
        try SignedMessage.sign(
          ExchangeMessage(
            sender: platform, recipient: ExchangeMessage.hub, sequence: sequence,
            kind: "notice.published", sentAt: at,
            payload: String(decoding: try encoder.encode(notice), as: UTF8.self)),
          with: keys[platform]!))
    }
    let messages = batch
    try await hub.application(port: 0).test(.live) { client in
      let sent = try await client.execute(
        uri: "/api/v1/exchange/messages", method: .post,
        headers: [.contentType: "application/json"],
        body: ByteBuffer(bytes: try JSONEncoder().encode(messages)))
      #expect(sent.status == .ok)
      func titles(_ query: String) async throws -> [String] {
        let response = try await client.execute(uri: "/api/v1/notices?" + query, method: .get)
        let list = try #require(
          try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
        return list.compactMap { $0["title"] as? String }
      }
      func q(_ words: String) -> String {
        "q=" + words.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
      }
      #expect(try await titles(q("教学楼")) == ["示范中学迁建工程教学楼招标公告"])
      #expect(try await titles(q("加固")).count == 2)  // two characters: inside titles and bodies
      #expect(try await titles(q("道路")).count == 2)  // inside bodies only
      #expect(try await titles(q("迁建工程")).count == 2)
      #expect(try await titles(q("启闭机")) == ["九龙江水闸除险加固招标公告"])
      #expect(try await titles(q("地铁")).isEmpty)
      #expect(try await titles(q("%")).isEmpty)  // wildcards are words, not patterns
      #expect(try await titles("region=3501").count == 3)
      #expect(try await titles("region=350102&kind=resultNotice") == ["示范中学迁建工程中标结果公告"])
      #expect(try await titles("industry=%E4%BA%A4%E9%80%9A") == ["闽江大桥维修加固工程招标公告"])
      #expect(try await titles("platform=trading.zz") == ["九龙江水闸除险加固招标公告"])
      #expect(
        try await titles("from=2026-11-03T00:00:00Z&to=2026-11-30T00:00:00Z")
          == ["九龙江水闸除险加固招标公告", "闽江大桥维修加固工程招标公告"])
      // A NUL or a bidi override in a search word is refused by name, not passed to the index
      // (which once answered a NUL with a 500).
      for word in ["%C3%AD%00.%C3%8E", "abc%E2%80%AEdef", "%1B%5B31m"] {
        let refused = try await client.execute(uri: "/api/v1/notices?q=" + word, method: .get)
        #expect(refused.status == .badRequest)
        let problem = try JSONSerialization.jsonObject(with: Data(buffer: refused.body))
        #expect((problem as? [String: Any])?["code"] as? String == "TEXT_FORBIDDEN_CHARACTER")
        #expect(String(buffer: refused.body).contains("query parameter q"))
      }
      let linked = try await client.execute(uri: "/api/v1/notices?" + q("水闸"), method: .get)
      let first =
        try JSONSerialization.jsonObject(with: Data(buffer: linked.body)) as? [[String: Any]]
      #expect(
        first?.first?["link"] as? String == "http://trading.zz.example/api/v1/sections/W1/notices")
      // As written, too: a reader of the raw JSON sees the link, not `http:\/\/…`.
      #expect(
        String(buffer: linked.body).contains(
          #""link" : "http://trading.zz.example/api/v1/sections/W1/notices""#))
    }
    await store.close()
  }
}
