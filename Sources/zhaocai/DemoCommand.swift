import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import Logging
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// `zhaocai demo`: a realistic tender driven through the trading platform's HTTP API, from the
/// notice to the archive, on a platform of its own whose clock the demo moves forward.
struct Demo: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a whole tender (one project, 2 sections, 6 bidders, 7 experts) over HTTP.",
    discussion: """
      Starts a trading platform on loopback with a fresh SQLite database and a clock the demo \
      moves, then acts as every party through the HTTP API: bidders seal with `zhaocai bid seal`, \
      key holders release with `zhaocai holder release`. Prints each step and the final state.

      """ + ExitStatus.demoHelp)

  @Flag(help: "Print the steps and the final state as JSON.") var json = false
  @Option(help: "Keep the platform's data (database, blobs, keys, archives) in this directory.")
  var keep: String?

  func run() async throws {
    let directory =
      keep
      ?? FileManager.default.temporaryDirectory.appendingPathComponent(
        "zhaocai-demo-run-\(getpid())"
      ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
    let clock = ManualClock(LegalDate("2026-11-02")!.startInstant + 9 * 3600)
    var quiet = Logger(label: "zhaocai.demo")
    quiet.logLevel = .critical
    let network = try await LocalNetwork.start(
      directory: directory, clock: clock, hubPort: 0, supervisionPort: 0, ports: [0, 0],
      passwordCost: 10,
      logger: quiet, jobs: false, signals: true)
    var run = DemoRun(directory: directory, clock: clock, network: network, json: json)
    do {
      try await run.tender()
    } catch {
      run.report.fail(error)
      await network.stop()
      throw ExitStatus.fail(error)
    }
    run.report.finish(json: json)
    await network.stop()
  }
}

/// The steps printed as they happen, and kept for `--json`.
struct DemoReport {
  struct Step: Encodable {
    let at: String
    let section: String?
    let step: String
    let detail: String
  }

  var steps: [Step] = []
  var final: [String: [String: String]] = [:]
  let json: Bool

  mutating func add(_ at: Int64, _ section: String?, _ step: String, _ detail: String = "") {
    let entry = Step(at: Notice.legalTime(at), section: section, step: step, detail: detail)
    steps.append(entry)
    if !json {
      print(
        "\(entry.at)  \(section.map { "[\($0)] " } ?? "")\(step)\(detail.isEmpty ? "" : " — " + detail)"
      )
    }
  }

  func fail(_ error: any Error) {
    if !json {
      let reason = (error as? CommandFailure)?.english ?? "\(error)"
      print("demo stopped after the last step above: \(reason)")
    }
  }

  func finish(json: Bool) {
    if json {
      struct Output: Encodable {
        let steps: [Step]
        let final: [String: [String: String]]
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      if let data = try? encoder.encode(Output(steps: steps, final: final)) {
        print(String(decoding: data, as: UTF8.self))
      }
    } else {
      print("\n最终状态 final state")
      for (section, facts) in final.sorted(by: { $0.key < $1.key }) {
        print(
          "  \(section): "
            + facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: "  "))
      }
    }
  }
}

/// One demo run: the cast, their clients, and the tenders' steps on both trading platforms.
struct DemoRun {
  let directory: String
  let clock: ManualClock
  let network: LocalNetwork
  var report: DemoReport
  private var sessions: [String: (client: PlatformClient, expiresAt: Int64)] = [:]
  private var bidderKeys: [String] = []
  /// Parties registered at the hub, by alias: their account, key and certificate.
  var parties: [String: (account: Account, key: SigningKey, certificate: String)] = [:]
  /// Each platform's key holders.
  private var holders: [[(name: String, keys: PrivateKeyFile)]] = []

  init(directory: String, clock: ManualClock, network: LocalNetwork, json: Bool) {
    self.directory = directory
    self.clock = clock
    self.network = network
    report = DemoReport(json: json)
  }

