import Foundation
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange

/// The supervision platform's part of the demo: a complaint that suspends a process and is
/// ruled on, an order to correct, and a violation record whose ban the other trading platform
/// enforces (一处受罚、处处受限).
extension DemoRun {
  /// A supervisor's client on the supervision platform.
  func supervisor(_ id: String) async throws -> PlatformClient {
    try await PlatformClient(base: network.supervisionBase).signedIn(
      as: id, password: DemoCast.password)
  }

  /// `alias` complains about `section`'s documents after its objection was answered; the city's
  /// department accepts and suspends the process, then rules and resumes it.
  mutating func complaint(
    by alias: String, about section: DemoSection, objectionRaisedAt: Int64,
    objectionAnsweredAt: Int64
  ) async throws {
    try await network.exchange()
    let party = try requireParty(alias)
    let statement = Data(
      JSONText.bytes([
        "platform": .string(network.members[section.member].id), "section": .string(section.id),
        "matter": "documents",
        "facts": "招标文件设置的业绩要求明显高于项目实际需要，异议答复未予纠正，排斥潜在投标人（条例32）",
        "knewAt": .integer(objectionAnsweredAt), "objectionRaisedAt": .integer(objectionRaisedAt),
        "objectionAnsweredAt": .integer(objectionAnsweredAt),
      ]))
    let signature = try party.key.signature(
      for: Array("zhaocai-complaint v1\n".utf8) + Array(statement))
    let filed =
      try await PlatformClient(base: network.supervisionBase).json(
        "POST", "/complaints",
        [
          "statement": .string(statement.base64EncodedString()),
          "certificate": .string(party.certificate),
          "signature": .string(Data(signature).base64EncodedString()),
        ])
    let id = filed["id"]?.string ?? ""
    step(
      section.id, "投诉 complaint filed with the supervision platform",
      "\(party.account.name)凭数字证书在线投诉（异议已答复，条例60）；受理期限 \(filed["acceptanceDue"] ?? "")")
    clock.advance(seconds: 86_400)
    let city = try await supervisor("fz-zj-1")
    let accepted =
      try await city.json(
        "POST", "/complaints/\(id)/decision", ["accept": true, "suspendProcess": true])
    let view =
      try await signedIn(as: section.tenderer, on: section.member).json(
        "GET", "/sections/\(section.id)")
    step(
      section.id, "受理投诉并暂停 complaint accepted, process suspended",
      "福州市城乡建设局受理，处理期限 \(accepted["rulingDue"] ?? "")；监督指令 \(view["suspendingOrder"] ?? "") 已由交易平台执行并签名回执"
    )
    clock.advance(seconds: 86_400)
    _ = try await supervisor("fz-zj-1").json(
      "POST", "/complaints/\(id)/ruling",
      ["ruling": "经查，业绩要求与项目规模相适应，投诉事项缺乏事实依据，驳回投诉（条例61）。"])
    let resumed =
      try await signedIn(as: section.tenderer, on: section.member).json(
        "GET", "/sections/\(section.id)")
    step(
      section.id, "投诉处理决定公开 ruling published, process resumed",
      "驳回投诉；恢复指令已执行（暂停：\(resumed["suspendingOrder"] == nil ? "无" : "仍在")）")
  }

  /// An order to correct, which changes no state and is acknowledged.
  mutating func correctionOrder(on section: DemoSection) async throws {
    let order =
      try await supervisor("fz-zj-1").json(
        "POST", "/orders",
        [
          "platform": .string(network.members[section.member].id),
          "section": .string(section.id), "kind": "correct",
          "reason": "责令改正：招标公告未载明投诉受理部门及联系方式",
        ])
    step(
      section.id, "监督指令 supervision order (correct)",
      "\(order["id"] ?? "")：交易平台回执 \(order["status"] ?? "")")
  }

