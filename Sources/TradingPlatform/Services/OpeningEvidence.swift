import Foundation
import SQLKit
import ZhaocaiAnalytics
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// What the opening reads for the 条例40 signs, besides the opening items: each opened bid's
/// files (from the decrypted bundle, before it is deleted), who uploaded it from where (the
/// log), its bond's account, and the tender documents whose content bids may share freely.
extension TradingPlatform {
  /// Documents of one bid read at most; those beyond are not compared.
  static let evidenceDocuments = 200

  /// The evidence in one decrypted bundle at `plaintext`, whose manifest was read already.
  func evidence(
    in plaintext: String, manifest: BidManifest, bond: BidBond?,
    submissions: [BidEvidence.Submission]
  ) -> BidEvidence {
    var documents: [DocumentFacts] = []
    let limits = DocumentLimits()
    if var source = try? FileSource(path: plaintext) {
      // magic (8), version (1), manifest length (4), manifest: docs/BID-BUNDLE.md.
      let prefix = (try? source.read(upTo: 13)) ?? []
      let manifestLength = prefix.count == 13 ? prefix[9..<13].reduce(0) { $0 << 8 | Int($1) } : -1
      if (0...BidBundleLayout.maximumManifestLength).contains(manifestLength),
        (try? source.read(upTo: manifestLength).count) == manifestLength
      {
        while documents.count < Self.evidenceDocuments,
          let document = Self.nextDocument(&source, limits: limits)
        {
          documents.append(document)
        }
      }
    }
    return BidEvidence(
      bidder: manifest.bidderCreditCode, bidderName: manifest.bidderName,
      priceFen: manifest.priceFen, projectManagerID: manifest.projectManagerID,
      keyStaff: manifest.keyStaff.prefix(50).filter { $0.count <= 64 },
      deviceFingerprint: manifest.deviceFingerprint.count <= 128 ? manifest.deviceFingerprint : "",
      documents: documents, submissions: submissions, bondAccount: bond?.payingAccount)
  }

  /// The next document of a bundle, read when it is small enough and skipped (hashed, not read)
  /// otherwise; nil at the end or at bytes that are not a document header.
  private static func nextDocument(_ source: inout FileSource, limits: DocumentLimits)
    -> DocumentFacts?
  {
    guard let nameLength = try? source.read(upTo: 2), nameLength.count == 2 else { return nil }
    let length = Int(nameLength[0]) << 8 | Int(nameLength[1])
    guard let nameBytes = try? source.read(upTo: length), nameBytes.count == length,
      let sizeBytes = try? source.read(upTo: 8), sizeBytes.count == 8
    else { return nil }
    let name = String(decoding: nameBytes, as: UTF8.self)
    let size = sizeBytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    if size <= UInt64(limits.fileBytes) {
      guard let bytes = try? source.read(upTo: Int(size)), bytes.count == Int(size) else {
        return nil
      }
      return DocumentReader.read(name: name, bytes: bytes, limits: limits)
    }
    var hasher = StreamingHash(.sha256)
    var remaining = size
    while remaining > 0 {
      guard let chunk = try? source.read(upTo: Int(min(remaining, 1 << 20))), !chunk.isEmpty
      else { return nil }
      hasher.update(chunk)
      remaining -= UInt64(chunk.count)
    }
    return DocumentFacts(
      name: name, sha256: "sha256:" + hasher.finalize().hex, format: .unread,
      unreadReason: "larger than \(limits.fileBytes >> 20) MiB")
  }

  /// Every upload of each bidder's bid to `section`, from the log: account, address, device.
  func submissions(to section: String) async throws -> [String: [BidEvidence.Submission]] {
    let events = try await store.read { try await SectionStore.loggedEvents(of: section, on: $0) }
    var found: [String: [BidEvidence.Submission]] = [:]
    for logged in events {
      guard case .bidReceived(let bidder, _, _, _) = logged.event, let by = logged.by else {
        continue
      }
      found[bidder, default: []].append(
        BidEvidence.Submission(account: by.account, address: by.address, device: by.device ?? ""))
    }
    return found
  }

  /// The tender documents as issued, every version: what bids may quote without it meaning
  /// anything.
  func tenderDocumentFacts(of section: String) async throws -> [DocumentFacts] {
    let versions = try await store.read {
      try await DocumentRepository.versions(section: section, on: $0)
    }
    var facts: [DocumentFacts] = []
    let limits = DocumentLimits()
    for version in versions where version.size <= Int64(limits.fileBytes) {
      let path = try await blobs.path(of: String(version.hash.split(separator: ":").last ?? ""))
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      facts.append(DocumentReader.read(name: version.name, bytes: Array(data), limits: limits))
    }
    return facts
  }
}