  /// A section of the demo: where it runs, who tenders it, who bids what.
  struct DemoSection {
    let id: String
    let name: String
    let estimateYuan: Int64
    let method: String
    /// Index of the trading platform in `LocalNetwork.members`.
    let member: Int
    let tenderer: String
    let project: String
    let region: String
    /// Bidders (index in the cast) and their prices in yuan.
    let prices: [(bidder: Int, yuan: Int64)]
    /// The bidder whose tool sealed a scan instead of a bid bundle (it will not open).
    var broken: Int? = nil
    /// The bidder whose price the committee rejects as below cost (条例51).
    var rejected: Int? = nil
  }

  static let sections = [
    DemoSection(
      id: "FZ-2026-018-1", name: "示范中学迁建工程 第1标段（教学楼）", estimateYuan: 52_000_000,
      method: "comprehensiveScoring", member: 0, tenderer: "tenderer", project: "示范中学迁建工程",
      region: "350100",
      prices: [
        (0, 49_800_000), (1, 48_900_000), (2, 50_500_000), (3, 47_600_000), (4, 42_000_000),
        (5, 49_000_000),
      ], broken: 5, rejected: 4),
    DemoSection(
      id: "FZ-2026-018-2", name: "示范中学迁建工程 第2标段（室外配套）", estimateYuan: 8_600_000,
      method: "lowestEvaluatedPrice", member: 0, tenderer: "tenderer", project: "示范中学迁建工程",
      region: "350100", prices: [(0, 8_350_000), (1, 8_120_000), (2, 8_480_000), (3, 8_350_000)]),
    DemoSection(
      id: "XM-2026-031-1", name: "示范大道快速路改造工程 第1标段（高架桥）", estimateYuan: 31_500_000,
      method: "lowestEvaluatedPrice", member: 1, tenderer: "tenderer-xm", project: "示范大道快速路改造工程",
      region: "350200",
      prices: [(1, 30_650_000), (2, 30_980_000), (3, 31_200_000), (5, 30_400_000)]),
  ]

  /// A client on `member`'s platform signed in as `alias` (a party by its certificate, anyone
  /// else by password), signing in again when the demo's clock passed its expiry.
  mutating func signedIn(as alias: String, on member: Int = 0) async throws -> PlatformClient {
    let key = "\(member)/\(alias)"
    if let session = sessions[key], session.expiresAt > clock.now() + 60 {
      return session.client
    }
    let anonymous = PlatformClient(base: network.members[member].base)
    let client =
      if let party = parties[alias] {
        try await anonymous.signedIn(
          certificate: party.certificate, key: party.key, role: party.account.role)
      } else {
        try await anonymous.signedIn(as: alias, password: DemoCast.password)
      }
    sessions[key] = (client, clock.now() + network.members[member].platform.sessionSeconds)
    return client
  }

  mutating func step(_ section: String?, _ step: String, _ detail: String = "") {
    report.add(clock.now(), section, step, detail)
  }

