import ArgumentParser
import Foundation
import Synchronization
import ZhaocaiDomain
import ZhaocaiExchange

/// `zhaocai bench ocds`: compiling OCDS releases into a record package, as the hub's open data
/// does, against `ocdskit compile` on the same release package in the same run.
struct OCDSBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ocds",
    abstract: "Compile N sections' OCDS releases into records; compare with ocdskit compile.")

  @Option(help: "How many sections (each makes 5 releases).") var sections = 2_000
  @Option(help: "The ocdskit command (a Python tool); the reference is skipped if it is absent.")
  var ocdskit = NSHomeDirectory() + "/.cache/ocdskit-venv/bin/ocdskit"
  @Option(help: "The release schema ocdskit merges with (offline), default Tests/Fixtures/ocds.")
  var schema: String?
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    guard sections > 0 else { throw ValidationError("--sections must be positive") }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("zhaocai-bench-ocds-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let releases = (0..<sections).flatMap { Self.releases(of: $0) }
    let package = OCDSReleases.package(
      releases, publisher: "bench", uri: "file:///bench.json", at: 1_795_743_000)
    let input = directory.appendingPathComponent("releases.json")
    try Data(JSONText.string(.object(package)).utf8).write(to: input)

    // Ours: read the package, compile each process, write the record package.
    let start = monotonicSeconds()
    // The releases are found by one scan and parsed on every core.
    let bytes = [UInt8](try Data(contentsOf: input))
    guard let ranges = JSONText.elementRanges(ofArray: "releases", in: bytes) else {
      throw ValidationError("the package has no releases")
    }
    let parts = Mutex(
      [[JSONValue]](repeating: [], count: ProcessInfo.processInfo.activeProcessorCount))
    let chunk = (ranges.count + parts.withLock { $0.count } - 1) / parts.withLock { $0.count }
    try forEachInParallel(parts.withLock { $0.count }) { part in
      let slice = ranges[min(part * chunk, ranges.count)..<min((part + 1) * chunk, ranges.count)]
      let values = try slice.map { try JSONText.parseValue(bytes, in: $0) }
      parts.withLock { $0[part] = values }
    }
    let read = parts.withLock { $0 }.joined()
    let parsed = monotonicSeconds()
    var byOCID: [String: [JSONObject]] = [:]
    var order: [String] = []
    for case .object(let release) in read {
      let ocid = release["ocid"]?.string ?? ""
      if byOCID[ocid] == nil { order.append(ocid) }
      byOCID[ocid, default: []].append(release)
    }
    let compiled = monotonicSeconds()
    // Each process is compiled and written on its own, on every core; the package is then
    // assembled from the pieces.
    let groups = order.map { ($0, byOCID[$0]!) }
    let pieces = Mutex([[UInt8]](repeating: [], count: order.count))
    let workers = ProcessInfo.processInfo.activeProcessorCount
    try forEachInParallel(workers) { worker in
      for index in stride(from: worker, to: groups.count, by: workers) {
        let (ocid, releases) = groups[index]
        let record: JSONObject = [
          "ocid": .string(ocid), "releases": .array(releases.map(JSONValue.object)),
          "compiledRelease": .object(OCDSMerge.compile(releases)),
        ]
        let bytes = JSONText.bytes(.object(record))
        pieces.withLock { $0[index] = bytes }
      }
    }
    var recordPackage = package
    recordPackage["releases"] = nil
    var out = JSONText.bytes(.object(recordPackage))
    out.removeLast()  // the closing brace: the records follow
    out += #","records":["#.utf8
    for (index, piece) in pieces.withLock({ $0 }).enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      out += piece
    }
    out += "]}".utf8
    let output = directory.appendingPathComponent("records.json")
    try Data(out).write(to: output)
    let ours = monotonicSeconds() - start
    let phases = [
      "read": parsed - start, "group": compiled - parsed,
      "compileAndWrite": start + ours - compiled,
    ]

    // The reference: ocdskit compile of the same file, into the same kind of record package.
    var reference: Double?
    if FileManager.default.isExecutableFile(atPath: ocdskit) {
      let schemaPath =
        schema
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/ocds/release-schema-1__1__5+bids.json").path
      let process = Process()
      process.executableURL = URL(fileURLWithPath: ocdskit)
      process.arguments = ["compile", "--package", "--schema", schemaPath]
      process.standardInput = try FileHandle(forReadingFrom: input)
      let sink = directory.appendingPathComponent("ocdskit.json")
      _ = FileManager.default.createFile(atPath: sink.path, contents: nil)
      process.standardOutput = try FileHandle(forWritingTo: sink)
      let errors = Pipe()
      process.standardError = errors
      let began = monotonicSeconds()
      try process.run()
      process.waitUntilExit()
      reference = monotonicSeconds() - began
      guard process.terminationStatus == 0 else {
        let message = String(
          decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw ValidationError("ocdskit compile failed: \(message)")
      }
      // The speed counts only if the work is the same: every compiled release must be the one
      // ocdskit compiled, written the same way.
      let theirs = try Self.compiledReleases(in: Data(contentsOf: sink))
      let mine = try Self.compiledReleases(in: Data(contentsOf: output))
      guard theirs.count == sections, theirs == mine else {
        let differing = mine.filter { theirs[$0.key] != $0.value }.map(\.key).sorted()
        throw ValidationError(
          "the compiled releases differ from ocdskit's (\(theirs.count) compiled there, "
            + "\(differing.count) differ, first \(differing.first ?? "-"))")
      }
    }
    let result: [String: any Sendable] = [
      "sections": sections, "releases": releases.count, "seconds": ours,
      "ocdskitSeconds": reference ?? -1, "ratio": reference.map { $0 / ours } ?? -1,
      "phases": phases, "sameAsReference": reference != nil,
    ]
    if json {
      let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(
        "compiled \(releases.count) releases of \(sections) sections into records in "
          + "\(String(format: "%.3f", ours)) s (read \(String(format: "%.3f", phases["read"]!)), "
          + "compile and write on \(ProcessInfo.processInfo.activeProcessorCount) cores "
          + "\(String(format: "%.3f", phases["compileAndWrite"]!)))"
          + (reference.map {
            "; ocdskit compile: \(String(format: "%.2f", $0)) s — \(String(format: "%.1f", $0 / ours))× faster;"
              + " all \(sections) compiled releases equal ocdskit's"
          } ?? "; ocdskit not found at \(ocdskit): no reference"))
    }
  }

  /// Each record's compiled release, written as JSONText writes it, by ocid.
  static func compiledReleases(in package: Data) throws -> [String: String] {
    guard case .array(let records)? = try JSONText.parseValue(package).object?["records"] else {
      throw ValidationError("a record package has no records")
    }
    var compiled: [String: String] = [:]
    for case .object(let record) in records {
      guard let ocid = record["ocid"]?.string, let release = record["compiledRelease"] else {
        continue
      }
      compiled[ocid] = JSONText.string(release)
    }
    return compiled
  }

  /// Section `index`'s releases: tender, amendment, opening record, award, contract.
  static func releases(of index: Int) -> [JSONObject] {
    let id = "BENCH-\(index)"
    let issued: Int64 = 1_767_225_600 + Int64(index) * 600
    let terms = SectionTerms(
      sectionID: id, name: "基准项目 \(index) 施工", estimate: Money(yuan: 10_000_000 + Int64(index)),
      bidBond: Money(yuan: 200_000), industry: "住建", region: "350100",
      tenderer: "91350100MB0000001R", project: "基准项目 \(index)")
    let schedule = TenderSchedule(
      documentsIssuedAt: issued, saleEndsAt: issued + 7 * 86_400,
      bidDeadline: issued + 25 * 86_400, keyHolders: [], threshold: 2)
    var events: [OCDSReleases.Logged] = [
      .init(index: 0, at: issued, event: .published(schedule: schedule, at: issued), terms: terms),
      .init(
        index: 1, at: issued + 86_400,
        event: .amended(
          number: 1, at: issued + 86_400, deadline: issued + 26 * 86_400, movedFrom: nil,
          rule: nil)),
    ]
    let bidders = (1...5).map { "9135010\(index % 10)MA00000\($0)" }
    for (k, bidder) in bidders.enumerated() {
      events.append(
        .init(
          index: UInt64(2 + k), at: issued + 26 * 86_400,
          event: .bidOpened(
            bidder: bidder,
            items: OpeningItems(
              price: Money(yuan: 9_800_000 + Int64(k) * 10_000), durationDays: 300,
              quality: "合格", warrantyMonths: 24, projectManagerID: "PM\(k)"),
            bidKey: "key\(k)")))
    }
    let opened = issued + 26 * 86_400
    events += [
      .init(
        index: 7, at: opened,
        event: .openingRecordPublished(at: opened, opened: 5, undecryptable: 0)),
      .init(
        index: 8, at: opened + 10 * 86_400,
        event: .awarded(
          bidder: bidders[0], rank: 1, at: opened + 10 * 86_400,
          contractDue: LegalDate(instant: opened).adding(days: 40),
          reportDue: LegalDate(instant: opened).adding(days: 25))),
      .init(
        index: 9, at: opened + 20 * 86_400,
        event: .contractSigned(
          at: opened + 20 * 86_400, price: Money(yuan: 9_800_000),
          bondRefundDue: LegalDate(instant: opened).adding(days: 25))),
    ]
    return OCDSReleases.releases(
      of: events, ocid: OCDSReleases.ocidPrefix + "trading.bench-" + id)
  }
}
