import Foundation
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore

/// An opened bid's documents, for the committee that evaluates it and the section's manager:
/// the platform keeps no decrypted copy, so each read decrypts the envelope again with the
/// shares the holders released, into a temporary file that is removed once read.
extension TradingPlatform {
  /// One document of an opened bid, as its bundle's manifest lists it.
  public struct OpenedDocument: Sendable, Equatable {
    public let index: Int
    public let name: String
    public let size: Int64
    public let sha256: String
  }

  /// The documents of `bidder`'s opened bid in `section`.
  func openedDocuments(section sectionID: String, bidder: String) async throws
    -> [OpenedDocument]
  {
    let (plaintext, manifest) = try await decryptedBundle(section: sectionID, bidder: bidder)
    try? FileManager.default.removeItem(atPath: plaintext)
    return manifest.documents.enumerated().map {
      OpenedDocument(
        index: $0.offset, name: $0.element.name, size: $0.element.size,
        sha256: $0.element.sha256)
    }
  }

  /// Document `index` of `bidder`'s opened bid, copied out of the decrypted bundle into a
  /// temporary file and checked against the manifest's SHA-256; the caller removes the file.
  func openedDocument(section sectionID: String, bidder: String, index: Int) async throws -> (
    path: String, document: OpenedDocument
  ) {
    let (plaintext, manifest) = try await decryptedBundle(section: sectionID, bidder: bidder)
    defer { try? FileManager.default.removeItem(atPath: plaintext) }
    guard manifest.documents.indices.contains(index) else {
      throw DomainError.notFound(
        "document \(index) of \(bidder)'s bid", chinese: "该投标文件的第\(index + 1)个文件")
    }
    // magic (8), version (1), manifest length (4), manifest, then each file: name length (2),
    // name, size (8), bytes (docs/BID-BUNDLE.md); the manifest was checked when it was read.
    var source = try FileSource(path: plaintext)
    let prefix = try source.read(upTo: 13)
    _ = try source.read(upTo: prefix[9..<13].reduce(0) { $0 << 8 | Int($1) })
    for (position, listed) in manifest.documents.enumerated() {
      let nameLength = try source.read(upTo: 2).reduce(0) { $0 << 8 | Int($1) }
      _ = try source.read(upTo: nameLength + 8)
      let target = position == index ? blobs.temporaryPath() : nil
      var sink = try target.map { try AtomicFileSink(path: $0) }
      var hasher = StreamingHash(.sha256)
      var remaining = listed.size
      while remaining > 0 {
        let chunk = try source.read(upTo: Int(min(remaining, 1 << 20)))
        guard !chunk.isEmpty else { break }
        if sink != nil {
          hasher.update(chunk)
          try sink?.write(chunk)
        }
        remaining -= Int64(chunk.count)
      }
      guard let target, let written = sink else { continue }
      guard remaining == 0, hasher.finalize().hex == listed.sha256 else {
        written.discard()
        throw DomainError.invalid(
          "the bid's file \(listed.name) does not match its manifest",
          chinese: "投标文件中的\(listed.name)与其清单不符")
      }
      try written.commit()
      return (
        target,
        OpenedDocument(
          index: index, name: listed.name, size: listed.size, sha256: listed.sha256)
      )
    }
    throw DomainError.notFound("document \(index)", chinese: "该文件")
  }

  /// `bidder`'s bid decrypted again into a temporary file, with its manifest: only a bid the
  /// opening opened (办法31: one it could not decrypt stays sealed).
  private func decryptedBundle(section sectionID: String, bidder: String) async throws -> (
    String, BidManifest
  ) {
    let stored = try await store.read { try await SectionRepository.load(sectionID, on: $0) }
    guard let section = stored?.section else {
      throw DomainError.notFound("section \(sectionID)", chinese: "标段\(sectionID)")
    }
    guard section.openingResults[bidder]?.items != nil, let bid = section.bids[bidder] else {
      throw DomainError.notFound("an opened bid of \(bidder)", chinese: "\(bidder)已开启的投标文件")
    }
    let shares =
      try await store.read {
        try await ShareRepository.shares(section: sectionID, on: $0)
      }[bidder] ?? []
    var reader = try EnvelopeReader(FileSource(path: try await blobPath(bid)))
    let plaintext = try decrypt(&reader, key: try reader.header.contentKey(from: shares))
    do {
      var source = try FileSource(path: plaintext)
      guard
        let manifest = BidBundleLayout.manifest(
          fromPrefix: try source.read(upTo: 13 + BidBundleLayout.maximumManifestLength))
      else {
        throw DomainError.invalid("the opened bid is not a bundle", chinese: "已开启的投标文件不是投标文件包")
      }
      return (plaintext, manifest)
    } catch {
      try? FileManager.default.removeItem(atPath: plaintext)
      throw error
    }
  }

  /// The envelope `reader` holds decrypted with `key` into a new temporary file; nothing is
  /// left behind when it fails.
  func decrypt<Source>(_ reader: inout EnvelopeReader<Source>, key: [UInt8]) throws -> String {
    let temporary = blobs.temporaryPath()
    var sink = try AtomicFileSink(path: temporary)
    do {
      _ = try reader.open(contentKey: key, into: &sink)
      try sink.commit()
    } catch {
      sink.discard()
      throw error
    }
    return temporary
  }
}