  mutating func tender() async throws {
    for member in network.members {
      report.final[member.id] = [
        "name": member.name, "operator": member.operatorName, "api": member.base,
        "logVerifierKey": member.platform.logSigner.verifier.verifierKey,
      ]
    }
    try await registerCast()
    let sections = Self.sections
    let s1 = sections[0]

    // Sections, documents and notices, on both platforms.
    let issued = clock.now()
    let saleEnds = LegalDate(instant: issued).adding(days: 7).startInstant + 17 * 3600
    var deadline = LegalDate(instant: issued).adding(days: 25).startInstant + 9 * 3600 + 1800
    for section in sections {
      let tenderer = try await signedIn(as: section.tenderer, on: section.member)
      try await tenderer.json(
        "POST", "/sections",
        [
          "sectionID": .string(section.id), "name": .string(section.name),
          "estimateFen": .integer(section.estimateYuan * 100),
          "bidBondFen": .integer(section.estimateYuan * 100 / 50), "procedure": "open",
          "evaluationMethod": .string(section.method), "industry": "住建",
          "region": .string(section.region), "stateFunded": true,
          "project": .string(section.project),
          "criteria": [["name": "技术", "maxPoints": 8_000], ["name": "商务", "maxPoints": 3_000]],
        ])
      try await tenderer.upload(
        "PUT", "/sections/\(section.id)/documents/tender-documents.pdf",
        Data("\(section.name) 招标文件 第一版".utf8))
      try await tenderer.json(
        "POST", "/sections/\(section.id)/publication",
        [
          "documentsIssuedAt": .string(isoDate(issued)), "saleEndsAt": .string(isoDate(saleEnds)),
          "bidDeadline": .string(isoDate(deadline)),
          "keyHolders": .array(
            DemoCast.noticeHolders(holders[section.member]).map {
              [
                "name": .string($0.name), "suite": .string($0.suite),
                "sealingKey": .string($0.sealingKey),
              ]
            }), "threshold": 2,
        ])
      step(
        section.id, "招标公告发布 tender notice published",
        "\(network.members[section.member].name)；估算价 ¥\(section.estimateYuan)，投标截止 \(Notice.legalTime(deadline))"
      )
    }

    // Downloads (registered) and bid bonds, by bidders registered once at the hub.
    clock.advance(seconds: 86_400)
    for section in sections {
      for (i, _) in section.prices {
        let code = DemoCast.bidderCodes[i]
        let bidder = try await signedIn(as: "bidder\(i + 1)", on: section.member)
        _ = try await bidder.download("/sections/\(section.id)/documents/versions/1")
        try await bidder.json(
          "PUT", "/sections/\(section.id)/bonds/\(code)",
          [
            "amountFen": .integer(section.estimateYuan * 100 / 50),
            "payingAccount": .string(
              DemoSigns.bondAccount(section: section.id, bidder: i, member: section.member)),
          ])
      }
    }
    step(
      nil,
      "投标人凭数字证书登录两个交易平台，下载招标文件并缴纳投标保证金 bidders signed in with their certificates on both platforms, downloaded and paid bonds",
      "一地注册、全网通用；下载登记已记录")

    // An objection to the documents, answered within 3 days.
    clock.set(LegalDate(instant: issued).adding(days: 10).startInstant + 10 * 3600)
    let objected = clock.now()
    try await signedIn(as: "bidder3").json("PUT", "/sections/\(s1.id)/objections/DOC-OBJ-1")
    step(s1.id, "投标人对招标文件提出异议 objection to the documents", "DOC-OBJ-1，暂停至答复")
    clock.advance(seconds: 86_400)
    try await signedIn(as: "tenderer").json(
      "POST", "/sections/\(s1.id)/objections/DOC-OBJ-1/answer")
    step(s1.id, "招标人答复异议 objection answered", "在3日内")

    // Not satisfied with the answer, the bidder complains to the supervision platform.
    try await complaint(
      by: "bidder3", about: s1, objectionRaisedAt: objected, objectionAnsweredAt: clock.now())
    try await correctionOrder(on: sections[1])

    // A clarification 11 days before the deadline: the deadline moves (法23, 条例21).
    clock.set(LegalDate(instant: deadline).adding(days: -11).startInstant + 10 * 3600)
    for section in sections {
      let tenderer = try await signedIn(as: section.tenderer, on: section.member)
      let version =
        try await tenderer.upload(
          "PUT", "/sections/\(section.id)/documents/tender-documents.pdf",
          Data("\(section.name) 招标文件 第二版（澄清：工程量清单更正）".utf8))
      let notified = version["notified"]?.integer ?? 0
      let view = try await tenderer.json("GET", "/sections/\(section.id)")
      let moved = view["schedule"]?["bidDeadline"]?.string ?? ""
      step(
        section.id, "澄清与修改 clarification issued late: deadline moved",
        "新截止时间 \(moved)，已通知 \(notified) 家下载人")
    }
    deadline = LegalDate(instant: clock.now()).adding(days: 15).startInstant + 9 * 3600 + 1800

    // Sealed bids, made with the real command.
    clock.set(LegalDate(instant: deadline).adding(days: -3).startInstant + 15 * 3600)
    for section in sections {
      for (i, yuan) in section.prices {
        let code = DemoCast.bidderCodes[i]
        let envelope = try await seal(
          section: section.id, bidder: i, price: yuan, deadline: deadline,
          holders: holders[section.member], in: network.members[section.member].directory,
          broken: section.broken == i)
        let receipt =
          try await signedIn(as: "bidder\(i + 1)", on: section.member).upload(
            "PUT", "/sections/\(section.id)/bids/\(code)", envelope,
            headers: DemoSigns.uploadHeaders(section: section.id, bidder: i))
        step(
          section.id, "递交加密投标文件 sealed bid received",
          "\(DemoCast.bidderNames[i])，回执日志序号 \(receipt["index"]?.integer ?? -1)")
      }
    }

    // A department bans a bidder of Fuzhou's tender; Xiamen's platform refuses its bid.
    let xiamen = sections[2]
    try await ban(
      "bidder5", in: s1, bidding: xiamen,
      envelope: try await seal(
        section: xiamen.id, bidder: 4, price: 30_100_000, deadline: deadline,
        holders: holders[xiamen.member], in: network.members[xiamen.member].directory,
        broken: false))

    // The deadline: bidding closes, holders release with the real command, the opening.
    clock.set(deadline)
    for member in network.members { try await OpeningScheduler(platform: member.platform).tick() }
    step(nil, "投标截止 bidding closed", "开标 opening")
    // The supervision platform holds one share of each section and releases it itself, only
    // now that the opening time has come.
    try await network.exchange()
    let released = await network.supervision.releaseDueShares()
    step(
      nil, "行政监督平台释放密钥份额 the supervision platform releases its shares",
      "\(released) 个标段，开标时间已到（办法28），已记录并经公共服务平台公开")
    for section in sections {
      let member = network.members[section.member]
      for holder in ["platform"] {
        try await runZhaocai(
          [
            "holder", "release", "--platform", member.base, "--section", section.id, "--name",
            holder, "--key", member.directory + "/holder-\(holder).key",
          ], environment: ["ZHAOCAI_PASSWORD": DemoCast.password])
      }
      step(section.id, "密钥持有人释放份额 key shares released", "platform, supervisor（2/3）")
      let record =
        try await signedIn(as: section.tenderer, on: section.member).json(
          "POST", "/sections/\(section.id)/opening"
        ).array ?? []
      for entry in record {
        let bidder = entry["bidder"]?.string ?? ""
        if let price = entry["priceFen"]?.integer {
          step(section.id, "开标记录 opening record", "\(name(bidder)) 报价 ¥\(price / 100)")
        } else {
          step(
            section.id, "无法解密 bid could not be opened",
            "\(name(bidder))：视为\(entry["outcome"]?.string == "revoked" ? "撤销 revoked" : "撤回 withdrawn")（办法31）"
          )
        }
      }
      for (i, code) in DemoCast.bidderCodes.enumerated()
      where record.contains(where: { $0["bidder"]?.string == code && $0["priceFen"] != nil }) {
        try await signedIn(as: "bidder\(i + 1)", on: section.member).json(
          "PUT", "/sections/\(section.id)/opening/confirmations/\(code)")
      }
      let signs =
        try await signedIn(as: "admin", on: section.member).json(
          "GET", "/sections/\(section.id)/collusion-signs"
        ).array ?? []
      step(
        section.id, "串通投标迹象 collusion signs found at the opening (条例40)",
        signs.isEmpty
          ? "未发现"
          : signs.map { sign in
            let bidders = (sign["bidders"]?.array ?? []).compactMap(\.string).map(name)
            return "\(sign["article"]?.string ?? "") \(bidders.joined(separator: "、"))"
          }.joined(separator: "；"))
      try await signedIn(as: section.tenderer, on: section.member).json(
        "POST", "/sections/\(section.id)/opening/close")
      step(section.id, "开标结束 opening closed", "投标人已确认开标记录")
    }

    // Evaluation: committees drawn from the pool with recusal, marks made alone.
    clock.advance(seconds: 3600)
    for section in sections {
      try await signedIn(as: section.tenderer, on: section.member).json(
        "POST", "/sections/\(section.id)/committee",
        [
          "experts": 4, "speciality": "房屋建筑",
          // A party's account on a trading platform is named by its role and credit code.
          "representatives": [.string("tenderer-\(parties[section.tenderer]!.account.creditCode)")],
        ])
      var members: [String] = []
      for expert in DemoCast.experts {
        let inbox =
          try await signedIn(as: expert.id, on: section.member).json("GET", "/notifications")
          .array ?? []
        if inbox.contains(where: { $0["section"]?.string == section.id }) {
          members.append(expert.id)
        }
      }
      step(
        section.id, "抽取评标专家 committee drawn",
        "公共服务平台共享专家库随机抽取4名专家（种子来自其检查点，可复核）+ 招标人代表；与投标人有关的专家回避；名单保密至结果公告")
      members.append(section.tenderer)
      let opened = section.prices.map { DemoCast.bidderCodes[$0.bidder] }.filter {
        section.broken.map { DemoCast.bidderCodes[$0] } != $0
      }
      // The members check in (条例46), elect the first of them to lead, and conclude the
      // qualification and preliminary reviews.
      for member in members {
        try await signedIn(as: member, on: section.member).json(
          "POST", "/sections/\(section.id)/evaluation/check-in")
      }
      for member in members.prefix(members.count / 2 + 1) {
        try await signedIn(as: member, on: section.member).json(
          "PUT", "/sections/\(section.id)/evaluation/leader-vote",
          ["candidate": .string(members[0])])
      }
      step(section.id, "签到并推举负责人 check-in, leader elected", "\(members.count) 人签到")
      for stage in ["qualification", "preliminary"] {
        for member in members {
          try await signedIn(as: member, on: section.member).json(
            "PUT", "/sections/\(section.id)/evaluation/stages/\(stage)/conclusion")
        }
      }
      step(section.id, "资格评审、初步评审 qualification, preliminary review", "完成")
      for (m, member) in members.enumerated() {
        var sheet = JSONObject()
        if section.method == "comprehensiveScoring" {
          sheet["points"] = .object(
            JSONObject(
              members: opened.enumerated().map { k, code in
                .init(
                  key: code,
                  value: [
                    "技术": .integer(Int64(5_000 + 500 * ((k + m) % 3) + 300 * k)),
                    "商务": .integer(Int64(2_000 + 100 * k)),
                  ])
              }))
        } else {
          sheet["priceAdjustmentsFen"] = .object(
            JSONObject(
              members: opened.enumerated().map { k, code in
                .init(key: code, value: .integer(Int64((k * 37 + m) * 1_000)))
              }))
        }
        try await signedIn(as: member, on: section.member).json(
          "PUT", "/sections/\(section.id)/evaluation/scores", .object(sheet))
      }
      if let rejected = section.rejected {
        // In the price review three of five flag the price far below the others as below
        // cost (条例51).
        for member in members.prefix(3) {
          try await signedIn(as: member, on: section.member).json(
            "PUT",
            "/sections/\(section.id)/evaluation/rejections/\(DemoCast.bidderCodes[rejected])",
            ["ground": "priceBelowCostOrAboveCeiling"])
        }
        step(
          section.id, "否决投标 bid rejected", "\(DemoCast.bidderNames[rejected])：报价低于成本（条例51）")
      }
      for member in members {
        try await signedIn(as: member, on: section.member).json(
          "PUT", "/sections/\(section.id)/evaluation/stages/price/conclusion")
      }
      let reported =
        try await signedIn(as: members[0], on: section.member).json(
          "POST", "/sections/\(section.id)/evaluation/report", ["candidates": 3])
      let candidates = reported["evaluation"]?["candidates"]?.array?.compactMap(\.string) ?? []
      step(
        section.id, "评标报告 evaluation report",
        "推荐中标候选人：" + candidates.map(name).joined(separator: "、"))
    }

    // Publicity of 3 days; an objection to the candidates on the first section.
    clock.advance(seconds: 86_400)
    let publicityStart = clock.now()
    let publicityEnd = LegalDate(instant: publicityStart).adding(days: 3).startInstant + 18 * 3600
    for section in sections {
      try await signedIn(as: section.tenderer, on: section.member).json(
        "POST", "/sections/\(section.id)/publicity",
        ["start": .string(isoDate(publicityStart)), "end": .string(isoDate(publicityEnd))])
      step(section.id, "中标候选人公示 candidate publicity", "至 \(Notice.legalTime(publicityEnd))")
    }
    clock.advance(seconds: 86_400)
    try await signedIn(as: "bidder2").json(
      "PUT", "/sections/\(s1.id)/publicity/objections/PUB-OBJ-1")
    step(s1.id, "对中标候选人提出异议 objection to the candidates", "定标暂停至答复")
    clock.advance(seconds: 86_400)
    try await signedIn(as: "tenderer").json(
      "POST", "/sections/\(s1.id)/objections/PUB-OBJ-1/answer")
    step(s1.id, "招标人答复异议 objection answered", "")

    // Award, contract, refunds, report, archive.
    clock.set(publicityEnd + 3600)
    var winners: [String: (code: String, priceFen: Int64)] = [:]
    for section in sections {
      let tenderer = try await signedIn(as: section.tenderer, on: section.member)
      let view = try await tenderer.json("GET", "/sections/\(section.id)")
      let first = view["evaluation"]?["candidates"]?.array?.first?.string ?? ""
      let awarded = try await tenderer.json(
        "POST", "/sections/\(section.id)/award", ["bidder": .string(first)])
      let committee =
        awarded["evaluation"]?["memberNames"]?.array?.compactMap(\.string) ?? []
      winners[section.id] = (first, try await openedPrice(section, of: first))
      step(
        section.id, "定标并发布中标结果公告 awarded, result notice",
        "\(name(first))；评标委员会：\(committee.joined(separator: "、"))")
    }
    clock.advance(seconds: 10 * 86_400)
    for section in sections {
      let price = winners[section.id]!.priceFen
      try await signedIn(as: section.tenderer, on: section.member).json(
        "POST", "/sections/\(section.id)/contract",
        ["priceFen": .integer(price), "performanceBondFen": .integer(price / 10)])
      step(section.id, "签订合同 contract signed", "合同价 ¥\(price / 100)，履约保证金10%")
    }
    clock.advance(seconds: 2 * 86_400)
    for section in sections {
      let member = network.members[section.member]
      let tenderer = try await signedIn(as: section.tenderer, on: section.member)
      for (i, _) in section.prices {
        try await tenderer.json(
          "POST", "/sections/\(section.id)/bonds/\(DemoCast.bidderCodes[i])/refund")
      }
      step(section.id, "退还投标保证金 bid bonds refunded", "合同签订后5日内（条例57）")
      try await tenderer.json("POST", "/sections/\(section.id)/report")
      step(section.id, "提交招标投标情况书面报告 written report filed", "")
      try await tenderer.json("POST", "/sections/\(section.id)/archive")
      let archive = try await tenderer.download("/sections/\(section.id)/archive")
      let path = directory + "/archive-\(section.id).json"
      try archive.write(to: URL(fileURLWithPath: path))
      let summary = try JSONDecoder().decode(SectionArchive.self, from: archive).verify(
        with: member.platform.logSigner.verifier)
      let verified = "\(summary.entries) events, \(summary.files) files verified"
      step(section.id, "归档 archived", "电子档案校验通过：\(verified)")
      let view = try await tenderer.json("GET", "/sections/\(section.id)")
      let notices = try await tenderer.json("GET", "/sections/\(section.id)/notices").array ?? []
      report.final[section.id] = [
        "platform": member.id,
        "phase": view["phase"]?.string ?? "", "winner": name(winners[section.id]!.code),
        "contractPriceYuan": "\(winners[section.id]!.priceFen / 100)", "archive": verified,
        "notices": notices.compactMap { $0["kind"]?.string }.joined(separator: ","),
      ]
    }

    try await alerts()

    // The hub: every notice of both platforms in one place, and the open data.
    try await network.exchange()
    let hub = PlatformClient(base: network.hubBase)
    let found = try await hub.json("GET", "/notices?q=快速路").array ?? []
    let all = try await hub.json("GET", "/notices?limit=200").array ?? []
    step(
      nil, "公共服务平台统一发布 the hub publishes every notice",
      "\(all.count) 条公告来自 \(Set(all.compactMap { $0["platform"]?.string }).count) 个交易平台；全文检索“快速路”命中 \(found.count) 条"
    )
    let statistics = try await hub.json("GET", "/statistics?by=region")["groups"]?.array ?? []
    step(
      nil, "市场统计 market statistics by region",
      statistics.map {
        "\($0["key"]?.string ?? "")：\($0["sections"]?.integer ?? 0) 个标段，\($0["bids"]?.integer ?? 0) 份投标，合同金额 ¥\(($0["contractFen"]?.integer ?? 0) / 100)"
      }.joined(separator: "；"))
    let ocds = directory + "/ocds-records.json"
    try await runZhaocai(["export", "ocds", "--hub", network.hubBase, "--out", ocds])
    let records = (try? JSONText.parseValue(readData(ocds)))?["records"]?.array ?? []
    step(nil, "开放数据导出 OCDS exported from the hub", "\(records.count) 个交易过程（OCDS 1.1 记录包）")
    report.final["hub"] = [
      "api": network.hubBase, "notices": "\(all.count)", "ocdsRecords": "\(records.count)",
      "ocds": ocds,
    ]
  }

