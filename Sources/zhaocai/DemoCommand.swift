import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import Logging
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore

/// `zhaocai demo`: a realistic tender driven through the trading platform's HTTP API, from the
/// notice to the archive, on a platform of its own whose clock the demo moves forward.
struct Demo: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a whole tender (one project, 2 sections, 6 bidders, 7 experts) over HTTP.",
    discussion: """
      Starts a trading platform on loopback with a fresh SQLite database and a clock the demo \
      moves, then acts as every party through the HTTP API: bidders seal with `zhaocai bid seal`, \
      key holders release with `zhaocai holder release`. Prints each step and the final state.
      """)

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
    let platform = TradingPlatform(
      store: try await Store.open(.sqlite(path: directory + "/trading.sqlite")),
      blobs: try BlobStore(directory: directory + "/blobs"), clock: clock,
      logSigner: try NoteSigner(name: "demo.trading.localhost/log", key: .init()),
      passwordCost: 10)
    _ = try await platform.register(DemoCast.administrator, password: DemoCast.password)

    let (ports, portInput) = AsyncStream<Int>.makeStream()
    var quiet = Logger(label: "zhaocai.demo")
    quiet.logLevel = .critical
    let app = try platform.application(port: 0, logger: quiet) { portInput.yield($0) }
    let server = Task { try await app.runService() }
    defer { server.cancel() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw CancellationError() }

    var run = DemoRun(
      base: "http://127.0.0.1:\(port)/api/v1", directory: directory, clock: clock,
      platform: platform, json: json)
    do {
      try await run.tender()
    } catch {
      run.report.fail(error)
      throw ExitStatus.fail(error)
    }
    run.report.finish(json: json)
    await platform.store.close()
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

/// One demo run: the cast, their clients, and the tender's steps.
struct DemoRun {
  let base: String
  let directory: String
  let clock: ManualClock
  let platform: TradingPlatform
  var report: DemoReport
  private var sessions: [String: (client: PlatformClient, expiresAt: Int64)] = [:]
  private var bidderKeys: [String] = []

  init(
    base: String, directory: String, clock: ManualClock, platform: TradingPlatform, json: Bool
  ) {
    self.base = base
    self.directory = directory
    self.clock = clock
    self.platform = platform
    report = DemoReport(json: json)
  }

  static let sections = [
    (
      id: "FZ-2026-018-1", name: "示范中学迁建工程 第1标段（教学楼）", estimateYuan: Int64(52_000_000),
      method: "comprehensiveScoring"
    ),
    (
      id: "FZ-2026-018-2", name: "示范中学迁建工程 第2标段（室外配套）", estimateYuan: Int64(8_600_000),
      method: "lowestEvaluatedPrice"
    ),
  ]

  /// A client signed in as `account`, signing in again when the demo's clock passed its expiry.
  mutating func as_(_ account: String) async throws -> PlatformClient {
    if let session = sessions[account], session.expiresAt > clock.now() + 60 {
      return session.client
    }
    let client = try await PlatformClient(base: base).signedIn(
      as: account, password: DemoCast.password)
    sessions[account] = (client, clock.now() + platform.sessionSeconds)
    return client
  }

  mutating func step(_ section: String?, _ step: String, _ detail: String = "") {
    report.add(clock.now(), section, step, detail)
  }

