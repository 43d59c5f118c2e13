import Foundation
import OpenAPIRuntime
import SQLKit
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// A sealed envelope uploaded in parts, resumable after a cut connection (断点续传): the bidder
/// starts an upload, sends parts from the offset the platform holds, asks for that offset after
/// a cut, and completes it — which checks and records the envelope as `PUT …/bids/{bidder}`
/// does. Only the bidder itself touches its uploads, and only while bidding is open.
extension TradingAPI {
  func startBidUpload(_ input: Operations.startBidUpload.Input) async throws
    -> Operations.startBidUpload.Output
  {
    await answering {
      let account = try Caller.current.requireBidder(input.path.bidderID)
      let sectionID = input.path.sectionID
      let now = platform.clock.now()
      let upload = try await platform.store.transaction { database in
        try await Self.requireBidding(sectionID, at: now, on: database)
        return try await BidUploadRepository.start(
          section: sectionID, bidder: account.creditCode, at: now, on: database)
      }
      return .created(.init(body: .json(Self.view(upload))))
    }
  }

  func getBidUpload(_ input: Operations.getBidUpload.Input) async throws
    -> Operations.getBidUpload.Output
  {
    await answering {
      let (_, upload) = try await owned(
        input.path.uploadID, input.path.sectionID, input.path.bidderID)
      return .ok(.init(body: .json(Self.view(upload))))
    }
  }

  func putBidUploadPart(_ input: Operations.putBidUploadPart.Input) async throws
    -> Operations.putBidUploadPart.Output
  {
    await answering {
      guard case .binary(let body) = input.body else { throw Problem.badBody }
      let (_, upload) = try await owned(
        input.path.uploadID, input.path.sectionID, input.path.bidderID)
      let bytes: Data
      do {
        bytes = try await Data(collecting: body, upTo: BidUploadRepository.maxPartBytes)
      } catch {
        throw Problem.partTooLarge
      }
      guard !bytes.isEmpty else {
        throw DomainError.invalid("a part holds at least one byte", chinese: "分片不得为空")
      }
      let start = input.path.offset
      let end = start + Int64(bytes.count)
      guard end <= BlobStore.maxUploadBytes else { throw BlobStore.tooLarge() }
      let now = platform.clock.now()
      let size = try await platform.store.transaction { database -> Int64 in
        try await Self.requireBidding(upload.section, at: now, on: database)
        if let size = try await BidUploadRepository.append(
          bytes, to: upload.id, at: start, on: database)
        {
          return size
        }
        // The same part again, its answer lost on the way: answered again, nothing added.
        let held = try await BidUploadRepository.find(upload.id, on: database)?.size ?? 0
        if end <= held,
          try await BidUploadRepository.holdsPart(of: upload.id, from: start, to: end, on: database)
        {
          return held
        }
        throw Problem.uploadOffset(held)
      }
      return .ok(
        .init(
          body: .json(
            Self.view(
              .init(id: upload.id, section: upload.section, bidder: upload.bidder, size: size)))))
    }
  }

  func completeBidUpload(_ input: Operations.completeBidUpload.Input) async throws
    -> Operations.completeBidUpload.Output
  {
    let temporary = platform.blobs.temporaryPath()
    do {
      let (account, upload) = try await owned(
        input.path.uploadID, input.path.sectionID, input.path.bidderID)
      guard upload.size > 0 else {
        throw DomainError.invalid("the upload holds no bytes yet", chinese: "尚未上传任何内容")
      }
      try await platform.store.read { database in
        try await BidUploadRepository.write(upload, to: temporary, on: database)
      }
      do {
        let receipt = try await record(
          envelope: temporary, size: upload.size, section: upload.section, account: account,
          upload: upload.id)
        return .created(.init(body: .json(receipt)))
      } catch {
        // An envelope the platform refuses stays refused: its bytes are of no further use.
        // Anything else (a conflict, the database away) leaves the upload to complete again.
        if Problem(error).status == 422 {
          try? await platform.store.transaction {
            try await BidUploadRepository.delete(upload.id, on: $0)
          }
        }
        throw error
      }
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      return Problem(error).answer()
    }
  }

  /// The calling bidder and the upload, if it is the caller's and of this section.
  private func owned(_ id: String, _ section: String, _ bidder: String) async throws
    -> (Account, BidUploadRepository.Upload)
  {
    let account = try Caller.current.requireBidder(bidder)
    guard
      let upload = try await platform.store.read({
        try await BidUploadRepository.find(id, on: $0)
      }), upload.section == section, upload.bidder == bidder
    else {
      throw DomainError.notFound("upload \(id)", chinese: "该上传")
    }
    return (account, upload)
  }

  /// Parts are taken only while the section takes bids (投标截止前).
  private static func requireBidding(
    _ sectionID: String, at now: Int64, on database: any SQLDatabase
  ) async throws {
    guard let stored = try await SectionRepository.load(sectionID, on: database) else {
      throw DomainError.notFound(sectionID, chinese: "该标段")
    }
    let section = stored.section
    guard section.phase == .bidding, let schedule = section.schedule,
      now < schedule.bidDeadline
    else {
      throw DomainError.wrongPhase(action: "upload a bid", phase: section.phase)
    }
  }

  private static func view(_ upload: BidUploadRepository.Upload) -> Components.Schemas.BidUpload {
    .init(id: upload.id, offset: upload.size, maxPartBytes: BidUploadRepository.maxPartBytes)
  }
}

extension Problem {
  static let partTooLarge = Problem(
    status: 413, code: "BODY_TOO_LARGE",
    english: "a part holds at most \(BidUploadRepository.maxPartBytes >> 20) MiB",
    chinese: "每个分片不得超过\(BidUploadRepository.maxPartBytes >> 20) MiB")

  /// A part that does not start where the upload ends; the answer says where that is.
  static func uploadOffset(_ held: Int64) -> ProblemDetails {
    ProblemDetails(
      status: 409, code: "UPLOAD_OFFSET_MISMATCH",
      english: "the upload holds \(held) bytes: send the part from offset \(held)",
      chinese: "平台已收到\(held)字节，请从该位置继续上传")
  }
}

extension Operations.startBidUpload.Output: ProblemAnswerable {}
extension Operations.getBidUpload.Output: ProblemAnswerable {}
extension Operations.putBidUploadPart.Output: ProblemAnswerable {}
extension Operations.completeBidUpload.Output: ProblemAnswerable {}
