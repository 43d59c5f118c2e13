import ArgumentParser
import Foundation
import HubClient
import TradingClient
import ZhaocaiCrypto
import ZhaocaiDomain

extension Bid {
  /// `zhaocai bid submit`: seal (if needed), upload, keep and check the receipt, in one step.
  struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Seal a bid bundle to the section's notice, upload it and check the receipt.",
      discussion: "Needs `zhaocai bidder sign-in` first. Reads the key holders, threshold and "
        + "opening time from the section's notice, checks the bundle is of that section and "
        + "the signed-in bidder, seals it on this machine, uploads it, saves the receipt and "
        + "checks it: the checkpoint signed with the platform's log key as registered at the "
        + "hub, the bid's entry in that log, naming this envelope. An envelope already sealed "
        + "(by `bid seal`) is uploaded as it is, after the same checks. A second submission "
        + "replaces the first until the deadline.\n\n" + Bidder.exitHelp)

    @Option(help: "The section (标段) id.") var section: String
    @Option(help: "The bid bundle (from `zhaocai bid bundle`), or an envelope from `bid seal`.")
    var `in`: String
    @Option(help: "Where to keep the sealed envelope (default: beside --in, .sealed).")
    var envelope: String?
    @Option(help: "Where to save the receipt (default: beside --in, .receipt.json).")
    var receipt: String?
    @Option(help: "The session of `zhaocai bidder sign-in`.") var session: String?

    func run() async throws {
      try await BidderSession.acting(session) { kept in
        let keys = try kept.keys()
        let client = kept.client
        let notice = try await client.notice(of: section)
        let request = try BidSealing.request(from: notice, bidder: kept.creditCode)
        let stem = URL(fileURLWithPath: self.in).deletingPathExtension().path
        let sealed: String
        let envelopeHash: String
        if BidSealing.isBundle(self.in) {
          sealed = envelope ?? stem + ".sealed"
          envelopeHash = try BidSealing.seal(
            self.in, to: sealed, request: request, signer: keys.signing)
        } else {
          sealed = self.in
          envelopeHash = try Self.checkEnvelope(
            at: sealed, request: request, signer: keys.signing.verifyingKey)
        }
        let answer = try await client.submit(
          envelopeAt: sealed, section: section, bidder: kept.creditCode)
        let receiptPath = receipt ?? stem + ".receipt.json"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Kept before it is checked: a receipt that fails the check is evidence too.
        try writeFile(try encoder.encode(answer), to: receiptPath, mode: 0o644)
        let (checkpoint, keySource) = try await Self.verify(
          answer, envelopeHash: envelopeHash, client: client)
        print(
          "bid received: section \(section), envelope \(envelopeHash), log entry \(answer.index) "
            + "of \(checkpoint.size) (\(checkpoint.origin))")
        print("receipt saved to \(receiptPath), verified with \(keySource)")
        if let previous = notice.myBid {
          print("it replaces your bid \(previous.envelopeHash) (version \(previous.version))")
        }
      }
    }

    /// An envelope given as it is must be for this section, opening time and bidder, signed
    /// with the signed-in bidder's key; its hash.
    static func checkEnvelope(at path: String, request: SealingRequest, signer: VerifyingKey)
      throws -> String
    {
      var reader: EnvelopeReader<FileSource>
      do {
        reader = try EnvelopeReader(FileSource(path: path))
      } catch EnvelopeError.io(let why) {
        throw EnvelopeError.io(why)
      } catch {
        throw CommandFailure(
          english:
            "\(path) is neither a bid bundle nor an envelope: make a bundle with `zhaocai bid bundle` (docs/BID-BUNDLE.md)",
          chinese: "\(path) 既不是投标文件包也不是加密投标文件：请先用 `zhaocai bid bundle` 生成投标文件包",
          code: ExitStatus.refused)
      }
      try reader.check(
        EnvelopeExpectations(
          sectionID: request.sectionID, openingTime: request.openingTime, signer: signer))
      guard reader.header.bidderID == request.bidderID else {
        throw CommandFailure(
          english:
            "the envelope is sealed for bidder \(reader.header.bidderID), not \(request.bidderID)",
          chinese: "加密投标文件的投标人与登录的投标人不一致", code: ExitStatus.refused)
      }
      let summary = try reader.verify()
      return "\(summary.header.suite.hashFunction):\(summary.envelopeHash.hex)"
    }

    /// Checks the receipt with the platform's log key as the hub registered it (the platform's
    /// own statement of its key only when it names no hub), and that its entry names the bid.
    static func verify(_ receipt: Receipt, envelopeHash: String, client: BidderClient)
      async throws -> (Checkpoint, String)
    {
      let identity = try await client.identity()
      var key = identity.logKey
      var source = "the log key the platform states (it names no hub)"
      if let hub = identity.hub, let platformID = identity.platformID {
        let registered = try await HubConnection(hub).platforms().first { $0.id == platformID }
        guard let hubKey = registered?.logVerifierKey else {
          throw CommandFailure(
            english:
              "the hub at \(hub) lists no log key for \(platformID): the receipt cannot be checked; it is kept",
            chinese: "公共服务平台未登记该交易平台的日志密钥，无法校验回执（回执已保存）", code: ExitStatus.refused)
        }
        guard hubKey == identity.logKey else {
          throw CommandFailure(
            english:
              "the platform's log key differs from the one registered at the hub: do not trust this receipt; it is kept",
            chinese: "交易平台的日志密钥与公共服务平台登记的不一致，回执不可信（已保存）", code: ExitStatus.refused)
        }
        key = hubKey
        source = "the log key registered at the hub (\(platformID))"
      }
      do {
        let checkpoint = try receipt.verify(with: try NoteVerifier(verifierKey: key))
        guard String(decoding: receipt.entry, as: UTF8.self).contains(envelopeHash) else {
          throw CommandFailure(
            english: "the receipt's log entry does not name envelope \(envelopeHash)",
            chinese: "回执记录的投标文件哈希与所交投标文件不符", code: ExitStatus.refused)
        }
        return (checkpoint, source)
      } catch let failure as Receipt.Failure {
        throw CommandFailure(
          english: "the receipt does not verify: \(failure.description); it is kept",
          chinese: "回执校验失败（回执已保存）", code: ExitStatus.refused)
      }
    }
  }

  /// `zhaocai bid status`: where the signed-in bidder's bids stand.
  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show the signed-in bidder's bids, or one section's bid and its opening.",
      discussion: Bidder.exitHelp)

    @Option(help: "One section: its phase, your bid, and after the opening its outcome.")
    var section: String?
    @Option(help: "The session of `zhaocai bidder sign-in`.") var session: String?

    func run() async throws {
      try await BidderSession.acting(session) { kept in
        let client = kept.client
        guard let section else {
          let sections = try await client.myBids()
          if sections.isEmpty { print("no bids at \(kept.platform) (没有投标)") }
          for row in sections {
            print(
              "\(row.sectionID)\t\(row.phase)\t"
                + "deadline \(row.bidDeadline.map(Self.time) ?? "—")\t"
                + "\(row.myBid ?? "—")\t\(row.name)")
          }
          return
        }
        let notice = try await client.notice(of: section)
        print("section \(notice.sectionID) \(notice.name): \(notice.phase)")
        if let opening = notice.openingTime {
          print("deadline and opening: \(Self.time(Date(timeIntervalSince1970: Double(opening))))")
        }
        if let bid = notice.myBid {
          print(
            "your bid: \(bid.envelopeHash), version \(bid.version), received "
              + Self.time(bid.receivedAt))
        } else if ["draft", "bidding"].contains(notice.phase) {
          print("your bid: none yet (尚未投标)")
        }
        guard !["draft", "bidding"].contains(notice.phase) else { return }
        let record: [SectionNotice.Outcome]
        do {
          record = try await client.openingRecord(of: section)
        } catch let refusal as BidderClient.Refusal where notice.phase == "opening" {
          // The opening has begun and its record is not yet published.
          print("at the opening: the record is not yet published (\(refusal.code))")
          return
        }
        guard let mine = record.first(where: { $0.bidder == kept.creditCode }) else {
          print("at the opening: no bid of yours was opened (开标记录中无贵单位投标)")
          return
        }
        print("at the opening: \(Self.outcome(mine))")
      }
    }

    static func outcome(_ line: SectionNotice.Outcome) -> String {
      switch line.outcome {
      case "opened":
        "opened (已开启), price \(line.priceFen.map { Money(fen: $0).description } ?? "—"), "
          + "bid key \(line.bidKey ?? "—") (re-verify with `zhaocai bid open --bid-key`)"
      case "revoked":
        "could not be opened and counts as revoked by the bidder (视为撤销投标, 办法31)"
      case "withdrawn":
        "could not be opened through no fault of the bidder and counts as withdrawn (视为撤回, 办法31)"
      default: line.outcome
      }
    }

    static func time(_ date: Date) -> String {
      let formatter = ISO8601DateFormatter()
      formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
      return formatter.string(from: date)
    }
  }

  /// `zhaocai bid withdraw`: takes the bid back before the deadline.
  struct Withdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Withdraw the signed-in bidder's bid before the deadline (撤回).",
      discussion: Bidder.exitHelp)

    @Option(help: "The section (标段) id.") var section: String
    @Option(help: "The session of `zhaocai bidder sign-in`.") var session: String?

    func run() async throws {
      try await BidderSession.acting(session) { kept in
        try await kept.client.withdraw(section: section, bidder: kept.creditCode)
        print("bid withdrawn from section \(section)")
      }
    }
  }
}