  mutating func tender() async throws {
    report.final["platform"] = [
      "api": base, "logVerifierKey": platform.logSigner.verifier.verifierKey,
    ]
    try await registerCast()
    let holders = try DemoCast.holderKeys(in: directory)
    let s1 = Self.sections[0].id

    // Sections, documents and notices.
    let tenderer = try await as_("tenderer")
    let issued = clock.now()
    let saleEnds = LegalDate(instant: issued).adding(days: 7).startInstant + 17 * 3600
    var deadline = LegalDate(instant: issued).adding(days: 25).startInstant + 9 * 3600 + 1800
    for section in Self.sections {
      try await tenderer.json(
        "POST", "/sections",
        [
          "sectionID": section.id, "name": section.name, "estimateFen": section.estimateYuan * 100,
          "bidBondFen": section.estimateYuan * 100 / 50, "procedure": "open",
          "evaluationMethod": section.method, "industry": "住建", "region": "350100",
          "stateFunded": true, "project": "示范中学迁建工程",
          "criteria": [["name": "技术", "maxPoints": 8_000], ["name": "商务", "maxPoints": 3_000]],
        ])
      try await tenderer.upload(
        "PUT", "/sections/\(section.id)/documents/tender-documents.pdf",
        Data("\(section.name) 招标文件 第一版".utf8))
      try await tenderer.json(
        "POST", "/sections/\(section.id)/publication",
        [
          "documentsIssuedAt": isoDate(issued), "saleEndsAt": isoDate(saleEnds),
          "bidDeadline": isoDate(deadline),
          "keyHolders": DemoCast.noticeHolders(holders).map {
            ["name": $0.name, "suite": $0.suite, "sealingKey": $0.sealingKey]
          }, "threshold": 2,
        ])
      step(
        section.id, "招标公告发布 tender notice published",
        "估算价 ¥\(section.estimateYuan)，投标截止 \(Notice.legalTime(deadline))")
    }

    // Downloads (registered) and bid bonds.
    clock.advance(seconds: 86_400)
    for (i, code) in DemoCast.bidderCodes.enumerated() {
      let bidder = try await as_("bidder\(i + 1)")
      for (j, section) in Self.sections.enumerated() where j == 0 || i < 4 {
        _ = try await bidder.download("/sections/\(section.id)/documents/versions/1")
        try await bidder.json(
          "PUT", "/sections/\(section.id)/bonds/\(code)",
          [
            "amountFen": section.estimateYuan * 100 / 50,
            "payingAccount": "62220201000\(i + 1)\(j)7788",
          ])
      }
    }
    step(nil, "6家投标人下载招标文件并缴纳投标保证金 6 bidders downloaded and paid bonds", "下载登记已记录")

    // An objection to the documents, answered within 3 days.
    clock.set(LegalDate(instant: issued).adding(days: 10).startInstant + 10 * 3600)
    try await as_("bidder3").json("PUT", "/sections/\(s1)/objections/DOC-OBJ-1")
    step(s1, "投标人对招标文件提出异议 objection to the documents", "DOC-OBJ-1，暂停至答复")
    clock.advance(seconds: 86_400)
    try await as_("tenderer").json("POST", "/sections/\(s1)/objections/DOC-OBJ-1/answer")
    step(s1, "招标人答复异议 objection answered", "在3日内")

    // A clarification 11 days before the deadline: the deadline moves (法23, 条例21).
    clock.set(LegalDate(instant: deadline).adding(days: -11).startInstant + 10 * 3600)
    for section in Self.sections {
      let version =
        try await as_("tenderer").upload(
          "PUT", "/sections/\(section.id)/documents/tender-documents.pdf",
          Data("\(section.name) 招标文件 第二版（澄清：工程量清单更正）".utf8)) as? [String: Any]
      let notified = version?["notified"] as? Int ?? 0
      let view = try await as_("tenderer").json("GET", "/sections/\(section.id)") as? [String: Any]
      let moved = ((view?["schedule"] as? [String: Any])?["bidDeadline"] as? String) ?? ""
      step(
        section.id, "澄清与修改 clarification issued late: deadline moved",
        "新截止时间 \(moved)，已通知 \(notified) 家下载人")
    }
    deadline = LegalDate(instant: clock.now()).adding(days: 15).startInstant + 9 * 3600 + 1800

    // Sealed bids, made with the real command.
    clock.set(LegalDate(instant: deadline).adding(days: -3).startInstant + 15 * 3600)
    let prices: [[Int64]] = [
      [49_800_000, 48_900_000, 50_500_000, 47_600_000, 42_000_000, 49_000_000],
      [8_350_000, 8_120_000, 8_480_000, 8_290_000],
    ]
    for (j, section) in Self.sections.enumerated() {
      for i in 0..<prices[j].count {
        let code = DemoCast.bidderCodes[i]
        // The sixth bidder's tool sealed a scan instead of a bid bundle: it will not open.
        let envelope = try await seal(
          section: section.id, bidder: i, price: prices[j][i], deadline: deadline,
          holders: holders, broken: j == 0 && i == 5)
        let receipt =
          try await as_("bidder\(i + 1)").upload(
            "PUT", "/sections/\(section.id)/bids/\(code)", envelope) as? [String: Any]
        step(
          section.id, "递交加密投标文件 sealed bid received",
          "\(DemoCast.bidderNames[i])，回执日志序号 \(receipt?["index"] as? Int ?? -1)")
      }
    }

    // The deadline: bidding closes, holders release with the real command, the opening.
    clock.set(deadline)
    try await OpeningScheduler(platform: platform).tick()
    step(nil, "投标截止 bidding closed", "开标 opening")
    for section in Self.sections {
      for holder in ["platform", "supervisor"] {
        try await runZhaocai(
          [
            "holder", "release", "--platform", base, "--section", section.id, "--name", holder,
            "--key", directory + "/holder-\(holder).key",
          ], environment: ["ZHAOCAI_PASSWORD": DemoCast.password])
      }
      step(section.id, "密钥持有人释放份额 key shares released", "platform, supervisor（2/3）")
      let record =
        try await as_("tenderer").json("POST", "/sections/\(section.id)/opening")
        as? [[String: Any]]
        ?? []
      for entry in record {
        let bidder = entry["bidder"] as? String ?? ""
        let name =
          DemoCast.bidderCodes.firstIndex(of: bidder).map { DemoCast.bidderNames[$0] }
          ?? bidder
        if let price = entry["priceFen"] as? Int {
          step(section.id, "开标记录 opening record", "\(name) 报价 ¥\(price / 100)")
        } else {
          step(
            section.id, "无法解密 bid could not be opened",
            "\(name)：视为\(entry["outcome"] as? String == "revoked" ? "撤销 revoked" : "撤回 withdrawn")（办法31）"
          )
        }
      }
      for (i, code) in DemoCast.bidderCodes.enumerated()
      where record.contains(where: { $0["bidder"] as? String == code && $0["priceFen"] != nil }) {
        try await as_("bidder\(i + 1)").json(
          "PUT", "/sections/\(section.id)/opening/confirmations/\(code)")
      }
      try await as_("tenderer").json("POST", "/sections/\(section.id)/opening/close")
      step(section.id, "开标结束 opening closed", "投标人已确认开标记录")
    }

    // Evaluation: committees drawn from the pool with recusal, marks made alone.
    clock.advance(seconds: 3600)
    for (j, section) in Self.sections.enumerated() {
      try await as_("tenderer").json(
        "POST", "/sections/\(section.id)/committee",
        ["experts": 4, "speciality": "房屋建筑", "representatives": ["tenderer"]])
      var members: [String] = []
      for expert in DemoCast.experts {
        let inbox = try await as_(expert.id).json("GET", "/notifications") as? [[String: Any]] ?? []
        if inbox.contains(where: { $0["section"] as? String == section.id }) {
          members.append(expert.id)
        }
      }
      step(
        section.id, "抽取评标专家 committee drawn",
        "4名专家 + 招标人代表；expert7 曾任职于投标人而回避；名单保密至结果公告")
      members.append("tenderer")
      let opened = Array(DemoCast.bidderCodes.prefix(prices[j].count)).filter {
        !(j == 0 && $0 == DemoCast.bidderCodes[5])
      }
      if j == 0 {
        // Three of five flag the price far below the others as below cost (条例51).
        for member in members.prefix(3) {
          try await as_(member).json(
            "PUT", "/sections/\(section.id)/evaluation/rejections/\(DemoCast.bidderCodes[4])",
            ["ground": "priceBelowCostOrAboveCeiling"])
        }
        step(section.id, "否决投标 bid rejected", "\(DemoCast.bidderNames[4])：报价低于成本（条例51）")
      }
      for (m, member) in members.enumerated() {
        var sheet: [String: Any] = [:]
        if j == 0 {
          sheet["points"] = Dictionary(
            uniqueKeysWithValues: opened.enumerated().map { k, code in
              (code, ["技术": 5_000 + 500 * ((k + m) % 3) + 300 * k, "商务": 2_000 + 100 * k])
            })
        } else {
          sheet["priceAdjustmentsFen"] = Dictionary(
            uniqueKeysWithValues: opened.enumerated().map { k, code in (code, (k * 37 + m) * 1_000)
            })
        }
        try await as_(member).json("PUT", "/sections/\(section.id)/evaluation/scores", sheet)
      }
      let reported =
        try await as_(members[0]).json(
          "POST", "/sections/\(section.id)/evaluation/report", ["candidates": 3])
        as? [String: Any]
      let candidates = (reported?["evaluation"] as? [String: Any])?["candidates"] as? [String] ?? []
      step(
        section.id, "评标报告 evaluation report",
        "推荐中标候选人：" + candidates.map(name).joined(separator: "、"))
    }

    // Publicity of 3 days; an objection to the candidates on the first section.
    clock.advance(seconds: 86_400)
    let publicityStart = clock.now()
    let publicityEnd = LegalDate(instant: publicityStart).adding(days: 3).startInstant + 18 * 3600
    for section in Self.sections {
      try await as_("tenderer").json(
        "POST", "/sections/\(section.id)/publicity",
        ["start": isoDate(publicityStart), "end": isoDate(publicityEnd)])
      step(section.id, "中标候选人公示 candidate publicity", "至 \(Notice.legalTime(publicityEnd))")
    }
    clock.advance(seconds: 86_400)
    try await as_("bidder2").json("PUT", "/sections/\(s1)/publicity/objections/PUB-OBJ-1")
    step(s1, "对中标候选人提出异议 objection to the candidates", "定标暂停至答复")
    clock.advance(seconds: 86_400)
    try await as_("tenderer").json("POST", "/sections/\(s1)/objections/PUB-OBJ-1/answer")
    step(s1, "招标人答复异议 objection answered", "")

    // Award, contract, refunds, report, archive.
    clock.set(publicityEnd + 3600)
    var winners: [String: (code: String, priceFen: Int64)] = [:]
    for section in Self.sections {
      let view = try await as_("tenderer").json("GET", "/sections/\(section.id)") as? [String: Any]
      let first =
        ((view?["evaluation"] as? [String: Any])?["candidates"] as? [String])?.first ?? ""
      let awarded =
        try await as_("tenderer").json(
          "POST", "/sections/\(section.id)/award", ["bidder": first]) as? [String: Any]
      let committee = (awarded?["evaluation"] as? [String: Any])?["memberNames"] as? [String] ?? []
      winners[section.id] = (first, try await openedPrice(section.id, of: first))
      step(
        section.id, "定标并发布中标结果公告 awarded, result notice",
        "\(name(first))；评标委员会：\(committee.joined(separator: "、"))")
    }
    clock.advance(seconds: 10 * 86_400)
    for section in Self.sections {
      let price = winners[section.id]!.priceFen
      try await as_("tenderer").json(
        "POST", "/sections/\(section.id)/contract",
        ["priceFen": price, "performanceBondFen": price / 10])
      step(section.id, "签订合同 contract signed", "合同价 ¥\(price / 100)，履约保证金10%")
    }
    clock.advance(seconds: 2 * 86_400)
    for (j, section) in Self.sections.enumerated() {
      for code in DemoCast.bidderCodes.prefix(prices[j].count) {
        try await as_("tenderer").json("POST", "/sections/\(section.id)/bonds/\(code)/refund")
      }
      step(section.id, "退还投标保证金 bid bonds refunded", "合同签订后5日内（条例57）")
      try await as_("tenderer").json("POST", "/sections/\(section.id)/report")
      step(section.id, "提交招标投标情况书面报告 written report filed", "")
      try await as_("tenderer").json("POST", "/sections/\(section.id)/archive")
      let archive = try await as_("tenderer").download("/sections/\(section.id)/archive")
      let path = directory + "/archive-\(section.id).json"
      try archive.write(to: URL(fileURLWithPath: path))
      let summary = try JSONDecoder().decode(SectionArchive.self, from: archive).verify(
        with: platform.logSigner.verifier)
      let verified = "\(summary.entries) events, \(summary.files) files verified"
      step(section.id, "归档 archived", "电子档案校验通过：\(verified)")
      let view = try await as_("tenderer").json("GET", "/sections/\(section.id)") as? [String: Any]
      let notices =
        try await as_("tenderer").json("GET", "/sections/\(section.id)/notices") as? [[String: Any]]
        ?? []
      report.final[section.id] = [
        "phase": view?["phase"] as? String ?? "", "winner": name(winners[section.id]!.code),
        "contractPriceYuan": "\(winners[section.id]!.priceFen / 100)", "archive": verified,
        "notices": notices.compactMap { $0["kind"] as? String }.joined(separator: ","),
      ]
    }
  }

