import Foundation
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// Credit publication: bans, published free to all and served to every trading platform.
extension HubAPI {
  func publishBan(_ input: Operations.publishBan.Input) async throws -> Operations.publishBan.Output
  {
    return await answering {
      guard HubCaller.isAdministrator else { throw HubProblem.signInNeeded }
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      let ban = Ban(
        party: try Account.checkedCreditCode(body.party), reason: body.reason,
        startsAt: Int64(body.startsAt.timeIntervalSince1970),
        endsAt: Int64(body.endsAt.timeIntervalSince1970))
      guard ban.startsAt < ban.endsAt, !ban.reason.isEmpty else {
        throw DomainError.invalid(
          "a ban has a reason and ends after it starts", chinese: "禁止投标应当载明理由，且结束时间晚于开始时间")
      }
      let now = hub.now()
      try await hub.store.transaction {
        try await HubCreditRepository.publish(ban, at: now, on: $0)
      }
      return .created(.init(body: .json(Self.view(ban))))
    }
  }

  func listBans(_ input: Operations.listBans.Input) async throws -> Operations.listBans.Output {
    let bans = try await hub.store.transaction { try await HubCreditRepository.published(on: $0) }
    return .ok(.init(body: .json(bans.map(Self.view))))
  }

  static func view(_ ban: Ban) -> Components.Schemas.BanView {
    .init(
      party: ban.party, reason: ban.reason,
      startsAt: Date(timeIntervalSince1970: TimeInterval(ban.startsAt)),
      endsAt: Date(timeIntervalSince1970: TimeInterval(ban.endsAt)))
  }
}

/// Violation records (不良行为记录), published with their points until they expire.
extension HubAPI {
  func publishViolation(_ input: Operations.publishViolation.Input) async throws
    -> Operations.publishViolation.Output
  {
    return await answering {
      guard HubCaller.isAdministrator else { throw HubProblem.signInNeeded }
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      let decidedAt = Int64(body.decidedAt.timeIntervalSince1970)
      let record = try ViolationRecord(
        party: body.party, description: body.description, article: body.article,
        points: body.points, decidedBy: body.decidedBy, decidedAt: decidedAt,
        expiresAt: body.expiresAt.map { Int64($0.timeIntervalSince1970) }
          ?? ViolationRecord.defaultExpiry(decidedAt: decidedAt)
      ).validated()
      let now = hub.now()
      try await hub.store.transaction {
        try await HubCreditRepository.publish(record, at: now, on: $0)
      }
      return .created(.init(body: .json(Self.view(record))))
    }
  }

  func listViolations(_ input: Operations.listViolations.Input) async throws
    -> Operations.listViolations.Output
  {
    let now = hub.now()
    let party = input.query.party
    let records = try await hub.store.transaction {
      try await HubCreditRepository.violations(of: party, at: now, on: $0)
    }
    return .ok(.init(body: .json(records.map(Self.view))))
  }

  static func view(_ record: ViolationRecord) -> Components.Schemas.ViolationRecord {
    .init(
      party: record.party, description: record.description, article: record.article,
      points: record.points, decidedBy: record.decidedBy,
      decidedAt: Date(timeIntervalSince1970: TimeInterval(record.decidedAt)),
      expiresAt: Date(timeIntervalSince1970: TimeInterval(record.expiresAt)))
  }
}
