import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TradingClient
import ZhaocaiCrypto
import ZhaocaiDomain

/// `zhaocai bench burst`: the deadline burst (docs/PERFORMANCE.md). N bidders, registered and
/// signed in beforehand, each upload a sealed bid of M MiB at once through the platform's
/// front (nginx); every receipt is checked against the platform's signed checkpoint; the
/// server's peak memory is read from /proc; the same bytes PUT to a URL where nginx accepts
/// and discards them are the reference.
struct BurstBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "burst",
    abstract: "Time N bidders uploading M MiB sealed bids at once, against nginx taking the bytes.",
    discussion: """
      Needs a trading platform without a hub (bidders register on it) behind nginx: \
      scripts/bench-burst starts both, on a throwaway PostgreSQL. The bids are sealed \
      beforehand (the bidders' machines' work, not the platform's), each to the section's key \
      holders with the bidder's own key, from one random plaintext (the platform never reads \
      a bid's contents before the opening, so the plaintext does not change its work).
      """)

  @Option(help: "The platform through nginx, e.g. http://127.0.0.1:8443.") var platform: String
  @Option(help: "A URL where nginx accepts a PUT body and discards it (the reference).")
  var sink: String?
  @Option(help: "How many bidders.") var bidders = 2_000
  @Option(help: "Each sealed bid's size in MiB.") var mib = 10
  @Option(help: "Uploads in flight at once.") var concurrency = 128
  @Option(help: "A directory for the sealed bids (bidders × MiB of space).") var work: String
  @Option(help: "The platform's server processes, whose peak memory is reported.")
  var serverPid: [Int32] = []

  func validate() throws {
    guard (1...100_000).contains(bidders), (1...1024).contains(mib),
      (1...4096).contains(concurrency)
    else { throw ValidationError("--bidders 1…100000, --mib 1…1024, --concurrency 1…4096") }
  }

  func run() async throws {
    let api = BidderClient.apiBase(platform)
    let started = monotonicSeconds()
    let setup = try await BurstSetup.make(
      api: api, bidders: bidders, mib: mib, work: work)
    print(
      "bench burst: \(bidders) bidders × \(mib) MiB sealed and signed in "
        + "(\(String(format: "%.0f", monotonicSeconds() - started)) s of setup, not timed)")

    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
    configuration.timeout = .init(connect: .seconds(10), read: .seconds(600))
    let client = HTTPClient(
      eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)

    do {
      try await measure(setup, api: api, client: client)
    } catch {
      try? await client.shutdown()
      throw error
    }
    try await client.shutdown()
  }

  private func measure(_ setup: BurstSetup, api: String, client: HTTPClient) async throws {
    let burst = try await BurstRun.upload(
      setup, to: api, with: client, concurrency: concurrency)
    let bytes = Double(setup.bytes)
    print(
      String(
        format:
          "burst: %d of %d bids received with a valid receipt in %.1f s — %.1f bids/s, %.0f MB/s; "
          + "upload p50 %.2f s, p99 %.2f s; %d refused or lost",
        burst.valid, bidders, burst.seconds, Double(burst.valid) / burst.seconds,
        bytes / burst.seconds / 1e6, burst.percentile(0.5), burst.percentile(0.99),
        bidders - burst.valid))
    for problem in burst.problems.prefix(5) { print("  \(problem)") }
    for pid in serverPid {
      print(
        "server \(pid): peak resident memory \(Self.peakMemory(of: pid).map { "\($0 >> 20) MiB" } ?? "unknown")"
      )
    }
    if let sink {
      let reference = try await BurstRun.sink(
        setup, to: sink, with: client, concurrency: concurrency)
      print(
        String(
          format: "reference: nginx took the same %d bodies in %.1f s — %.0f MB/s; ratio %.2f",
          bidders, reference, bytes / reference / 1e6, reference / burst.seconds))
    }
    guard burst.valid == bidders else { throw ExitStatus.refused }
  }

  /// VmHWM of `pid` (its peak resident memory), in bytes.
  static func peakMemory(of pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kib * 1024
  }
}

/// The section and the bidders of a burst, made through the platform's API before the clock
/// starts: a tenderer publishes a section with two generated key holders; each bidder
/// registers with its own signing key, signs in, and seals.
struct BurstSetup: Sendable {
  struct Bidder: Sendable {
    let code: String
    let token: String
    let envelope: String
    let envelopeHash: String
  }

  let section: String
  let bidders: [Bidder]
  let bytes: Int64
  let logKey: String

  static let password = "burst-bench-1"

