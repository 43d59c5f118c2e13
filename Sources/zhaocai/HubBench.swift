import ArgumentParser
import Crypto
import Foundation
import HubClient
import Hummingbird
import Logging
import PublicServiceHub
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `zhaocai bench hub`: signed notices ingested by the hub over HTTP (signature check, dedup,
/// storage, log append, search index), against bare one-row SQLite inserts in the same run.
struct HubBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hub",
    abstract: "Time the hub ingesting N signed notices over HTTP, then searching them.")

  @Option(help: "How many messages to ingest.") var messages = 20_000
  @Option(help: "Messages per request, as a relay sends them.") var batch = 500
  @Option(help: "Notices in the search index before the searches (made directly, not timed).")
  var notices = 0
  @Option(help: "How many searches to time.") var searches = 400
  @Flag(help: "Print JSON.") var json = false

  func run() async throws {
    guard messages > 0, batch > 0, notices >= 0, searches > 0 else {
      throw ValidationError("--messages, --batch and --searches must be positive")
    }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("zhaocai-bench-hub-\(getpid())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try await Store.open(.sqlite(path: directory + "/hub.sqlite"), schema: .hub)
    let hub = try PublicServiceHub(
      store: store, administratorToken: "bench", clock: ManualClock(1_795_743_000))
    let key = Curve25519.Signing.PrivateKey()
    var quiet = Logger(label: "zhaocai.bench")
    quiet.logLevel = .critical
    let (ports, input) = AsyncStream<Int>.makeStream()
    let app = try hub.application(port: 0, logger: quiet) { input.yield($0) }
    let server = Task { try await app.runService() }
    defer { server.cancel() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw CancellationError() }
    // The benchmark's sender, registered and approved as any platform is.
    let base = "http://127.0.0.1:\(port)/api/v1"
    try await HubConnection(base).apply(
      id: "trading.bench", name: "基准交易平台", operatorName: "bench",
      endpoint: "http://127.0.0.1:1/api/v1",
      publicKey: key.publicKey.rawRepresentation.base64EncodedString(), logVerifierKey: nil,
      kind: "trading")
    try await HubConnection(base, token: "bench").decide("trading.bench", approve: true)

    // Signed beforehand: the relay's work is not the hub's.
    var generator = NoticeGenerator(seed: 7)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let bodies = try stride(from: 0, to: messages, by: batch).map { start in
      let signed = try (start..<min(start + batch, messages)).map { index in
        try SignedMessage.sign(
          ExchangeMessage(
            sender: "trading.bench", recipient: ExchangeMessage.hub, sequence: UInt64(index + 1),
            kind: "notice.published",
            sentAt: 1_795_743_000,
            payload: String(
              decoding: try encoder.encode(generator.notice(index)), as: UTF8.self)),
          with: key)
      }
      return try JSONEncoder().encode(signed)
    }
    let cpuBefore = Self.processCPUSeconds()
    let seconds = try await LoopbackPoster.post(
      bodies, to: port, path: "/api/v1/exchange/messages"
    ) { answer in
      let text = String(decoding: answer.body, as: UTF8.self)
      guard answer.status == 200, !text.contains("refused") else {
        throw ValidationError("the hub refused a batch: \(answer.status) \(text)")
      }
    }
    // How much of the machine the hub (and the small client) kept busy meanwhile.
    let busyCores = (Self.processCPUSeconds() - cpuBefore) / seconds
    let held = try await hub.heldMessages(from: "trading.bench")
    guard held == messages else { throw ValidationError("the hub holds \(held) of \(messages)") }
    let reference = try await Self.referenceInserts(
      count: min(messages, 5_000), directory: directory)
    let verifies = try Self.referenceVerifies(bodies[0], key: key.publicKey)

    // The searches: the index filled up to --notices, then Chinese words, regions and kinds.
    if notices > messages {
      try await Self.fill(hub, from: messages, to: notices, generator: &generator)
    }
    let total = max(messages, notices)
    let scanned = try await Self.referenceScanTable(count: total, directory: directory)
    var latencies: [Double] = []
    var slowest: [(Double, String)] = []
    var scanLatencies: [Double] = []
    var random = SystemRandomNumberGenerator()
    for index in 0..<searches {
      let word = NoticeGenerator.searchWords[
        Int.random(in: 0..<NoticeGenerator.searchWords.count, using: &random)]
      var query = "q=\(word)"
      if index % 3 == 1 { query += "&region=35" }
      if index % 3 == 2 { query += "&kind=resultNotice" }
      let encoded = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
      let searchURL = URL(string: "http://127.0.0.1:\(port)/api/v1/notices?\(encoded)")!
      let began = monotonicSeconds()
      let (_, response) = try await URLSession.shared.data(from: searchURL)
      latencies.append(monotonicSeconds() - began)
      slowest.append((latencies.last!, query))
      guard (response as? HTTPURLResponse)?.statusCode == 200 else {
        throw ValidationError("search \(query) failed")
      }
      // The reference: every notice read for the same word, as a search without an index
      // must (its matches counted), a few times.
      if index < 10 {
        let scanBegan = monotonicSeconds()
        _ = try await scanned.transaction { database in
          try await database.raw(
            "SELECT COUNT(*) AS n FROM notices WHERE title LIKE \(bind: "%" + word + "%") OR body LIKE \(bind: "%" + word + "%")"
          ).all()
        }
        scanLatencies.append(monotonicSeconds() - scanBegan)
      }
    }
    latencies.sort()
    scanLatencies.sort()
    await scanned.close()
    await store.close()

    let rate = Double(messages) / seconds
    let percentile = { (values: [Double], p: Double) in
      values[min(values.count - 1, Int(Double(values.count) * p))] * 1000
    }
    let result: JSONValue = [
      "messages": .integer(Int64(messages)), "batch": .integer(Int64(batch)),
      "seconds": .number(seconds), "messagesPerSecond": .number(rate),
      "referenceInsertsPerSecond": .number(reference), "ratio": .number(rate / reference),
      "referenceVerifiesPerSecond": .number(verifies), "verifyRatio": .number(rate / verifies),
      "busyCores": .number(busyCores), "noticesIndexed": .integer(Int64(total)),
      "searches": .integer(Int64(searches)),
      "searchP50Ms": .number(percentile(latencies, 0.5)),
      "searchP95Ms": .number(percentile(latencies, 0.95)),
      "scanP50Ms": .number(percentile(scanLatencies, 0.5)),
    ]
    if json {
      print(JSONText.string(result))
    } else {
      print(
        """
        ingested \(messages) signed notices in \(String(format: "%.2f", seconds)) s: \
        \(Int(rate)) messages/s (batches of \(batch), over HTTP; \
        \(String(format: "%.2f", busyCores)) of \(ProcessInfo.processInfo.activeProcessorCount) cores busy)
        reference: \(Int(reference)) bare one-row SQLite inserts/s (one commit each) — ratio \
        \(String(format: "%.2f", rate / reference)); \(Int(verifies)) signature checks/s on \
        \(ProcessInfo.processInfo.activeProcessorCount) cores (the checks alone) — ratio \
        \(String(format: "%.2f", rate / verifies))
        search over \(total) notices, \(searches) queries: p50 \
        \(String(format: "%.2f", percentile(latencies, 0.5))) ms, p95 \
        \(String(format: "%.2f", percentile(latencies, 0.95))) ms; reference, the same words by \
        reading every notice: p50 \(String(format: "%.1f", percentile(scanLatencies, 0.5))) ms
        slowest: \(slowest.sorted { $0.0 > $1.0 }.prefix(5).map { "\($0.1) \(Int($0.0 * 1000)) ms" }.joined(separator: ", "))
        """)
    }
  }

  /// User and system CPU seconds this process has used.
  static func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
      + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  }

  /// The messages of one batch verified again and again on every core, nothing else: the
  /// ceiling that checking each message's signature puts on ingestion on this machine.
  static func referenceVerifies(_ batch: Data, key: Curve25519.Signing.PublicKey) throws
    -> Double
  {
    let signed = try JSONDecoder().decode([SignedMessage].self, from: batch)
    let workers = ProcessInfo.processInfo.activeProcessorCount
    let rounds = 8
    let start = monotonicSeconds()
    try forEachInParallel(workers) { worker in
      for _ in 0..<rounds {
        for wire in signed { _ = try wire.verified(with: key, for: ExchangeMessage.hub) }
      }
    }
    return Double(signed.count * rounds * workers) / (monotonicSeconds() - start)
  }

  /// One-row inserts, one commit each, into a plain table of a fresh SQLite file: the floor of
  /// what durable one-message-at-a-time storage costs on this machine.
  static func referenceInserts(count: Int, directory: String) async throws -> Double {
    let store = try await Store.open(.sqlite(path: directory + "/reference.sqlite"), schema: .hub)
    try await store.transaction {
      try await $0.raw("CREATE TABLE reference (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        .run()
    }
    let payload = String(repeating: "公告", count: 200)
    let start = monotonicSeconds()
    for index in 0..<count {
      try await store.transaction {
        try await $0.raw(
          "INSERT INTO reference (id, payload) VALUES (\(bind: index), \(bind: payload))"
        ).run()
      }
    }
    let rate = Double(count) / (monotonicSeconds() - start)
    await store.close()
    return rate
  }

  /// The same notices' titles and texts in a plain table of a fresh SQLite file, for the
  /// reference search that reads every notice (as a search without an index must).
  static func referenceScanTable(count: Int, directory: String) async throws -> Store {
    let store = try await Store.open(
      .sqlite(path: directory + "/reference-scan.sqlite"), schema: Schema([]))
    try await store.transaction {
      try await $0.raw("CREATE TABLE notices (title TEXT NOT NULL, body TEXT NOT NULL)").run()
    }
    // The generator is reproducible: the same seed makes the notices the hub holds.
    var generator = NoticeGenerator(seed: 7)
    for start in stride(from: 0, to: count, by: 10_000) {
      let chunk = (start..<min(start + 10_000, count)).map { generator.notice($0).notice }
      try await store.transaction { database in
        for notice in chunk {
          try await database.raw(
            "INSERT INTO notices (title, body) VALUES (\(bind: notice.title), \(bind: notice.body))"
          ).run()
        }
      }
    }
    return store
  }

  /// Adds notices straight into the store (as the hub indexes them), 10,000 per transaction.
  static func fill(
    _ hub: PublicServiceHub, from start: Int, to end: Int, generator: inout NoticeGenerator
  ) async throws {
    var index = start
    while index < end {
      let chunk = (index..<min(index + 10_000, end)).map { generator.notice($0) }
      let first = index
      try await hub.indexNotices(
        chunk.enumerated().map { ($0.element, UInt64(first + $0.offset + 1)) },
        from: "trading.bench")
      index += chunk.count
    }
  }
}

