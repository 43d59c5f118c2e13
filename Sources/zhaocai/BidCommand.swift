import ArgumentParser
import Foundation
import ZhaocaiCrypto
import ZhaocaiDomain

/// `zhaocai bid`: seal a bid on the bidder's machine, verify it, open it with holder keys.
struct Bid: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Seal, verify and open bid envelopes (docs/ENVELOPE.md).",
    subcommands: [BundleCommand.self, Seal.self, Verify.self, Open.self, UnbundleCommand.self])

  struct Seal: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Encrypt a bid for a section so only k of its key holders together can open it.",
      discussion: "Prints the envelope hash (what the platform's receipt will name).\n\n"
        + ExitStatus.help)

    @Option(help: "The section (标段) id from the tender notice.") var section: String
    @Option(
      help: "The opening time from the notice, ISO 8601 with zone, e.g. 2026-12-15T09:00:00+08:00.")
    var openingTime: String
    @Option(help: "A key holder's .pub file; repeat for each holder, in the notice's order.")
    var holder: [String] = []
    @Option(help: "How many holders must join to open (2 ≤ k ≤ holders).") var threshold = 2
    @Option(help: "The bidder's .key file.") var signer: String
    @Option(help: "The bidder's id in the envelope (default: the key file's id).") var bidder:
      String?
    @Option(help: "The bid bundle to seal (made by `zhaocai bid bundle`).") var `in`: String
    @Option(help: "Where to write the envelope.") var out: String
    @Flag(help: "Seal any bytes, not only a bid bundle (for tests of the envelope alone).")
    var raw = false

    func run() throws {
      do {
        let keys = try PrivateKeyFile(text: readText(signer))
        let holders = try holder.map { try PublicKeyFile(text: readText($0)).sealing }
        let bidderID = bidder ?? keys.id
        if !raw { try Self.checkBundle(at: self.in, section: section, bidder: bidderID) }
        let request = SealingRequest(
          sectionID: section, bidderID: bidderID,
          openingTime: try parseOpeningTime(openingTime), holders: holders, threshold: threshold)
        var input = try FileSource(path: self.in)
        var output = try AtomicFileSink(path: out)
        do {
          let summary = try EnvelopeSealer.seal(
            &input, to: &output, request: request, signer: keys.signing)
          try output.commit()
          print("\(summary.header.suite.hashFunction):\(summary.envelopeHash.hex)")
        } catch {
          output.discard()
          throw error
        }
      } catch {
        throw ExitStatus.fail(error)
      }
    }

    /// Refuses what would be accepted with a receipt and fail at the opening: a file that is
    /// not a bid bundle (a scan, a plain document, an archive), or a bundle made for another
    /// section or bidder, which would replace the bidder's valid bid with one that cannot open.
    static func checkBundle(at path: String, section: String, bidder: String) throws {
      let prefixLength = 13 + BidBundleLayout.maximumManifestLength
      guard let handle = FileHandle(forReadingAtPath: path) else {
        throw CommandFailure(
          english: "cannot read \(path)", chinese: "无法读取文件 \(path)", code: ExitStatus.fileProblem)
      }
      defer { try? handle.close() }
      let prefix = Array((try? handle.read(upToCount: prefixLength)) ?? Data())
      guard let manifest = BidBundleLayout.manifest(fromPrefix: prefix) else {
        throw CommandFailure(
          english:
            "\(path) is not a bid bundle: make one with `zhaocai bid bundle --manifest … --file …` and seal that (docs/BID-BUNDLE.md)",
          chinese: "\(path) 不是投标文件包：请先用 `zhaocai bid bundle` 生成投标文件包再加密（见 docs/BID-BUNDLE.md）",
          code: ExitStatus.refused)
      }
      guard manifest.sectionID == section else {
        throw CommandFailure(
          english:
            "the bundle is for section \(manifest.sectionID), not \(section): it would not open at this opening",
          chinese: "该投标文件包属于标段 \(manifest.sectionID)，不是 \(section)，开标时将无法开启",
          code: ExitStatus.refused)
      }
      guard manifest.bidderCreditCode == bidder else {
        throw CommandFailure(
          english:
            "the bundle names bidder \(manifest.bidderCreditCode), but the envelope is for \(bidder) (the key's id or --bidder)",
          chinese: "投标文件包中的投标人为 \(manifest.bidderCreditCode)，与加密所用投标人 \(bidder) 不一致",
          code: ExitStatus.refused)
      }
    }
  }

  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check an envelope's structure and its bidder's signature, without holder keys.",
      discussion: "Prints the envelope hash.\n\n" + ExitStatus.help)

    @Option(help: "The envelope.") var `in`: String
    @Option(help: "The bidder's .pub file: the envelope must be signed by this key.") var signer:
      String
    @Option(help: "Also require this section id.") var section: String?
    @Option(help: "Also require this opening time (ISO 8601).") var openingTime: String?

    func run() throws {
      do {
        let expected = try PublicKeyFile(text: readText(signer)).signing
        var reader = try EnvelopeReader(FileSource(path: self.in))
        try reader.check(
          EnvelopeExpectations(
            sectionID: section, openingTime: try openingTime.map(parseOpeningTime),
            signer: expected))
        let summary = try reader.verify()
        print("\(summary.header.suite.hashFunction):\(summary.envelopeHash.hex)")
        writeStandardError(describe(summary))
      } catch {
        throw ExitStatus.fail(error)
      }
    }
  }

  struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Decrypt an envelope with k holder keys (or a published bid key) and check it.",
      discussion: "Writes the bid to --out only if every segment and the signature check out.\n\n"
        + ExitStatus.help)

    @Option(help: "The envelope.") var `in`: String
    @Option(help: "A key holder's .key file; repeat until the threshold is met.")
    var holderKey: [String] = []
    @Option(help: "A bid key published in an opening record (hex), instead of holder keys.")
    var bidKey: String?
    @Option(help: "Require the envelope to be signed by this bidder's .pub file.") var signer:
      String?
    @Option(help: "Where to write the opened bid.") var out: String

    func run() throws {
      do {
        var reader = try EnvelopeReader(FileSource(path: self.in))
        if let signer {
          try reader.check(
            EnvelopeExpectations(signer: try PublicKeyFile(text: readText(signer)).signing))
        }
        let key: [UInt8]
        if let bidKey {
          guard let bytes = [UInt8](hex: bidKey) else {
            throw ValidationError("--bid-key must be 64 hexadecimal digits")
          }
          key = bytes
        } else {
          let shares = try holderKey.map { path in
            try reader.header.share(using: try PrivateKeyFile(text: readText(path)).sealing)
          }
          key = try reader.header.contentKey(from: shares)
        }
        var output = try AtomicFileSink(path: out)
        do {
          let summary = try reader.open(contentKey: key, into: &output)
          try output.commit()
          print("\(summary.header.suite.hashFunction):\(summary.envelopeHash.hex)")
          writeStandardError(describe(summary) + "; bid key \(key.hex)")
        } catch {
          output.discard()
          throw error
        }
      } catch {
        throw ExitStatus.fail(error)
      }
    }
  }
}

/// Parses an ISO 8601 time with its zone into whole seconds since 1970.
func parseOpeningTime(_ text: String) throws -> Int64 {
  let formatter = ISO8601DateFormatter()
  formatter.formatOptions = [.withInternetDateTime]
  guard let date = formatter.date(from: text) else {
    throw ValidationError(
      "opening time '\(text)' is not ISO 8601 with a zone, e.g. 2026-12-15T09:00:00+08:00")
  }
  return Int64(date.timeIntervalSince1970)
}

private func describe(_ summary: EnvelopeSummary) -> String {
  let header = summary.header
  let formatter = ISO8601DateFormatter()
  formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
  return "section \(header.sectionID), bidder \(header.bidderID), opening "
    + "\(formatter.string(from: header.openingDate)), \(header.threshold) of "
    + "\(header.holders.count) holders, \(header.suite) suite, \(summary.segmentCount) segment(s)"
}
