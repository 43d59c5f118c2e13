import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import ZhaocaiCrypto

/// `zhaocai bench`: end-to-end benchmarks, each judged against a reference measured in the
/// same run (docs/PERFORMANCE.md).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure opening, the log, the hub and OCDS compiling against references.",
    subcommands: [
      OpeningBench.self, LogBench.self, HubBench.self, OCDSBench.self, ScreenBench.self,
      RedFlagBench.self, BurstBench.self,
    ])
}

struct OpeningBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "opening",
    abstract: "Seal N bids, then time decrypting and verifying all of them on every core.")

  @Option(help: "How many bids.") var bids = 64
  @Option(help: "Bytes per bid.") var size = 4 * 1_048_576
  @Option(help: "standard or sm.") var suite = "standard"
  @Option(help: "Seconds for each reference measurement.") var referenceSeconds = 1.0
  @Option(help: "Times to open all bids; the median round is reported.") var rounds = 5
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
    guard bids > 0, size >= 0, let cipherSuite = CipherSuite(name: suite) else {
      throw ValidationError("--bids must be positive, --size non-negative, --suite standard or sm")
    }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("zhaocai-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    let holders = try (0..<3).map {
      try PrivateKeyFile.generate(id: "holder\($0)", suite: cipherSuite)
    }
    let bidder = try PrivateKeyFile.generate(id: "bidder", suite: cipherSuite)
    let request = SealingRequest(
      sectionID: "BENCH-1", bidderID: bidder.id, openingTime: 1_795_651_200,
      holders: holders.map(\.sealing.publicKey))
    let paths = (0..<bids).map { directory.appendingPathComponent("bid\($0).sealed").path }
    let size = self.size

    try forEachInParallel(paths.count) { index in
      var input = PatternSource(count: size, seed: UInt8(truncatingIfNeeded: index))
      var output = try AtomicFileSink(path: paths[index])
      _ = try EnvelopeSealer.seal(&input, to: &output, request: request, signer: bidder.signing)
      try output.commit()
    }

    let openers = [holders[0].sealing, holders[2].sealing]
    var roundSeconds: [Double] = []
    for _ in 0..<rounds {
      let start = monotonicSeconds()
      try forEachInParallel(paths.count) { index in
        var reader = try EnvelopeReader(FileSource(path: paths[index]))
        let key = try reader.header.contentKey(
          from: openers.map { try reader.header.share(using: $0) })
        var sink = DiscardSink()
        let summary = try reader.open(contentKey: key, into: &sink)
        guard sink.count == size, summary.plaintextLength == size else {
          throw EnvelopeError.io("bid \(index) opened to \(sink.count) bytes, not \(size)")
        }
      }
      roundSeconds.append(monotonicSeconds() - start)
    }
    roundSeconds.sort()
    let seconds = roundSeconds[roundSeconds.count / 2]
    let peak = peakResidentMemory()

    let aes = ReferenceThroughput.aes256GCM(seconds: referenceSeconds)
    let sha = ReferenceThroughput.sha256(seconds: referenceSeconds)
    let limit = 1 / (1 / aes + 1 / sha)
    let throughput = Double(bids * size) / seconds
    let result: [String: any Sendable] = [
      "bids": bids, "bytesPerBid": size, "suite": cipherSuite.description,
      "cores": ProcessInfo.processInfo.activeProcessorCount, "seconds": seconds,
      "throughputMBps": throughput / 1e6, "referenceAES256GCMMBps": aes / 1e6,
      "referenceSHA256MBps": sha / 1e6, "singleCoreLimitMBps": limit / 1e6,
      "ratioToLimit": throughput / limit, "peakMemoryMiB": Double(peak) / 1_048_576,
      "rounds": rounds, "fastestRoundSeconds": roundSeconds.first!,
      "slowestRoundSeconds": roundSeconds.last!,
      "openssl": ReferenceThroughput.openSSLVersion,
    ]
    if json {
      printJSON(result)
    } else {
      print(
        """
        opening: \(bids) bid(s) × \(size) bytes, \(cipherSuite) suite, \(result["cores"]!) cores
          opened (decrypt + verify) in \(format(seconds, 3)) s (median of \(rounds) rounds, \
        \(format(roundSeconds.first!, 3))–\(format(roundSeconds.last!, 3)) s): \(format(throughput / 1e6, 1)) MB/s
          single-core limit (\(ReferenceThroughput.openSSLVersion), 16 KiB blocks): AES-256-GCM \
        \(format(aes / 1e6, 1)) MB/s, SHA-256 \(format(sha / 1e6, 1)) MB/s → \(format(limit / 1e6, 1)) MB/s
          ratio to the limit: \(format(throughput / limit, 2))
          peak memory: \(format(Double(peak) / 1_048_576, 1)) MiB
        """)
    }
  }
}