  /// Each platform's administrator adds its experts and key holders; the parties (two
  /// tenderers, six bidders) register once at the hub with certificates of two recognised CAs.
  private mutating func registerCast() async throws {
    for (index, member) in network.members.enumerated() {
      _ = try await member.platform.register(DemoCast.administrator, password: DemoCast.password)
      let admin = try await signedIn(as: "admin", on: index)
      for account in DemoCast.experts + DemoCast.holders {
        try await admin.json("POST", "/accounts", registration(account))
      }
      holders.append(
        try DemoCast.holderKeys(in: member.directory, supervisor: member.supervisionHolderKeys))
      try DemoCast.entrust(of: member.id, to: network.supervision)
    }
    let authorities = try DemoCast.authorities(at: clock.now())
    var registered: [(account: Account, key: SigningKey, certificate: String)] = []
    for (alias, account) in [
      ("tenderer", DemoCast.tenderer), ("tenderer-xm", DemoCast.tendererXiamen),
    ] {
      let key = try SigningKey.generate(.ed25519)
      registered.append(
        (
          account, key,
          try DemoCast.certificate(
            for: account, key: key, by: authorities[0].authority, at: clock.now())
        ))
      parties[alias] = registered.last!
    }
    for i in 0..<6 {
      let keyBase = directory + "/bidder\(i + 1)"
      try await runZhaocai([
        "keys", "generate", "--out", keyBase, "--id", DemoCast.bidderCodes[i],
      ])
      bidderKeys.append(keyBase + ".key")
      let key = try PrivateKeyFile(text: readText(keyBase + ".key")).signing
      let account = Account(
        id: "bidder\(i + 1)", role: .bidder, name: DemoCast.bidderNames[i],
        creditCode: DemoCast.bidderCodes[i])
      let certificate = try DemoCast.certificate(
        for: account, key: key, by: authorities[i < 3 ? 0 : 1].authority, at: clock.now())
      try writeFile(Data(certificate.utf8), to: keyBase + ".pem", mode: 0o644)
      registered.append((account, key, certificate))
      parties["bidder\(i + 1)"] = registered.last!
    }
    try await DemoCast.registerAtHub(
      registered, authorities: authorities, hub: network.hubBase,
      administratorToken: network.administratorToken)
    try await DemoCast.addSupervisors(to: network.supervision)
    try await network.exchange()
    step(
      nil, "注册 registration",
      "公共服务平台互认2家CA，共享专家库 7 名专家；招标人 2、投标人 6 在公共服务平台注册一次（一地注册、全网通用）；两个交易平台各自添加评标专家账号 7、开标密钥持有人 3")
  }

