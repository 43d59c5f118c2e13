import Foundation
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// 不良行为记录 and 市场禁入: a department records a party's violation in a process of its remit,
/// with its points and, if it bans the party, the ban; the decision is logged and goes to the hub through the outbox, where
/// it is published and whence every trading platform refuses the banned party's bids.
extension SupervisionAPI {
  func recordViolation(_ input: Operations.recordViolation.Input) async throws
    -> Operations.recordViolation.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw SupervisionProblem.badBody }
      let supervisor = try SupervisionCaller.current.require()
      let now = platform.now()
      let decidedAt = body.decidedAt.map { Int64($0.timeIntervalSince1970) } ?? now
      let party = try Account.checkedCreditCode(body.party)
      if let days = body.banDays, !(1...3_650).contains(days) {
        throw DomainError.invalid("a ban lasts 1 to 3,650 days", chinese: "禁止投标期限应为1至3650日")
      }
      let ban = body.banDays.map {
        Ban(
          party: party, reason: body.description, startsAt: decidedAt,
          endsAt: decidedAt + Int64($0) * 86_400)
      }
      let decision = try CreditDecision(
        id: "XY-\(now)-" + String(UInt32.random(in: 0...UInt32.max), radix: 16),
        record: ViolationRecord(
          party: party, description: body.description, article: body.article,
          points: body.points, decidedBy: supervisor.department.name, decidedAt: decidedAt,
          expiresAt: ViolationRecord.defaultExpiry(decidedAt: decidedAt)), ban: ban,
        process: "\(body.platform)/\(body.section)"
      ).validated(publishedAt: now, calendar: platform.calendar)
      let score = try await platform.store.transaction { database in
        // A department decides on conduct in the processes of its own remit only.
        _ = try await platform.process(body.platform, body.section, of: supervisor, on: database)
        try await CreditDecisionRepository.record(
          decision, department: supervisor.department.id, on: database)
        try await SupervisionPlatform.log(
          CreditDecision.messageKind, decision, at: now, on: database)
        return CreditScore.of(
          party,
          records: try await CreditDecisionRepository.decisions(of: party, on: database).map(
            \.record), at: now)
      }
      return .created(
        .init(body: .json(Self.view(decision, department: supervisor.department.id, score: score)))
      )
    }
  }

  func listDecisions(_ input: Operations.listDecisions.Input) async throws
    -> Operations.listDecisions.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let now = platform.now()
      let views = try await platform.store.transaction { database in
        var views: [Components.Schemas.DecisionView] = []
        for decision in try await CreditDecisionRepository.decisions(
          byDepartment: supervisor.department.id, limit: 500, on: database)
        {
          let all = try await CreditDecisionRepository.decisions(
            of: decision.record.party, on: database)
          views.append(
            Self.view(
              decision, department: supervisor.department.id,
              score: CreditScore.of(decision.record.party, records: all.map(\.record), at: now)))
        }
        return views
      }
      return .ok(.init(body: .json(views)))
    }
  }

  static func view(_ decision: CreditDecision, department: String, score: Int)
    -> Components.Schemas.DecisionView
  {
    .init(
      id: decision.id, party: decision.record.party, description: decision.record.description,
      article: decision.record.article, points: decision.record.points, department: department,
      decidedAt: date(decision.record.decidedAt), expiresAt: date(decision.record.expiresAt),
      banEndsAt: decision.ban.map { date($0.endsAt) }, creditScore: score)
  }
}

extension Operations.listDecisions.Output: ProblemAnswerable {}

extension Operations.recordViolation.Output: ProblemAnswerable {}
