import ArgumentParser
import Foundation
import ZhaocaiCrypto
import ZhaocaiDomain

/// `zhaocai bid bundle`: the manifest and the documents in one file, ready to seal.
struct BundleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bundle",
    abstract:
      "Pack a bid's opening items and its documents into a bid bundle (docs/BID-BUNDLE.md).",
    discussion: "Give the items as options (the bidder and its name come from the session of "
      + "`zhaocai bidder sign-in`, or --bidder and --bidder-name), or a whole manifest (JSON) "
      + "with --manifest. The tool adds each document's size and SHA-256, this machine's "
      + "fingerprint and its own name.\n\n" + ExitStatus.fileHelp)

  @Option(help: "A manifest (JSON) with every item, instead of the options below.")
  var manifest: String?
  @Option(help: "The section (标段) id.") var section: String?
  @Option(help: "The bid price in yuan, e.g. 2980000.00 (投标报价).") var price: String?
  @Option(help: "The construction or delivery period in days (工期).") var durationDays: Int?
  @Option(help: "The quality promised (质量).") var quality = "合格"
  @Option(help: "The warranty in months (质保期).") var warrantyMonths = 0
  @Option(help: "The project manager's registration number (项目经理).") var projectManager: String?
  @Option(help: "A key staff member's registration number; repeat for each.")
  var keyStaff: [String] = []
  @Option(
    name: .customLong("amendment"),
    help: "The number of a clarification or amendment the bid takes into account; repeat.")
  var acknowledgedAmendments: [Int] = []
  @Option(help: "The bidder's credit code (default: the signed-in session's).") var bidder: String?
  @Option(help: "The bidder's name (default: the signed-in session's).") var bidderName: String?
  @Option(help: "The session of `zhaocai bidder sign-in`.") var session: String?
  @Option(help: "A document of the bid; repeat for each.") var file: [String] = []
  @Option(help: "Where to write the bundle.") var out: String

  func validate() throws {
    if manifest == nil {
      guard section != nil, price != nil, durationDays != nil, projectManager != nil else {
        throw ValidationError(
          "give --section, --price, --duration-days and --project-manager (or --manifest)")
      }
    }
    guard !file.isEmpty else { throw ValidationError("give each document with --file") }
  }

  func run() throws {
    do {
      var parsed = try manifest.map(Self.read) ?? itemsFromOptions()
      _ = try PartyRules.checkCreditCode(parsed.bidderCreditCode)
      guard parsed.priceFen > 0, !parsed.sectionID.isEmpty else {
        throw ValidationError("the manifest needs a section and a positive price")
      }
      guard parsed.hasAnnounceableItems else {
        throw ValidationError(
          "the opening could not announce these items: a price up to ¥10 万亿, 1–36500 days, "
            + "0–1200 months of warranty, short texts without control characters")
      }
      parsed.documents = try file.map(Self.describe)
      parsed.deviceFingerprint = Self.deviceFingerprint()
      parsed.tool = "zhaocai bid bundle 1"
      guard Set(parsed.documents.map(\.name)).count == parsed.documents.count else {
        throw ValidationError("two documents have the same file name")
      }

      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      var output = try AtomicFileSink(path: out)
      do {
        try output.write(BidBundleLayout.prefix(manifestJSON: Array(try encoder.encode(parsed))))
        for (path, document) in zip(file, parsed.documents) {
          try output.write(BidBundleLayout.fileHeader(name: document.name, size: document.size))
          var source = try FileSource(path: path)
          try source.forEachChunk { try output.write($0) }
        }
        try output.commit()
      } catch {
        output.discard()
        throw error
      }
      print(out)
    } catch {
      throw ExitStatus.fail(error)
    }
  }

  static func read(_ path: String) throws -> BidManifest {
    do {
      return try JSONDecoder().decode(BidManifest.self, from: try readData(path))
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw ValidationError("\(path) is not a bid manifest: \(error)")
    }
  }

  /// The manifest from the options, the bidder from the session unless given.
  func itemsFromOptions() throws -> BidManifest {
    let kept = bidder == nil || bidderName == nil ? try BidderSession.load(session) : nil
    guard let fen = price.flatMap({ Money(yuanText: $0) })?.fen else {
      throw ValidationError("--price must be an amount in yuan, e.g. 2980000.00")
    }
    var manifest = BidManifest(
      sectionID: section ?? "", bidderCreditCode: bidder ?? kept?.creditCode ?? "",
      bidderName: bidderName ?? kept?.name ?? "", priceFen: fen, durationDays: durationDays ?? 0,
      quality: quality, warrantyMonths: warrantyMonths, projectManagerID: projectManager ?? "")
    manifest.keyStaff = keyStaff
    manifest.acknowledgedAmendments = acknowledgedAmendments
    return manifest
  }

  static func describe(_ path: String) throws -> BidManifest.Document {
    // The manifest comes first in a bundle, so each document is read once to describe it
    // and once more to copy it.
    var hasher = StreamingHash(.sha256)
    var size: Int64 = 0
    var source = try FileSource(path: path)
    try source.forEachChunk { chunk in
      hasher.update(chunk)
      size += Int64(chunk.count)
    }
    return BidManifest.Document(
      name: URL(fileURLWithPath: path).lastPathComponent, size: size, sha256: hasher.finalize().hex)
  }

  /// The preparing machine: SHA-256 of its machine id and host name (RULES.md, collusion sign 1).
  /// `ZHAOCAI_MACHINE_ID` stands in for the machine id where one machine plays several bidders'
  /// (the demo): a bidder can write any fingerprint anyway, so it is evidence, never proof.
  static func deviceFingerprint() -> String {
    let machine =
      ProcessInfo.processInfo.environment["ZHAOCAI_MACHINE_ID"]
      ?? (try? String(contentsOfFile: "/etc/machine-id", encoding: .utf8)) ?? ""
    let input =
      "zhaocai-device-v1\n" + machine.trimmingCharacters(in: .whitespacesAndNewlines)
      + "\n" + ProcessInfo.processInfo.hostName
    return "sha256:" + HashFunction.sha256.hash(Array(input.utf8)).hex
  }
}

