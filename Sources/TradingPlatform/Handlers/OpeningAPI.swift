import Foundation
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

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
        throw DomainError.notFound(
          "key holder \(holder) in the notice", chinese: "招标公告所列密钥持有人\(holder)")
      }
      // Each share must be the one the bidder sealed to this holder (its commitment and key id).
      var checked: [(bidder: String, share: Shamir.Share)] = []
      for item in body.shares {
        guard let bid = section.bids[item.bidder] else {
          throw DomainError.notFound(
            "a bid of \(item.bidder)", chinese: "\(item.bidder)的投标文件")
        }
        let header = try EnvelopeReader(FileSource(path: try await blobPath(bid))).header
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
        // A holder releasing again changes nothing: the shares it gave first stand.
        for (bidder, share) in checked where !applied.transition.events.isEmpty {
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
      let caller = Caller.current
      try caller.authorize(.managerOrPlatform, on: try await load(input.path.sectionID))
      let opened = try await platform.runOpening(input.path.sectionID, by: caller.asOperator)
      return .ok(.init(body: .json(Views.openingRecord(opened))))
    }
  }

  func load(_ id: String) async throws -> Section {
    let stored = try await platform.sections.value(id, on: platform.store) {
      try await SectionRepository.load(id, on: $0)
    }
    // A draft is its tenderer's, its agency's and the platform's: to anyone else it does not
    // exist yet, so even its id is not confirmed.
    guard let section = stored?.section,
      section.phase != .draft || Caller.current.manages(section)
    else { throw DomainError.notFound("section \(id)", chinese: "标段\(id)") }
    return section
  }

  func blobPath(_ bid: BidRecord) async throws -> String { try await platform.blobPath(bid) }

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
      // A bidder takes back its own envelope to re-verify it with the published key.
      let isItsBidder =
        account.role == .bidder && account.creditCode == input.path.bidderID
      if !isHolder && !isItsBidder { try caller.authorize(.managerOrPlatform, on: section) }
      guard let bid = section.bids[input.path.bidderID],
        let deadline = section.schedule?.bidDeadline
      else {
        throw DomainError.notFound(
          "a bid of \(input.path.bidderID)", chinese: "\(input.path.bidderID)的投标文件")
      }
      do {
        try OpeningRules.checkDecryptionAllowed(at: platform.clock.now(), deadline: deadline)
      } catch let violation as RuleViolation {
        throw DomainError.rule(violation)
      }
      let path = try await blobPath(bid)
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