  /// The province's department records a violation with a ban on `alias`; the hub publishes it
  /// and the other trading platform refuses the party's bid on `elsewhere`.
  mutating func ban(
    _ alias: String, in process: DemoSection, bidding elsewhere: DemoSection, envelope: Data
  ) async throws {
    let party = try requireParty(alias)
    let code = party.account.creditCode
    let decided =
      try await supervisor("fj-zj-1").json(
        "POST", "/violations",
        [
          "platform": .string(network.members[process.member].id),
          "section": .string(process.id), "party": .string(code),
          "description": "在其他项目投标中提供虚假业绩证明材料，弄虚作假骗取中标", "article": "法54",
          "points": 30, "banDays": 365,
        ])
    step(
      nil, "不良行为记录与市场禁入 violation record and ban",
      "\(party.account.name)：扣 30 分（信用分 \(decided["creditScore"] ?? "")），禁入一年，经公共服务平台公告")
    try await network.exchange()
    do {
      _ = try await signedIn(as: alias, on: elsewhere.member).upload(
        "PUT", "/sections/\(elsewhere.id)/bids/\(code)", envelope)
    } catch let refused as CommandFailure {
      step(
        elsewhere.id, "被禁入投标人投标被拒 the banned bidder is refused on the other platform",
        "\(network.members[elsewhere.member].name)：\(refused.english)（一处受罚、处处受限）")
      return
    }
    throw failure("a banned party's bid was accepted on \(elsewhere.id)")
  }

  /// The alerts and filings the province's department sees across both cities.
  mutating func alerts() async throws {
    try await network.exchange()
    let filings =
      try await supervisor("fj-zj-1").json("GET", "/filings").array ?? []
    let acknowledged =
      try await signedIn(as: "tenderer").json("GET", "/sections/FZ-2026-018-1/filings").array
      ?? []
    step(
      nil, "书面报告备案 written reports filed and acknowledged",
      "行政监督平台收到 \(filings.filter { $0["kind"]?.string == "writtenReport" }.count) 份书面报告（法47）并签名回执；交易平台已存回执 \(acknowledged.count) 份（FZ-2026-018-1）"
    )
    let alerts =
      try await supervisor("fj-zj-1").json("GET", "/alerts").array ?? []
    let processes =
      try await supervisor("fj-zj-1").json("GET", "/processes").array ?? []
    step(
      nil, "行政监督平台 live tracking and alerts",
      "福建省住建厅跟踪 \(processes.count) 个交易过程；规则预警 \(alerts.count) 条"
        + alerts.prefix(3).map { "；\($0["code"] ?? "")（\($0["article"] ?? "")）" }.joined())
    // The co-bidding network over the province's opened processes, kept as a picture.
    let network = try await supervisor("fj-zj-1").json("GET", "/networks")
    try writeFile(
      Data((network["svg"]?.string ?? "").utf8), to: directory + "/co-bidding-network.svg",
      mode: 0o644)
    let groups = network["groups"]?.array ?? []
    var detail = "\(network["processes"]?.integer ?? 0) 个已开标过程，\(groups.count) 个共同投标群组"
    for group in groups {
      let codes: [String] = (group["bidders"]?.array ?? []).compactMap(\.string)
      let members: [String] = codes.map { code in
        DemoCast.bidderCodes.firstIndex(of: code).map { DemoCast.bidderNames[$0] } ?? code
      }
      detail += "；" + members.joined(separator: "、")
      if group["rotates"] == .bool(true) { detail += "（轮流中标）" }
    }
    let covers = network["coverBidders"]?.array?.count ?? 0
    step(nil, "投标关系网络 co-bidding network", detail + "；陪标嫌疑 \(covers) 家")
    // Cardinal's red flags over the hub's open data, published to everyone.
    let flags = try await PlatformClient(base: self.network.hubBase).json("GET", "/red-flags")
    let processFlags: [JSONValue] = (flags["processes"]?.array ?? []).flatMap {
      $0["flags"]?.array ?? []
    }
    let partyFlags: [JSONValue] = (flags["parties"]?.array ?? []).flatMap {
      $0["flags"]?.array ?? []
    }
    let raised = processFlags + partyFlags
    let codes: [String] = Set(raised.compactMap { $0["code"]?.string }).sorted()
    let processCount = flags["processCount"]?.integer ?? 0
    let flagged = flags["flaggedProcessCount"]?.integer ?? 0
    var said = "公共服务平台开放数据 \(processCount) 个项目，\(flagged) 个项目有预警，共 \(raised.count) 项"
    if !codes.isEmpty { said += "（" + codes.joined(separator: "、") + "）" }
    step(nil, "风险预警指标 red flags", said)
  }

  private func requireParty(_ alias: String) throws -> (
    account: Account, key: SigningKey, certificate: String
  ) {
    guard let party = parties[alias] else { throw failure("no party \(alias)") }
    return party
  }

  private func failure(_ why: String) -> CommandFailure {
    CommandFailure(english: why, chinese: "演示失败：\(why)", code: ExitStatus.refused)
  }
}
