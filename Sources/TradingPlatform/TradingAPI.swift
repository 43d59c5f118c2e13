import Foundation
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore

/// The handlers of openapi/trading.yaml: each loads, calls the pure transition, saves.
struct TradingAPI: APIProtocol {
  let platform: TradingPlatform

  func createSection(_ input: Operations.createSection.Input) async throws
    -> Operations.createSection.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let now = platform.clock.now()
      let transition = try Section.draft(Views.terms(body))
      _ = try await SectionStore.create(transition, at: now, in: platform.store)
      return .created(.init(body: .json(Views.section(transition.section))))
    }
  }

  func getSection(_ input: Operations.getSection.Input) async throws -> Operations.getSection.Output
  {
    await answering {
      let id = input.path.sectionID
      let stored = try await platform.store.transaction {
        try await SectionRepository.load(id, on: $0)
      }
      guard let stored else { throw DomainError.notFound("section \(id)") }
      return .ok(.init(body: .json(Views.section(stored.section))))
    }
  }

  func publishSection(_ input: Operations.publishSection.Input) async throws
    -> Operations.publishSection.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let schedule = try Views.schedule(body)
      let now = platform.clock.now()
      let transition = try await SectionStore.apply(
        input.path.sectionID, at: now, in: platform.store
      ) {
        try $0.publish(schedule, at: now)
      }
      return .ok(.init(body: .json(Views.section(transition.section))))
    }
  }

  /// Streams the envelope to a temporary file (constant memory), checks its structure, section,
  /// opening time and signature (never its contents), keeps it under its hash, records the bid
  /// and answers with the receipt. Any failure, a cut-off upload included, leaves nothing.
  func submitBid(_ input: Operations.submitBid.Input) async throws -> Operations.submitBid.Output {
    let temporary = platform.blobs.temporaryPath()
    do {
      guard case .binary(let body) = input.body else { throw Problem.badBody }
      let sectionID = input.path.sectionID
      let bidder = input.path.bidderID
      var sink = try AtomicFileSink(path: temporary)
      do {
        for try await chunk in body {
          try chunk.withUnsafeBytes { try sink.write($0) }
        }
        try sink.commit()
      } catch {
        sink.discard()
        throw error
      }
      var reader = try EnvelopeReader(FileSource(path: temporary))
      // The opening time is checked against the deadline inside the recording transaction.
      try reader.check(EnvelopeExpectations(sectionID: sectionID))
      guard reader.header.bidderID == bidder else {
        throw Problem(
          status: 422, code: "ENVELOPE_WRONG_BIDDER", article: nil,
          english: "the envelope was sealed for bidder \(reader.header.bidderID), not \(bidder)",
          chinese: "投标文件的投标人与上传人不符")
      }
      let summary = try reader.verify()
      let facts = SealedBidFacts(
        envelopeHash: "\(summary.header.suite.hashFunction):\(summary.envelopeHash.hex)",
        openingTime: summary.header.openingTime,
        holderKeyIDs: summary.header.holders.map(\.keyID.hex), threshold: summary.header.threshold)
      let now = platform.clock.now()
      let applied = try await SectionStore.applyLogged(sectionID, at: now, in: platform.store) {
        try $0.receiveBid(bidder: bidder, facts, at: now)
      }
      try platform.blobs.keep(temporary, as: summary.envelopeHash.hex)
      let signer = platform.logSigner
      let receipt = try await platform.store.transaction { database in
        try await Receipts.receipt(
          for: applied.logIndices[0], signer: signer, at: now, on: database)
      }
      return .created(.init(body: .json(Views.receipt(receipt))))
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      return Problem(error).answer()
    }
  }

  func withdrawBid(_ input: Operations.withdrawBid.Input) async throws
    -> Operations.withdrawBid.Output
  {
    await answering {
      let bidder = input.path.bidderID
      let section = try await transition(input.path.sectionID) {
        try $0.withdrawBid(bidder: bidder, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func amendDocuments(_ input: Operations.amendDocuments.Input) async throws
    -> Operations.amendDocuments.Output
  {
    await answering {
      let section = try await transition(input.path.sectionID) { try $0.amend(at: $1) }
      return .created(.init(body: .json(section)))
    }
  }

  func raiseObjection(_ input: Operations.raiseObjection.Input) async throws
    -> Operations.raiseObjection.Output
  {
    await answering {
      let id = input.path.objectionID
      let calendar = platform.calendar
      let section = try await transition(input.path.sectionID) {
        try $0.raiseObjection(id: id, at: $1, calendar: calendar)
      }
      return .created(.init(body: .json(section)))
    }
  }

  func answerObjection(_ input: Operations.answerObjection.Input) async throws
    -> Operations.answerObjection.Output
  {
    await answering {
      let id = input.path.objectionID
      let section = try await transition(input.path.sectionID) {
        try $0.answerObjection(id: id, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  /// Load, call the pure transition at the platform's now, save with its events; the view.
  private func transition(
    _ id: String, _ change: @escaping @Sendable (Section, Int64) throws -> Transition
  ) async throws -> Components.Schemas.SectionView {
    let now = platform.clock.now()
    let transition = try await SectionStore.apply(id, at: now, in: platform.store) {
      try change($0, now)
    }
    return Views.section(transition.section)
  }

  func getCheckpoint(_ input: Operations.getCheckpoint.Input) async throws
    -> Operations.getCheckpoint.Output
  {
    let signer = platform.logSigner
    let now = platform.clock.now()
    let note = try await platform.store.transaction { database in
      try await Receipts.checkpoint(signer: signer, at: now, on: database)
    }
    return .ok(.init(body: .plainText(HTTPBody(note))))
  }
}

/// An operation's output that can carry a problem: every generated `Output` has `.default`.
protocol ProblemAnswerable {
  static func `default`(statusCode: Int, _ value: Components.Responses.Problem) -> Self
}

extension Operations.createSection.Output: ProblemAnswerable {}
extension Operations.getSection.Output: ProblemAnswerable {}
extension Operations.publishSection.Output: ProblemAnswerable {}
extension Operations.submitBid.Output: ProblemAnswerable {}
extension Operations.withdrawBid.Output: ProblemAnswerable {}
extension Operations.amendDocuments.Output: ProblemAnswerable {}
extension Operations.raiseObjection.Output: ProblemAnswerable {}
extension Operations.answerObjection.Output: ProblemAnswerable {}

/// Runs a handler body; any error it throws becomes the operation's problem response.
func answering<Output: ProblemAnswerable>(_ body: () async throws -> Output) async -> Output {
  do {
    return try await body()
  } catch {
    return Problem(error).answer()
  }
}

extension Problem {
  func answer<Output: ProblemAnswerable>() -> Output {
    .default(statusCode: status, response)
  }

  static let badBody = Problem(
    status: 415, code: "UNSUPPORTED_BODY", article: nil,
    english: "the request body has the wrong content type", chinese: "请求内容类型错误")
}
