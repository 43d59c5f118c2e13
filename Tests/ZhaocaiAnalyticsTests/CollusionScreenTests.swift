import Testing
import ZhaocaiDomain

@testable import ZhaocaiAnalytics

/// The six signs of 条例40 among one section's bids, each caught with its evidence, and what
/// bids share innocently (the tender documents, a default author name, the proxy's address)
/// never reported.
@Suite struct CollusionScreenTests {
  static let tenderText = "第一章 招标公告 本项目招标人为示范中学，工程地点福州市，计划工期三百六十日历天，质量要求合格。"
  static let ownText = [
    "我公司针对本工程特点编制施工组织设计，基础采用旋挖灌注桩，主体结构采用铝合金模板体系，配备两台塔吊。",
    "本标段拟投入劳动力高峰期三百二十人，采用BIM技术进行管线综合排布，确保工期提前完成并创建省级安全文明工地。",
    "项目部设七个职能部门，质量目标为闽江杯，混凝土采用商品混凝土泵送浇筑，冬季施工采取综合蓄热法养护措施。",
    "钢结构屋面采用分段吊装累积滑移工艺，雨季排水设置三级沉淀池，绿色施工达到国家标准要求并接受第三方检测。",
    "施工总平面分三阶段布置，临时用电采用TN-S系统，深基坑采用钻孔灌注桩加内支撑，实时监测水平位移与沉降。",
  ]

  static func document(
    _ name: String, _ text: String, properties: [String: String] = [:],
    identifiers: [String: [String]] = [:], hash: String? = nil
  ) -> DocumentFacts {
    DocumentFacts(
      name: name, sha256: hash ?? "sha256:" + String(text.hashValue, radix: 16), format: .docx,
      text: text, properties: properties, identifiers: identifiers)
  }

  static func bid(_ index: Int, price: Int64, text: String? = nil) -> BidEvidence {
    BidEvidence(
      bidder: "B\(index)", bidderName: "示范第\(index)建设有限公司", priceFen: price,
      projectManagerID: "PM-\(index)", deviceFingerprint: "sha256:device\(index)",
      documents: [document("技术标\(index).docx", tenderText + (text ?? ownText[index]))],
      submissions: [.init(account: "bidder-\(index)", address: "203.0.113.\(index)", device: "")],
      bondAccount: "62220201000\(index)")
  }

  static let independent = [101_230_000, 98_760_000, 104_400_000, 99_870_000, 102_050_000]
    .enumerated().map { bid($0.offset, price: Int64($0.element)) }

  static func found(_ bids: [BidEvidence]) -> [CollusionFinding] {
    CollusionScreen.findings(
      bids, tenderDocuments: [document("招标文件.pdf", tenderText)], estimateFen: 110_000_000)
  }

  @Test func independentBidsQuotingTheTenderDocumentsShowNoSign() {
    #expect(Self.found(Self.independent) == [])
  }

