import Foundation
import ZhaocaiAnalytics
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore

/// The opening itself (办法30, 31): rebuild every bid key from the released shares, decrypt each
/// envelope, read its manifest and publish the record. Run by the scheduler once enough holders
/// have released, or asked for by the section's tenderer.
extension TradingPlatform {
  /// Opens every bid of the section and publishes the opening record; the section afterwards.
  public func runOpening(_ sectionID: String, by actor: Operator = .platform) async throws
    -> Section
  {
    let stored = try await store.transaction { try await SectionRepository.load(sectionID, on: $0) }
    guard let section = stored?.section else {
      throw DomainError.notFound("section \(sectionID)", chinese: "标段\(sectionID)")
    }
    // The rule a request to open comes too early (or too late) for, before any envelope is read.
    try section.checkCanOpen(at: clock.now())
    guard let threshold = section.schedule?.threshold else {
      throw DomainError.wrongPhase(action: "open bids", phase: section.phase)
    }
    let shares = try await store.transaction {
      try await ShareRepository.shares(section: sectionID, on: $0)
    }
    let submissions = try await submissions(to: sectionID)
    var results: [String: OpeningResult] = [:]
    var evidence: [BidEvidence] = []
    for (bidder, bid) in section.bids {
      let (result, found) = try open(
        bid, at: try await blobPath(bid), shares: shares[bidder] ?? [], sectionID: sectionID,
        bond: section.bonds[bidder], submissions: submissions[bidder] ?? [])
      results[bidder] = result
      if let found { evidence.append(found) }
    }
    let signs = CollusionScreen.findings(
      evidence, tenderDocuments: try await tenderDocumentFacts(of: sectionID),
      estimateFen: section.terms.estimate.fen)
    let now = clock.now()
    let frozen = results
    let opened = try await SectionStore.apply(sectionID, at: now, by: actor, in: store) {
      try $0.publishOpeningRecord(frozen, threshold: threshold, at: now, signs: signs)
    }.section
    metrics.count("openings")
    return opened
  }

  /// One bid at the opening (办法31): with too few shares released the fault is not the
  /// bidder's (withdrawn); an envelope that does not decrypt, or decrypts to no readable bundle
  /// for this section and bidder, is the bidder's (revoked).
  private func open(
    _ bid: BidRecord, at path: String, shares: [Shamir.Share], sectionID: String, bond: BidBond?,
    submissions: [BidEvidence.Submission]
  ) throws -> (OpeningResult, BidEvidence?) {
    var reader = try EnvelopeReader(FileSource(path: path))
    let key: [UInt8]
    do {
      key = try reader.header.contentKey(from: shares)
    } catch EnvelopeError.fewerThanThreshold {
      return (.undecryptable(OpeningRules.outcome(ofUndecryptableBid: .others)), nil)
    } catch {
      return (.undecryptable(OpeningRules.outcome(ofUndecryptableBid: .bidder)), nil)
    }
    let temporary: String
    do {
      temporary = try decrypt(&reader, key: key)
    } catch {
      return (.undecryptable(OpeningRules.outcome(ofUndecryptableBid: .bidder)), nil)
    }
    defer { try? FileManager.default.removeItem(atPath: temporary) }
    var plaintext = try FileSource(path: temporary)
    let prefix = try plaintext.read(upTo: 13 + BidBundleLayout.maximumManifestLength)
    guard let manifest = BidBundleLayout.manifest(fromPrefix: prefix),
      manifest.sectionID == sectionID, manifest.bidderCreditCode == bid.bidder,
      manifest.hasAnnounceableItems
    else { return (.undecryptable(OpeningRules.outcome(ofUndecryptableBid: .bidder)), nil) }
    return (
      .opened(items: manifest.openingItems, bidKey: key.hex),
      evidence(in: temporary, manifest: manifest, bond: bond, submissions: submissions)
    )
  }

  /// Where a bid's envelope is kept.
  func blobPath(_ bid: BidRecord) async throws -> String {
    try await blobs.path(of: String(bid.envelopeHash.split(separator: ":").last ?? ""))
  }
}