  private func registration(_ account: Account) -> JSONValue {
    var body: JSONObject = [
      "id": .string(account.id), "password": .string(DemoCast.password),
      "role": .string(account.role.rawValue), "name": .string(account.name),
      "creditCode": .string(account.creditCode),
    ]
    if !account.pastEmployers.isEmpty { body["pastEmployers"] = JSONValue(account.pastEmployers) }
    if !account.specialities.isEmpty { body["specialities"] = JSONValue(account.specialities) }
    return .object(body)
  }

  /// Bundles and seals one bid with `zhaocai bid bundle` and `zhaocai bid seal`.
  func seal(
    section: String, bidder i: Int, price: Int64, deadline: Int64,
    holders: [(name: String, keys: PrivateKeyFile)], in holderDirectory: String, broken: Bool
  ) async throws -> Data {
    let base = directory + "/bid-\(section)-\(i + 1)"
    let document = base + "-technical.txt"
    try Data(DemoSigns.technicalText(section: section, bidder: i).utf8).write(
      to: URL(fileURLWithPath: document))
    let manifest: JSONValue = [
      "sectionID": .string(section), "bidderCreditCode": .string(DemoCast.bidderCodes[i]),
      "bidderName": .string(DemoCast.bidderNames[i]), "priceFen": .integer(price * 100),
      "durationDays": .integer(Int64(360 + 10 * i)), "quality": "合格", "warrantyMonths": 24,
      "projectManagerID": .string(DemoSigns.projectManager(section: section, bidder: i)),
    ]
    try Data(JSONText.bytes(manifest)).write(to: URL(fileURLWithPath: base + "-manifest.json"))
    if broken {
      try Data("扫描件.pdf（不是投标文件包）".utf8).write(to: URL(fileURLWithPath: base + ".bundle"))
    } else {
      try await runZhaocai(
        [
          "bid", "bundle", "--manifest", base + "-manifest.json", "--file", document, "--out",
          base + ".bundle",
        ], environment: ["ZHAOCAI_MACHINE_ID": DemoSigns.machine(section: section, bidder: i)])
    }
    try await runZhaocai(
      [
        "bid", "seal", "--section", section, "--opening-time", isoDate(deadline),
        "--signer", bidderKeys[i], "--in", base + ".bundle", "--out", base + ".sealed",
      ] + holders.flatMap { ["--holder", holderDirectory + "/holder-\($0.name).pub"] }
        // The broken tool is another vendor's: `bid seal` itself refuses a scan.
        + (broken ? ["--raw"] : []))
    return try readData(base + ".sealed")
  }

