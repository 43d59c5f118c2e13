import Foundation
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore

/// The opening: key holders release shares after the deadline, then the platform rebuilds every
/// bid key, decrypts every envelope and publishes the opening record.
extension TradingAPI {
  func releaseShares(_ input: Operations.releaseShares.Input) async throws
    -> Operations.releaseShares.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let sectionID = input.path.sectionID
      let holder = input.path.holder
      let caller = Caller.current
      try caller.require(.keyHolder)
      let section = try await load(sectionID)
      try caller.authorize(.keyHolder(holder), on: section)
      guard let noticed = section.schedule?.keyHolders.first(where: { $0.name == holder }) else {
        throw DomainError.notFound("key holder \(holder) in the notice")
      }
      // Each share must be the one the bidder sealed to this holder (its commitment and key id).
      var checked: [(bidder: String, share: Shamir.Share)] = []
      for item in body.shares {
        guard let bid = section.bids[item.bidder] else {
          throw DomainError.notFound("a bid of \(item.bidder)")
        }
        let header = try EnvelopeReader(FileSource(path: blobPath(bid))).header
        let share = Shamir.Share(x: UInt8(clamping: item.x), y: Array(item.y.data))
        guard header.holders.first(where: { $0.x == share.x })?.keyID.hex == noticed.keyID else {
          throw EnvelopeError.shareCommitmentMismatch(x: item.x)
        }
        try header.check(share)
        checked.append((item.bidder, share))
      }
      let now = platform.clock.now()
      let updated = try await platform.store.transaction { database in
        let applied = try await SectionStore.apply(
          sectionID, at: now, by: caller.asOperator, on: database
        ) {
          try $0.releaseShares(holder: holder, at: now)
        }
        for (bidder, share) in checked {
          try await ShareRepository.save(
            section: sectionID, holder: holder, bidder: bidder, share: share, on: database)
        }
        return applied.transition.section
      }
      return .ok(.init(body: .json(Views.section(updated, for: caller))))
    }
  }

  func openBids(_ input: Operations.openBids.Input) async throws -> Operations.openBids.Output {
    await answering {
      let sectionID = input.path.sectionID
      let caller = Caller.current
      let section = try await load(sectionID)
      try caller.authorize(.managerOrPlatform, on: section)
      guard let threshold = section.schedule?.threshold else {
        throw DomainError.wrongPhase(action: "open bids", phase: section.phase)
      }
      let shares = try await platform.store.transaction {
        try await ShareRepository.shares(section: sectionID, on: $0)
      }
      var results: [String: OpeningResult] = [:]
      for (bidder, bid) in section.bids {
        results[bidder] = try open(bid, shares: shares[bidder] ?? [], sectionID: sectionID)
      }
      let now = platform.clock.now()
      let frozen = results
      let opened = try await SectionStore.apply(
        sectionID, at: now, by: caller.asOperator, in: platform.store
      ) {
        try $0.publishOpeningRecord(frozen, threshold: threshold, at: now)
      }
      return .ok(.init(body: .json(Views.openingRecord(opened.section))))
    }
  }

  /// One bid at the opening (办法31): with too few shares released the fault is not the
  /// bidder's (withdrawn); an envelope that does not decrypt, or decrypts to no readable bundle
  /// for this section and bidder, is the bidder's (revoked).
  private func open(_ bid: BidRecord, shares: [Shamir.Share], sectionID: String) throws
    -> OpeningResult
  {
    var reader = try EnvelopeReader(FileSource(path: blobPath(bid)))
    let key: [UInt8]
    do {
      key = try reader.header.contentKey(from: shares)
    } catch EnvelopeError.fewerThanThreshold {
      return .undecryptable(OpeningRules.outcome(ofUndecryptableBid: .others))
    } catch {
      return .undecryptable(OpeningRules.outcome(ofUndecryptableBid: .bidder))
    }
    let temporary = platform.blobs.temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: temporary) }
    do {
      var sink = try AtomicFileSink(path: temporary)
      do {
        _ = try reader.open(contentKey: key, into: &sink)
        try sink.commit()
      } catch {
        sink.discard()
        throw error
      }
    } catch {
      return .undecryptable(OpeningRules.outcome(ofUndecryptableBid: .bidder))
    }
    var plaintext = try FileSource(path: temporary)
    let prefix = try plaintext.read(upTo: 13 + BidBundleLayout.maximumManifestLength)
    guard let manifest = BidBundleLayout.manifest(fromPrefix: prefix),
      manifest.sectionID == sectionID, manifest.bidderCreditCode == bid.bidder
    else { return .undecryptable(OpeningRules.outcome(ofUndecryptableBid: .bidder)) }
    return .opened(items: manifest.openingItems, bidKey: key.hex)
  }

  func load(_ id: String) async throws -> Section {
    let stored = try await platform.store.transaction {
      try await SectionRepository.load(id, on: $0)
    }
    guard let section = stored?.section else { throw DomainError.notFound("section \(id)") }
    return section
  }

  func blobPath(_ bid: BidRecord) -> String {
    platform.blobs.path(of: String(bid.envelopeHash.split(separator: ":").last ?? ""))
  }

}

extension Operations.releaseShares.Output: ProblemAnswerable {}
extension Operations.openBids.Output: ProblemAnswerable {}

extension TradingAPI {
  /// The envelope as received, streamed from its blob; nobody may take it out before the
  /// deadline (办法28).
  func getEnvelope(_ input: Operations.getEnvelope.Input) async throws
    -> Operations.getEnvelope.Output
  {
    await answering {
      let section = try await load(input.path.sectionID)
      let caller = Caller.current
      let account = try caller.require()
      let isHolder =
        account.role == .keyHolder
        && (section.schedule?.keyHolders.contains { $0.name == account.id } ?? false)
      if !isHolder { try caller.authorize(.managerOrPlatform, on: section) }
      guard let bid = section.bids[input.path.bidderID],
        let deadline = section.schedule?.bidDeadline
      else {
        throw DomainError.notFound("a bid of \(input.path.bidderID)")
      }
      do {
        try OpeningRules.checkDecryptionAllowed(at: platform.clock.now(), deadline: deadline)
      } catch let violation as RuleViolation {
        throw DomainError.rule(violation)
      }
      let path = blobPath(bid)
      let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
      let body = HTTPBody(
        FileChunks(path: path), length: .known(Int64(size)), iterationBehavior: .single)
      return .ok(.init(body: .binary(body)))
    }
  }
}

extension Operations.getEnvelope.Output: ProblemAnswerable {}

/// A file read in 64 KiB chunks, as an async sequence for a streamed response body.
struct FileChunks: AsyncSequence, Sendable {
  typealias Element = ArraySlice<UInt8>
  let path: String

  struct AsyncIterator: AsyncIteratorProtocol {
    var source: FileSource?
    let path: String

    mutating func next() async throws -> ArraySlice<UInt8>? {
      if source == nil { source = try FileSource(path: path) }
      var buffer = [UInt8](repeating: 0, count: 65_536)
      let n = try buffer.withUnsafeMutableBytes { try source!.read(into: $0) }
      return n == 0 ? nil : buffer[..<n]
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: nil, path: path) }
}