  static func make(api: String, bidders count: Int, mib: Int, work: String) async throws
    -> BurstSetup
  {
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let client = PlatformClient(base: api)
    let section = "BURST-\(getpid())"
    let tendererCode = CreditCode.completing(
      "12350100MB\(String(format: "%07d", Int(getpid()) % 10_000_000))")!
      .value
    try await client.json(
      "POST", "/accounts",
      [
        "id": .string("burst-tenderer-\(getpid())"), "password": .string(password),
        "role": "tenderer", "name": "基准测试招标人", "creditCode": .string(tendererCode),
      ])
    let tenderer = try await client.signedIn(
      as: "burst-tenderer-\(getpid())", password: password)
    try await tenderer.json(
      "POST", "/sections",
      [
        "sectionID": .string(section), "name": "投标截止高峰基准 标段", "estimateFen": 1_000_000_000,
        "bidBondFen": 0, "procedure": "open", "evaluationMethod": "lowestEvaluatedPrice",
        "industry": "住建", "region": "350100", "stateFunded": true, "project": "投标截止高峰基准",
      ])
    try await tenderer.upload(
      "PUT", "/sections/\(section)/documents/tender-documents.pdf", Data("招标文件".utf8))
    let today = LegalDate(instant: Int64(Date().timeIntervalSince1970))
    let deadline = today.adding(days: 30).startInstant + 9 * 3600 + 1800
    let holders = try (1...2).map {
      try PrivateKeyFile.generate(id: "holder-\($0)", suite: .standard)
    }
    try await tenderer.json(
      "POST", "/sections/\(section)/publication",
      [
        "saleEndsAt": .string(isoDate(today.adding(days: 8).startInstant + 17 * 3600)),
        "bidDeadline": .string(isoDate(deadline)),
        "keyHolders": .array(
          holders.map {
            [
              "name": .string($0.id), "suite": "standard",
              "sealingKey": .string(
                Data($0.sealing.publicKey.rawRepresentation).base64EncodedString()),
            ]
          }), "threshold": 2,
      ])
    let notice = try await BidderClient(platform: api).notice(of: section)
    let logKey = try await BidderClient(platform: api).identity().logKey

    // One plaintext for every bid: the platform's work does not depend on it.
    let plaintext = work + "/plaintext"
    guard let random = FileHandle(forReadingAtPath: "/dev/urandom") else {
      throw CommandFailure(
        english: "cannot read /dev/urandom", chinese: "无法读取随机数", code: .validationFailure)
    }
    defer { try? random.close() }
    var sink = try AtomicFileSink(path: plaintext)
    for _ in 0..<(mib * 16) {
      try sink.write(Array(try random.read(upToCount: 65_536) ?? Data()))
    }
    try sink.commit()

    let made = try await withThrowingTaskGroup(of: Bidder.self) { group in
      var made: [Bidder] = []
      for index in 0..<count {
        if index >= 4 { made.append(try await group.next()!) }
        group.addTask {
          try await Self.bidder(
            index, api: api, notice: notice, plaintext: plaintext, work: work)
        }
      }
      for try await bidder in group { made.append(bidder) }
      return made
    }
    let size = try FileManager.default.attributesOfItem(atPath: made[0].envelope)[.size] as? Int64
    return BurstSetup(
      section: section, bidders: made, bytes: (size ?? 0) * Int64(count), logKey: logKey)
  }

  private static func bidder(
    _ index: Int, api: String, notice: SectionNotice, plaintext: String, work: String
  ) async throws -> Bidder {
    let code = CreditCode.completing("91350100MA\(String(format: "%07d", index))")!.value
    let key = try SigningKey.generate(.ed25519)
    let client = PlatformClient(base: api)
    try await client.json(
      "POST", "/accounts",
      [
        "id": .string("burst-\(code)"), "password": .string(password), "role": "bidder",
        "name": .string("基准投标人\(index + 1)"), "creditCode": .string(code),
        "signingKey": .string(Data(key.verifyingKey.rawRepresentation).base64EncodedString()),
        "signatureAlgorithm": "ed25519",
      ])
    let signedIn = try await client.signedIn(as: "burst-\(code)", password: password)
    let envelope = work + "/\(code).sealed"
    let hash = try BidSealing.seal(
      plaintext, to: envelope, request: try BidSealing.request(from: notice, bidder: code),
      signer: key, raw: true)
    return Bidder(code: code, token: signedIn.token ?? "", envelope: envelope, envelopeHash: hash)
  }

  private static func isoDate(_ seconds: Int64) -> String {
    Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
  }
}

