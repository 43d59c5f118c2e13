import ArgumentParser
import Foundation
import TradingClient
import ZhaocaiCrypto
import ZhaocaiDomain

/// `zhaocai bid`: seal a bid on the bidder's machine, verify it, open it with holder keys.
struct Bid: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Seal, verify and open bid envelopes (docs/ENVELOPE.md).",
    subcommands: [
      BundleCommand.self, Seal.self, Submit.self, Status.self, Withdraw.self, Verify.self,
      Open.self, UnbundleCommand.self,
    ])

  struct Seal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Encrypt a bid for a section so only k of its key holders together can open it.",
      discussion: "Takes the key holders, the threshold and the opening time from the section's "
        + "notice on the platform (--platform, or the platform of `zhaocai bidder sign-in`), or "
        + "from --holder files and --opening-time. Prints the envelope hash (what the "
        + "platform's receipt will name).\n\n" + ExitStatus.help
        + "\n  69  the platform cannot be reached")

    @Option(help: "The section (标段) id from the tender notice.") var section: String
    @Option(
      help: "The trading platform whose notice to seal to, e.g. http://127.0.0.1:8080.")
    var platform: String?
    @Option(
      help:
        "Without a platform: the opening time, ISO 8601 with zone, e.g. 2026-12-15T09:00:00+08:00."
    )
    var openingTime: String?
    @Option(help: "Without a platform: a key holder's .pub file, repeated, in the notice's order.")
    var holder: [String] = []
    @Option(help: "Without a platform: how many holders must join to open (2 ≤ k ≤ holders).")
    var threshold = 2
    @Option(help: "The bidder's .key file (default: the signed-in session's).") var signer: String?
    @Option(help: "The bidder's id in the envelope (default: the session's or the key's id).")
    var bidder: String?
    @Option(help: "The session of `zhaocai bidder sign-in` (see its --help).") var session: String?
    @Option(help: "The bid bundle to seal (made by `zhaocai bid bundle`).") var `in`: String
    @Option(help: "Where to write the envelope.") var out: String
    @Flag(help: "Seal any bytes, not only a bid bundle (for tests of the envelope alone).")
    var raw = false

    func validate() throws {
      guard holder.isEmpty == (openingTime == nil) else {
        throw ValidationError("give --holder files with --opening-time, or neither (the notice)")
      }
    }

    func run() async throws {
      var address = platform ?? "the platform"
      do {
        let kept =
          signer == nil || (holder.isEmpty && platform == nil)
          ? try BidderSession.current(session) : nil
        let keys = try PrivateKeyFile(text: readText(signer ?? kept!.key))
        let bidderID = bidder ?? kept?.creditCode ?? keys.id
        let request: SealingRequest
        if let openingTime {
          request = SealingRequest(
            sectionID: section, bidderID: bidderID,
            openingTime: try parseOpeningTime(openingTime),
            holders: try holder.map { try PublicKeyFile(text: readText($0)).sealing },
            threshold: threshold)
        } else {
          let client =
            platform.map { BidderClient(platform: $0) } ?? kept!.client
          address = client.platform
          request = try BidSealing.request(
            from: try await client.notice(of: section), bidder: bidderID)
        }
        print(
          try BidSealing.seal(self.in, to: out, request: request, signer: keys.signing, raw: raw))
      } catch {
        throw ExitStatus.fail(bidderFailure(error, platform: address))
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