/// Notices of plausible Chinese text, reproducible from a seed.
struct NoticeGenerator {
  static let places = ["福州", "厦门", "泉州", "漳州", "莆田", "三明", "南平", "龙岩", "宁德", "平潭"]
  static let works = [
    "道路改造", "桥梁加固", "污水处理厂", "中学迁建", "医院门诊楼", "安置房", "体育中心", "轨道交通",
    "河道整治", "供水管网", "产业园基础设施", "高速公路互通", "隧道", "垃圾焚烧发电", "公园绿化",
  ]
  static let kinds: [NoticeKind] = [
    .tenderNotice, .amendment, .candidatePublicity, .resultNotice, .contractNotice,
  ]
  static let searchWords = ["快速路", "污水处理", "桥梁", "安置房", "体育中心", "道路", "隧道", "供水管网", "中学", "龙岩"]
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next(_ bound: Int) -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int((state >> 33) % UInt64(bound))
  }

  mutating func notice(_ index: Int) -> LoggedNotice {
    let place = Self.places[next(Self.places.count)]
    let work = Self.works[next(Self.works.count)]
    let kind = Self.kinds[next(Self.kinds.count)]
    let section = "BENCH-\(index)"
    let road = next(7) == 0 ? "快速路" : "工程"
    return LoggedNotice(
      section: section, at: 1_767_225_600 + Int64(index) * 30,
      notice: Notice(
        kind: kind, sectionID: section,
        title: "\(place)市\(work)\(road)第\(next(5) + 1)标段\(kind.chinese)",
        body:
          "项目名称：\(place)市\(work)\(road)\n建设地点：\(place)市\n招标人：\(place)市城市建设投资有限公司\n估算价：\(next(90_000) + 1_000)万元\n投标截止时间：2026年12月\(next(28) + 1)日9时30分"
      ),
      region: "35\(String(format: "%02d", next(10) + 1))00", industry: next(3) == 0 ? "交通" : "住建",
      by: nil)
  }
}