  private mutating func registerCast() async throws {
    let admin = try await as_("admin")
    let anonymous = PlatformClient(base: base)
    try await anonymous.json("POST", "/accounts", registration(DemoCast.tenderer))
    for i in 0..<6 {
      let keyBase = directory + "/bidder\(i + 1)"
      try await runZhaocai([
        "keys", "generate", "--out", keyBase, "--id", DemoCast.bidderCodes[i],
      ])
      let keys = try PrivateKeyFile(text: readText(keyBase + ".key"))
      try await anonymous.json("POST", "/accounts", registration(DemoCast.bidder(i, key: keys)))
      bidderKeys.append(keyBase + ".key")
    }
    for account in DemoCast.experts + DemoCast.holders {
      try await admin.json("POST", "/accounts", registration(account))
    }
    step(
      nil, "注册 accounts registered",
      "招标人 1、投标人 6（自行注册并登记签名公钥）、评标专家 7、开标密钥持有人 3（管理员添加）")
  }

  private func registration(_ account: Account) -> [String: Any] {
    var body: [String: Any] = [
      "id": account.id, "password": DemoCast.password, "role": account.role.rawValue,
      "name": account.name, "creditCode": account.creditCode,
    ]
    if let key = account.signingKey { body["signingKey"] = key }
    if let algorithm = account.signatureAlgorithm { body["signatureAlgorithm"] = algorithm }
    if !account.pastEmployers.isEmpty { body["pastEmployers"] = account.pastEmployers }
    if !account.specialities.isEmpty { body["specialities"] = account.specialities }
    return body
  }