  private mutating func openedPrice(_ section: DemoSection, of bidder: String) async throws
    -> Int64
  {
    let record =
      try await signedIn(as: section.tenderer, on: section.member).json(
        "GET", "/sections/\(section.id)/opening/record"
      ).array ?? []
    return record.first { $0["bidder"]?.string == bidder }?["priceFen"]?.integer ?? 0
  }

  private func name(_ code: String) -> String {
    DemoCast.bidderCodes.firstIndex(of: code).map { DemoCast.bidderNames[$0] } ?? code
  }

  private func isoDate(_ seconds: Int64) -> String {
    ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
  }
}

/// Runs this same `zhaocai` binary as a user would, waiting off the concurrency pool so the
/// platform in this process keeps serving it; a failure is the demo's failure.
func runZhaocai(_ arguments: [String], environment: [String: String] = [:]) async throws {
  let (status, message) = try await withCheckedThrowingContinuation {
    (continuation: CheckedContinuation<(Int32, String), any Error>) in
    DispatchQueue.global().async {
      do {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        continuation.resume(
          returning: (process.terminationStatus, String(decoding: message, as: UTF8.self)))
      } catch {
        continuation.resume(throwing: error)
      }
    }
  }
  guard status == 0 else {
    throw CommandFailure(
      english: "zhaocai \(arguments.prefix(2).joined(separator: " ")) failed: \(message)",
      chinese: "命令执行失败", code: .failure)
  }
}
