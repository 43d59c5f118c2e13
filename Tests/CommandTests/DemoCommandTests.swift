import Foundation
import Testing

@Suite struct DemoCommandTests {
  /// The demo drives both sections over HTTP to a verified archive, with every event the issue
  /// asks for: a moved deadline, objections, an unreadable bid, a rejected bid, publicity.
  @Test func theDemoRunsATenderFromNoticeToArchive() throws {
    let cli = try CommandRunner()
    defer { cli.remove() }
    let result = try cli.run("demo", "--json", "--keep", cli.path("demo"))
    #expect(result.status == 0, "\(result.stderr)")
    let output = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let final = try #require(output["final"] as? [String: [String: String]])
    #expect(
      final.keys.sorted() == [
        "FZ-2026-018-1", "FZ-2026-018-2", "XM-2026-031-1", "hub", "trading.fz", "trading.xm",
      ])
    #expect(final["XM-2026-031-1"]?["platform"] == "trading.xm")
    for facts in final.filter({ $0.key.contains("-2026-") }).values {
      #expect(facts["phase"] == "archived")
      #expect(facts["archive"]?.hasSuffix("files verified") == true)
      #expect(
        facts["notices"] == "tenderNotice,amendment,candidatePublicity,resultNotice,contractNotice")
    }
    let all = try #require(output["steps"] as? [[String: Any]])
    let steps = all.compactMap { $0["step"] as? String }
    // A bidder registered once at the hub bids on both trading platforms.
    let bids = all.filter { $0["step"] as? String == "递交加密投标文件 sealed bid received" }
    for section in ["FZ-2026-018-1", "XM-2026-031-1"] {
      #expect(
        bids.contains {
          $0["section"] as? String == section
            && ($0["detail"] as? String)?.hasPrefix("海峡示范建设发展有限公司") == true
        })
    }
    // The first section's bids show each sign of 条例40 once; the opening finds all six.
    let signs =
      all.first {
        $0["step"] as? String == "串通投标迹象 collusion signs found at the opening (条例40)"
          && $0["section"] as? String == "FZ-2026-018-1"
      }?["detail"] as? String ?? ""
    for article in ["条例40(1)", "条例40(2)", "条例40(3)", "条例40(4)", "条例40(5)", "条例40(6)"] {
      #expect(signs.contains(article), "\(article) missing from \(signs)")
    }
    // Two bidders of the second section open the same price: the hub's red flags say so.
    let flags = all.first { $0["step"] as? String == "风险预警指标 red flags" }?["detail"] as? String
    #expect(flags?.contains("R028") == true, "\(flags ?? "no red-flag step")")
    for expected in [
      "澄清与修改 clarification issued late: deadline moved",
      "投标人对招标文件提出异议 objection to the documents",
      "无法解密 bid could not be opened", "否决投标 bid rejected",
      "中标候选人公示 candidate publicity", "对中标候选人提出异议 objection to the candidates",
      // The supervision platform: a complaint that suspends the process and is ruled on, an
      // order, and a ban enforced by the other trading platform.
      "投诉 complaint filed with the supervision platform",
      "受理投诉并暂停 complaint accepted, process suspended",
      "投诉处理决定公开 ruling published, process resumed", "监督指令 supervision order (correct)",
      "不良行为记录与市场禁入 violation record and ban",
      "被禁入投标人投标被拒 the banned bidder is refused on the other platform",
      "行政监督平台 live tracking and alerts",
      "行政监督平台释放密钥份额 the supervision platform releases its shares",
      "书面报告备案 written reports filed and acknowledged",
    ] {
      #expect(steps.contains(expected), "missing step \(expected)")
    }
    // The archive it kept verifies with the command, given the platform's key from the run.
    let key = try #require(final["trading.fz"]?["logVerifierKey"])
    let verified = try cli.run(
      "log", "verify", "--archive", cli.path("demo/archive-FZ-2026-018-1.json"), "--key", key)
    #expect(verified.status == 0, "\(verified.stderr)")

    // The archives, exported as OCDS, pass the standard's own checker with no error:
    // scripts/ocds-check runs libcoveocds offline against the schema in Tests/Fixtures/ocds.
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let checker = repository.appendingPathComponent("scripts/ocds-check")
    let schema = repository.appendingPathComponent(
      "Tests/Fixtures/ocds/release-schema-1__1__5+bids.json")
    try #require(
      FileManager.default.isExecutableFile(atPath: checker.path), "no executable \(checker.path)")
    try #require(
      FileManager.default.fileExists(atPath: schema.path), "the fixture \(schema.path) is missing")
    let exported = try cli.run(
      "export", "ocds", "--archive", cli.path("demo/archive-FZ-2026-018-1.json"), "--archive",
      cli.path("demo/archive-FZ-2026-018-2.json"), "--key", key, "--out", cli.path("ocds.json"))
    #expect(exported.status == 0, "\(exported.stderr)")
    let checked = try CommandRunner.execute(checker, [cli.path("ocds.json")])
    #expect(checked.status == 0, "\(checked.stdout)")
    #expect(checked.stdout.contains("\"schema_errors\": 0"))
    #expect(checked.stdout.contains("ocds-check: valid"))
    #expect(checked.stdout.contains("\"releases_or_records\": 10"))

    // The hub's open data: a record per process of both platforms, valid, and each compiled
    // release what ocdsmerge compiles from its releases.
    #expect(final["hub"]?["ocdsRecords"] == "3")
    let records = cli.path("demo/ocds-records.json")
    let hubChecked = try CommandRunner.execute(checker, [records])
    #expect(hubChecked.stdout.contains("ocds-check: valid"), "\(hubChecked.stdout)")
    // scripts/ocds-check made its Python environment, which has ocdsmerge and jsonschema.
    let python = URL(
      fileURLWithPath: ProcessInfo.processInfo.environment["OCDS_CHECK_VENV"]
        ?? (NSHomeDirectory() + "/.cache/ocds-check-venv")
    ).appendingPathComponent("bin/python")
    let merged = try CommandRunner.execute(
      python,
      [
        repository.appendingPathComponent("scripts/ocdsmerge-check.py").path, records, schema.path,
      ])
    #expect(merged.status == 0, "\(merged.stdout)")
    #expect(merged.stdout.contains("ocdsmerge-check: equal"))
    // The fields ocds-check lists as additional (it cannot fetch our extension offline) are
    // all declared by docs/ocds-extension, and every release validates with it.
    let extended = try CommandRunner.execute(
      python,
      [
        repository.appendingPathComponent("scripts/ocds-extension-check.py").path, records,
        schema.path,
        repository.appendingPathComponent("docs/ocds-extension/release-schema.json").path,
      ])
    #expect(extended.status == 0, "\(extended.stdout)")
    #expect(extended.stdout.contains("valid, every field declared"))
  }
}