  /// Bundles and seals one bid with `zhaocai bid bundle` and `zhaocai bid seal`.
  private func seal(
    section: String, bidder i: Int, price: Int64, deadline: Int64,
    holders: [(name: String, keys: PrivateKeyFile)], broken: Bool
  ) async throws -> Data {
    let base = directory + "/bid-\(section)-\(i + 1)"
    let document = base + "-technical.txt"
    try Data("\(DemoCast.bidderNames[i]) 技术标：施工组织设计".utf8).write(
      to: URL(fileURLWithPath: document))
    let manifest: [String: Any] = [
      "sectionID": section, "bidderCreditCode": DemoCast.bidderCodes[i],
      "bidderName": DemoCast.bidderNames[i], "priceFen": price * 100,
      "durationDays": 360 + 10 * i, "quality": "合格", "warrantyMonths": 24,
      "projectManagerID": "闽1352019\(String(format: "%05d", 1000 + i))",
    ]
    try JSONSerialization.data(withJSONObject: manifest).write(
      to: URL(fileURLWithPath: base + "-manifest.json"))
    if broken {
      try Data("扫描件.pdf（不是投标文件包）".utf8).write(to: URL(fileURLWithPath: base + ".bundle"))
    } else {
      try await runZhaocai([
        "bid", "bundle", "--manifest", base + "-manifest.json", "--file", document, "--out",
        base + ".bundle",
      ])
    }
    try await runZhaocai(
      [
        "bid", "seal", "--section", section, "--opening-time", isoDate(deadline),
        "--signer", bidderKeys[i], "--in", base + ".bundle", "--out", base + ".sealed",
      ] + holders.flatMap { ["--holder", directory + "/holder-\($0.name).pub"] })
    return try readData(base + ".sealed")
  }

  private mutating func openedPrice(_ section: String, of bidder: String) async throws -> Int64 {
    let record =
      try await as_("tenderer").json("GET", "/sections/\(section)/opening/record")
      as? [[String: Any]] ?? []
    let price = record.first { $0["bidder"] as? String == bidder }?["priceFen"] as? Int ?? 0
    return Int64(price)
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