  @Test func oneMachineAndOneDocumentIDAreOnePreparer() throws {
    var bids = Self.independent
    bids[1].deviceFingerprint = bids[0].deviceFingerprint
    bids[0].documents[0].identifiers = ["w:rsidRoot": ["00A1B2C3"], "w:rsid": ["00A1B2C3"]]
    bids[1].documents[0].identifiers = ["w:rsidRoot": ["00A1B2C3"], "w:rsid": ["00A1B2C3"]]
    bids[0].documents[0].properties = ["author": "王工", "lastModifiedBy": "Administrator"]
    bids[1].documents[0].properties = ["author": "王 工", "lastModifiedBy": "Administrator"]
    let finding = try #require(Self.found(bids).first)
    #expect(finding.sign == .samePreparer && finding.bidders == ["B0", "B1"])
    #expect(finding.strength == .strong)
    #expect(
      finding.evidence.map(\.field) == ["deviceFingerprint", "w:rsid", "w:rsidRoot", "author"])
    #expect(finding.evidence[2].files == ["B0/技术标0.docx", "B1/技术标1.docx"])
    #expect(finding.sign.rule.article == "条例40(1)")
  }

  @Test func aRareCreatingToolOnlyTwoBiddersUsedIsAWeakSign() throws {
    var bids = Self.independent
    for index in bids.indices {
      bids[index].documents[0].properties["application"] = "WPS Office 11.1.0.14309"
    }
    // Everyone's WPS is nothing; one unusual PDF printer build on two bidders' files is.
    bids[1].documents[0].properties["producer"] = "闽工PDF 2.3.7 (内部版)"
    bids[3].documents[0].properties["producer"] = "闽工PDF 2.3.7 (内部版)"
    let finding = try #require(Self.found(bids).first)
    #expect(finding.sign == .samePreparer && finding.bidders == ["B1", "B3"])
    #expect(finding.strength == .weak)
    #expect(finding.evidence.map(\.field) == ["creatingTool"])
    #expect(finding.evidence.first?.values == ["闽工PDF 2.3.7 (内部版)"])
    // A third bidder with the same tool makes it common: no sign.
    bids[4].documents[0].properties["producer"] = "闽工PDF 2.3.7 (内部版)"
    #expect(Self.found(bids).isEmpty)
  }

  @Test func aDefaultAuthorOrAnIDFromTheTenderTemplateIsNoSign() {
    var bids = Self.independent
    let template = ["w:rsidRoot": ["00FF0001"]]
    bids[0].documents[0].identifiers = template
    bids[1].documents[0].identifiers = template
    bids[0].documents[0].properties = ["author": "Administrator"]
    bids[1].documents[0].properties = ["author": "administrator"]
    let tender = Self.document("招标文件.docx", Self.tenderText, identifiers: template)
    #expect(CollusionScreen.findings(bids, tenderDocuments: [tender]) == [])
  }

  @Test func oneAddressOrDeviceIsOneAgentButTheProxyAddressIsNot() throws {
    var bids = Self.independent
    bids[2].submissions = [.init(account: "bidder-2", address: "198.51.100.9", device: "")]
    bids[3].submissions = [
      .init(account: "bidder-3", address: "127.0.0.1", device: "zc-device-7"),
      .init(account: "bidder-3", address: "198.51.100.9", device: ""),
    ]
    bids[4].submissions = [.init(account: "bidder-4", address: "127.0.0.1", device: "zc-device-7")]
    let found = Self.found(bids)
    #expect(found.map(\.sign) == [.sameAgent, .sameAgent])
    #expect(found[0].bidders == ["B2", "B3"] && found[0].strength == .moderate)
    #expect(found[0].evidence == [CollusionEvidence(field: "address", values: ["198.51.100.9"])])
    // B3 and B4 both came through the local proxy: only the device they share is a sign.
    #expect(found[1].bidders == ["B3", "B4"] && found[1].strength == .strong)
    #expect(found[1].evidence.map(\.field) == ["device"])
  }

  @Test func oneProjectManagerOrStaffMember() {
    var bids = Self.independent
    bids[3].projectManagerID = "闽1352019 01003"
    bids[4].projectManagerID = "闽135201901003"
    bids[0].keyStaff = ["SAFE-77"]
    bids[2].keyStaff = ["safe-77"]
    let found = Self.found(bids)
    #expect(found.map(\.bidders) == [["B0", "B2"], ["B3", "B4"]])
    #expect(found.map { $0.evidence[0].field } == ["keyStaff", "projectManagerID"])
    #expect(found.allSatisfy { $0.sign == .sameStaff && $0.strength == .strong })
  }

  @Test func copiedPassagesAreFoundWithThePassageButQuotesOfTheTenderAreNot() throws {
    var bids = Self.independent
    // B1 copies B0's first paragraph and adds one of its own.
    bids[1].documents[0].text = Self.tenderText + Self.ownText[0] + "另外，" + Self.ownText[1]
    let finding = try #require(Self.found(bids).first)
    #expect(finding.sign == .alikeDocuments && finding.bidders == ["B0", "B1"])
    #expect(finding.strength == .strong)
    #expect(finding.evidence[0].field == "sharedText" && finding.evidence[0].values[0] == "100%")
    let passage = try #require(finding.evidence[1].values.first)
    #expect(passage.contains("旋挖灌注桩") && !passage.contains("招标公告"))
    #expect(finding.evidence[1].files == ["B0/技术标0.docx"])
  }

  @Test func pricesInAnArithmeticProgressionWithTheirRatios() throws {
    var bids = Array(Self.independent.prefix(3))
    for (index, price) in [96_000_000, 97_000_000, 98_000_000].enumerated() {
      bids[index].priceFen = Int64(price)
    }
    let finding = try #require(Self.found(bids).first)
    #expect(finding.sign == .alikeDocuments && finding.bidders == ["B0", "B1", "B2"])
    #expect(finding.evidence[0].values[1] == "3家投标报价呈等差数列，公差¥10,000.00")
    #expect(finding.evidence[2].values == ["87.27%", "88.18%", "89.09%"])
  }

  @Test func anotherBiddersNameInAFileIsMixedDocuments() throws {
    var bids = Self.independent
    bids[4].documents[0].text += "投标人：\(bids[3].bidderName)（盖章）"
    bids[2].documents[0].properties = ["company": bids[0].bidderName]
    let found = Self.found(bids)
    #expect(found.map(\.sign) == [.mixedDocuments, .mixedDocuments])
    #expect(
      found[0].bidders == ["B0", "B2"] && found[0].evidence.map(\.field) == ["holder", "company"])
    #expect(found[0].evidence[0].values == ["B2"])
    #expect(found[1].bidders == ["B3", "B4"] && found[1].evidence[1].field == "text")
    #expect(found[1].evidence[1].values[1].hasSuffix("示范第3建设有限公司（盖章）"))
  }

  @Test func bondsFromOneAccount() throws {
    var bids = Self.independent
    bids[4].bondAccount = bids[1].bondAccount
    let finding = try #require(Self.found(bids).first)
    #expect(finding.sign == .sameBondAccount && finding.bidders == ["B1", "B4"])
    #expect(finding.evidence == [CollusionEvidence(field: "bondAccount", values: ["622202010001"])])
    #expect(finding.sign.rule.code == "RULE_COLLUSION_SAME_BOND_ACCOUNT")
  }
}