/// `zhaocai bid unbundle`: unpacks an opened bid, checking every file against its manifest.
struct UnbundleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unbundle",
    abstract: "Unpack a bid bundle into a directory and print its manifest.",
    discussion: ExitStatus.fileHelp)

  @Option(help: "The bundle (an opened bid).") var `in`: String
  @Option(help: "The directory to write the documents into.") var out: String

  func run() throws {
    do {
      var reader = BundleReader(try FileSource(path: self.in))
      guard try reader.bytes(8) == BidBundleLayout.magic, try reader.bytes(1) == [1] else {
        throw refused("not a version 1 bid bundle")
      }
      let length = Int(try reader.integer(4))
      guard length <= BidBundleLayout.maximumManifestLength else {
        throw refused("manifest too long")
      }
      let manifestJSON = try reader.bytes(length)
      guard let manifest = try? JSONDecoder().decode(BidManifest.self, from: Data(manifestJSON)),
        manifest.format == BidManifest.format
      else {
        throw refused("the manifest is not valid JSON of format \(BidManifest.format)")
      }
      try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
      for document in manifest.documents {
        let name = String(decoding: try reader.bytes(Int(try reader.integer(2))), as: UTF8.self)
        let size = Int64(try reader.integer(8))
        guard name == document.name, size == document.size, Self.isSafe(name) else {
          throw refused("file '\(name)' does not match the manifest's '\(document.name)'")
        }
        let path = URL(fileURLWithPath: out).appendingPathComponent(name).path
        var sink = try AtomicFileSink(path: path)
        let digest = try reader.copy(size, into: &sink)
        guard digest == document.sha256 else {
          sink.discard()
          throw refused("'\(name)' does not match its SHA-256 in the manifest")
        }
        try sink.commit()
      }
      guard try reader.isAtEnd() else { throw refused("bytes follow the last document") }
      print(String(decoding: manifestJSON, as: UTF8.self))
    } catch {
      throw ExitStatus.fail(error)
    }
  }

  /// A bare file name: nothing that could write outside the target directory.
  static func isSafe(_ name: String) -> Bool {
    !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
  }

  private func refused(_ english: String) -> CommandFailure {
    CommandFailure(english: english, chinese: "投标文件包格式错误", code: ExitStatus.refused)
  }
}

/// Reads a bundle front to back with exact-length reads.
private struct BundleReader {
  var source: FileSource

  init(_ source: FileSource) { self.source = source }

  mutating func bytes(_ count: Int) throws -> [UInt8] {
    let out = try source.read(upTo: count)
    guard out.count == count else {
      throw CommandFailure(
        english: "the bundle is truncated", chinese: "投标文件包不完整", code: ExitStatus.refused)
    }
    return out
  }

  mutating func integer(_ count: Int) throws -> UInt64 {
    try bytes(count).reduce(0) { $0 << 8 | UInt64($1) }
  }

  /// Copies `count` bytes into `sink`; returns their hex SHA-256.
  mutating func copy<Sink: ByteSink>(_ count: Int64, into sink: inout Sink) throws -> String {
    var hasher = StreamingHash(.sha256)
    var remaining = count
    while remaining > 0 {
      let chunk = try bytes(Int(min(remaining, 65_536)))
      hasher.update(chunk)
      try sink.write(chunk)
      remaining -= Int64(chunk.count)
    }
    return hasher.finalize().hex
  }

  mutating func isAtEnd() throws -> Bool { try source.read(upTo: 1).isEmpty }
}