struct LogBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "Append N leaves to an in-memory Merkle log, then time proofs at that size.")

  @Option(help: "How many leaves.") var leaves = 10_000_000
  @Option(help: "How many inclusion and consistency proofs to time.") var proofs = 2_000
  @Option(help: "Seconds for the reference measurement.") var referenceSeconds = 1.0
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    guard leaves > 1, proofs > 0 else { throw ValidationError("--leaves > 1, --proofs > 0") }
    var store = InMemoryNodeStore()
    store.reserve(leaves: leaves)
    var log = MerkleLog(store: store)
    var entry = [UInt8](repeating: 0, count: 64)
    let appendStart = monotonicSeconds()
    for i in 0..<leaves {
      withUnsafeBytes(of: UInt64(i).bigEndian) { entry.replaceSubrange(0..<8, with: $0) }
      try log.append(entry)
    }
    let appendSeconds = monotonicSeconds() - appendStart
    let root = try log.root()

    var generator = SystemRandomNumberGenerator()
    var inclusion: [Double] = []
    var consistency: [Double] = []
    for _ in 0..<proofs {
      let index = UInt64.random(in: 0..<UInt64(leaves), using: &generator)
      var t = monotonicSeconds()
      let path = try log.inclusionProof(index: index)
      inclusion.append(monotonicSeconds() - t)
      withUnsafeBytes(of: index.bigEndian) { entry.replaceSubrange(0..<8, with: $0) }
      try MerkleProof.verifyInclusion(
        leaf: TreeHash.leaf(entry), index: index, treeSize: UInt64(leaves), proof: path, root: root)

      let old = UInt64.random(in: 1..<UInt64(leaves), using: &generator)
      t = monotonicSeconds()
      let proof = try log.consistencyProof(from: old)
      let oldRoot = try log.root(size: old)
      consistency.append(monotonicSeconds() - t)
      try MerkleProof.verifyConsistency(
        oldSize: old, newSize: UInt64(leaves), oldRoot: oldRoot, newRoot: root, proof: proof)
    }
    // An append costs one leaf hash and, on average, one node hash.
    let hashesPerSecond = ReferenceThroughput.sha256Calls(blockSize: 65, seconds: referenceSeconds)
    let appendRate = Double(leaves) / appendSeconds
    let result: [String: any Sendable] = [
      "leaves": leaves, "appendSeconds": appendSeconds, "appendsPerSecond": appendRate,
      "referenceSHA256CallsPerSecond": hashesPerSecond,
      "appendRatioToReference": appendRate / (hashesPerSecond / 2),
      "inclusionProofP50Ms": percentile(inclusion, 0.5) * 1000,
      "inclusionProofP99Ms": percentile(inclusion, 0.99) * 1000,
      "consistencyProofP50Ms": percentile(consistency, 0.5) * 1000,
      "consistencyProofP99Ms": percentile(consistency, 0.99) * 1000,
      "peakMemoryMiB": Double(peakResidentMemory()) / 1_048_576,
    ]
    if json {
      printJSON(result)
    } else {
      print(
        """
        log: \(leaves) leaves appended in \(format(appendSeconds, 2)) s: \(format(appendRate, 0)) leaves/s
          reference: OpenSSL SHA-256 of 65-byte nodes \(format(hashesPerSecond, 0))/s → \
        \(format(hashesPerSecond / 2, 0)) appends/s at 2 hashes each; ratio \
        \(format(appendRate / (hashesPerSecond / 2), 2))
          inclusion proof at size \(leaves): p50 \(format(percentile(inclusion, 0.5) * 1000, 4)) ms, \
        p99 \(format(percentile(inclusion, 0.99) * 1000, 4)) ms
          consistency proof + old root: p50 \(format(percentile(consistency, 0.5) * 1000, 4)) ms, \
        p99 \(format(percentile(consistency, 0.99) * 1000, 4)) ms
          peak memory: \(format(Double(peakResidentMemory()) / 1_048_576, 1)) MiB
        """)
    }
  }
}

/// Plaintext for benchmarks: `count` bytes of a fixed random-looking pattern.
struct PatternSource: ByteSource {
  private var remaining: Int
  private let pattern: [UInt8]

  init(count: Int, seed: UInt8) {
    remaining = count
    var state = UInt64(seed) &+ 0x9e37_79b9_7f4a_7c15
    pattern = (0..<65_536).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = min(buffer.count, remaining, pattern.count)
    pattern.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
    remaining -= n
    return n
  }
}

/// Runs `body` for 0..<count on every core; rethrows the first error.
func forEachInParallel(_ count: Int, _ body: @Sendable (Int) throws -> Void) throws {
  let failure = Mutex<(any Error)?>(nil)
  DispatchQueue.concurrentPerform(iterations: count) { index in
    do {
      try body(index)
    } catch {
      failure.withLock { if $0 == nil { $0 = error } }
    }
  }
  if let error = failure.withLock({ $0 }) { throw error }
}

private func percentile(_ values: [Double], _ p: Double) -> Double {
  let sorted = values.sorted()
  return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

private func format(_ value: Double, _ digits: Int) -> String {
  String(format: "%.\(digits)f", value)
}

private func printJSON(_ object: [String: any Sendable]) {
  let data = try! JSONSerialization.data(
    withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
  print(String(decoding: data, as: UTF8.self))
}
