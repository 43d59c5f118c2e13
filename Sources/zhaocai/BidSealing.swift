import ArgumentParser
import Foundation
import TradingClient
import ZhaocaiCrypto
import ZhaocaiDomain

/// Sealing a bid bundle as `bid seal` and `bid submit` both do: the bundle checked against the
/// section and bidder first, then sealed to the holders and opening time, atomically.
enum BidSealing {
  /// The request for a section as its notice on the platform states it; refused when the
  /// section is not taking bids, since the platform would refuse the upload anyway.
  static func request(from notice: SectionNotice, bidder: String) throws -> SealingRequest {
    guard notice.phase == "bidding", let openingTime = notice.openingTime else {
      throw CommandFailure(
        english:
          "section \(notice.sectionID) is not taking bids (phase \(notice.phase)): nothing to seal for",
        chinese: "标段 \(notice.sectionID) 当前不接受投标（阶段：\(notice.phase)）", code: ExitStatus.refused)
    }
    return SealingRequest(
      sectionID: notice.sectionID, bidderID: bidder, openingTime: openingTime,
      holders: notice.holders, threshold: notice.threshold)
  }

  /// Seals the file at `input` into `output` and returns the envelope hash (`sha256:HEX`);
  /// unless `raw`, only a bid bundle of this section and bidder. Nothing is left at `output`
  /// when anything fails.
  static func seal(
    _ input: String, to output: String, request: SealingRequest, signer: SigningKey,
    raw: Bool = false
  ) throws -> String {
    if !raw {
      try checkBundle(at: input, section: request.sectionID, bidder: request.bidderID)
    }
    var source = try FileSource(path: input)
    var sink = try AtomicFileSink(path: output)
    do {
      let summary = try EnvelopeSealer.seal(&source, to: &sink, request: request, signer: signer)
      try sink.commit()
      return "\(summary.header.suite.hashFunction):\(summary.envelopeHash.hex)"
    } catch {
      sink.discard()
      throw error
    }
  }

  /// Whether the file at `path` starts as a bid bundle does (else it may be an envelope).
  static func isBundle(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    let prefix = Array((try? handle.read(upToCount: BidBundleLayout.magic.count)) ?? Data())
    return prefix == BidBundleLayout.magic
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
          "\(path) is not a bid bundle: make one with `zhaocai bid bundle --section … --price … --file …` and seal that (docs/BID-BUNDLE.md)",
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