/// The timed part: every bid uploaded, `concurrency` at a time, each receipt checked.
struct BurstRun {
  var seconds: Double
  var latencies: [Double]
  var problems: [String]
  var valid: Int { latencies.count }

  func percentile(_ p: Double) -> Double {
    guard !latencies.isEmpty else { return 0 }
    let sorted = latencies.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
  }

  static func upload(
    _ setup: BurstSetup, to api: String, with client: HTTPClient, concurrency: Int
  ) async throws -> BurstRun {
    let verifier = try NoteVerifier(verifierKey: setup.logKey)
    let start = monotonicSeconds()
    var run = BurstRun(seconds: 0, latencies: [], problems: [])
    try await withThrowingTaskGroup(of: Result<Double, BurstFailure>.self) { group in
      var next = 0
      func collect(_ result: Result<Double, BurstFailure>) {
        switch result {
        case .success(let latency): run.latencies.append(latency)
        case .failure(let failure): run.problems.append(failure.description)
        }
      }
      for bidder in setup.bidders {
        if next >= concurrency, let done = try await group.next() { collect(done) }
        next += 1
        group.addTask {
          let began = monotonicSeconds()
          do {
            let url = "\(api)/sections/\(setup.section)/bids/\(bidder.code)"
            let answer = try await put(bidder.envelope, to: url, token: bidder.token, client)
            guard answer.status == 201 else {
              return .failure(
                BurstFailure(bidder: bidder.code, why: "\(answer.status) \(answer.text)"))
            }
            try check(answer.body, of: bidder, with: verifier)
            return .success(monotonicSeconds() - began)
          } catch let failure as BurstFailure {
            return .failure(failure)
          } catch {
            return .failure(BurstFailure(bidder: bidder.code, why: "\(error)"))
          }
        }
      }
      for try await done in group { collect(done) }
    }
    run.seconds = monotonicSeconds() - start
    return run
  }

  /// The same bodies PUT where nginx takes and discards them; seconds for all.
  static func sink(
    _ setup: BurstSetup, to url: String, with client: HTTPClient, concurrency: Int
  ) async throws -> Double {
    let start = monotonicSeconds()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for (index, bidder) in setup.bidders.enumerated() {
        if index >= concurrency { try await group.next() }
        group.addTask {
          let answer = try await put(bidder.envelope, to: url, token: "", client)
          guard (200..<300).contains(answer.status) else {
            throw BurstFailure(bidder: bidder.code, why: "the sink answered \(answer.status)")
          }
        }
      }
      try await group.waitForAll()
    }
    return monotonicSeconds() - start
  }

  private static func put(_ path: String, to url: String, token: String, _ client: HTTPClient)
    async throws -> (status: Int, body: ByteBuffer, text: String)
  {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw BurstFailure(bidder: path, why: "cannot read the sealed bid")
    }
    var request = HTTPClientRequest(url: url)
    request.method = .PUT
    request.headers.add(name: "content-type", value: "application/octet-stream")
    if !token.isEmpty { request.headers.add(name: "authorization", value: "Bearer \(token)") }
    request.body = .bytes(ByteBuffer(data: data))
    let response = try await client.execute(request, timeout: .seconds(600))
    let body = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), body, String(buffer: body).prefix(300).description)
  }

  /// The receipt proves the bid is in the platform's log (signed checkpoint, inclusion proof)
  /// and names the envelope this bidder sealed.
  private static func check(
    _ body: ByteBuffer, of bidder: BurstSetup.Bidder, with verifier: NoteVerifier
  )
    throws
  {
    struct View: Decodable {
      let version: Int
      let checkpoint: String
      let index: UInt64
      let entry: Data
      let proof: [String]
    }
    let view = try JSONDecoder().decode(View.self, from: Data(buffer: body))
    var receipt = Receipt(
      checkpoint: view.checkpoint, index: view.index, entry: Array(view.entry), proof: [])
    receipt.version = view.version
    receipt.proof = view.proof
    do {
      _ = try receipt.verify(with: verifier)
    } catch {
      throw BurstFailure(bidder: bidder.code, why: "receipt: \(error)")
    }
    guard String(decoding: view.entry, as: UTF8.self).contains(bidder.envelopeHash) else {
      throw BurstFailure(bidder: bidder.code, why: "the receipt names another envelope")
    }
  }
}

/// One bid of the burst that did not end with a valid receipt.
struct BurstFailure: Error, CustomStringConvertible {
  let bidder: String
  let why: String
  var description: String { "\(bidder): \(why)" }
}
