import Foundation
import HubClient
import OpenAPIRuntime
import SQLKit
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// 投诉 (条例60–62): a party files online, signing its statement with a certificate from a CA
/// the hub recognises; the department of the process's remit accepts or refuses it within 3
/// working days (suspending the process by an order if it sees fit), may stop the clock for
/// inspection, testing or expert assessment, and rules within 30 working days; the ruling is
/// published. Every step is logged.
extension SupervisionAPI {
  /// What the complainant signs.
  struct Statement: Codable {
    let platform: String
    let section: String
    let matter: ComplaintMatter
    let facts: String
    let knewAt: Int64
    let objectionRaisedAt: Int64?
    let objectionAnsweredAt: Int64?
    /// The objection's id on the trading platform, as its answer named it.
    let objectionID: String?
  }

  static let complaintContext = Array("zhaocai-complaint v1\n".utf8)

  func fileComplaint(_ input: Operations.fileComplaint.Input) async throws
    -> Operations.fileComplaint.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw SupervisionProblem.badBody }
      guard let bytes = Data(base64Encoded: body.statement),
        let signature = Data(base64Encoded: body.signature)
      else {
        throw DomainError.invalid(
          "the statement and its signature are base64", chinese: "投诉书及其签名应为Base64编码")
      }
      let statement = try JSONDecoder().decode(Statement.self, from: bytes)
      let now = platform.now()
      let complainant = try await platform.certify(
        body.certificate, signature: Array(signature), over: Self.complaintContext + bytes,
        at: now)
      let id =
        "TS-\(LegalDate(instant: now).description.replacingOccurrences(of: "-", with: ""))-"
        + String(UInt32.random(in: 0...UInt32.max), radix: 16)
      let calendar = platform.calendar
      let complaint = try await platform.store.transaction { database in
        guard
          try await TrackingRepository.process(
            platform: statement.platform, section: statement.section, on: database) != nil
        else { throw SupervisionProblem.notInRemit("process \(statement.section)") }
        // The objection a complaint relies on must be on the record this platform holds; its
        // times are the record's (条例60), not what the complainant writes.
        let claimed = statement.objectionRaisedAt.map {
          ObjectionHistory(raisedAt: $0, answeredAt: statement.objectionAnsweredAt)
        }
        var objection: ObjectionHistory? = nil
        if claimed != nil || statement.objectionID != nil {
          let timeline = try await platform.timeline(
            platform: statement.platform, section: statement.section, on: database)
          guard
            let recorded = ObjectionHistory.onRecord(
              id: statement.objectionID, claimed: claimed, in: timeline)
          else {
            throw DomainError.rule(
              RuleViolation(
                Rules.complaintWithin10Days,
                "the record of \(statement.section) holds no such objection to the tenderer",
                chinese: "标段\(statement.section)的记录中没有该项向招标人提出的异议"))
          }
          objection = recorded
        }
        let complaint = try Complaint.file(
          id: id, section: statement.section, complainant: complainant, matter: statement.matter,
          facts: statement.facts, knewAt: statement.knewAt, objection: objection, at: now,
          calendar: calendar)
        try await ComplaintRepository.save(
          complaint, platform: statement.platform, at: now, on: database)
        try await SupervisionPlatform.log("complaint.filed", complaint, at: now, on: database)
        return complaint
      }
      return .created(.init(body: .json(Self.view(complaint, platform: statement.platform, now))))
    }
  }

  func listComplaints(_ input: Operations.listComplaints.Input) async throws
    -> Operations.listComplaints.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let now = platform.now()
      let views = try await platform.store.transaction { database in
        var views: [Components.Schemas.ComplaintView] = []
        for (complaint, platformID) in try await ComplaintRepository.all(on: database)
        where try await platform.oversees(
          supervisor, platform: platformID, section: complaint.section, on: database)
        {
          views.append(Self.view(complaint, platform: platformID, now))
        }
        return views
      }
      return .ok(.init(body: .json(views)))
    }
  }

  func getComplaint(_ input: Operations.getComplaint.Input) async throws
    -> Operations.getComplaint.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let now = platform.now()
      let (complaint, platformID) = try await platform.store.transaction {
        try await platform.complaint(input.path.id, of: supervisor, on: $0)
      }
      return .ok(.init(body: .json(Self.view(complaint, platform: platformID, now))))
    }
  }

  func decideComplaint(_ input: Operations.decideComplaint.Input) async throws
    -> Operations.decideComplaint.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw SupervisionProblem.badBody }
      let suspend = body.accept && body.suspendProcess == true
      let calendar = platform.calendar
      let (complaint, platformID) = try await change(
        input.path.id, "complaint.decided",
        { complaint, now in
          body.accept
            ? try complaint.accept(at: now, calendar: calendar, suspendingProcess: suspend)
            : try complaint.refuse(at: now, reason: body.reason ?? "")
        },
        order: { complaint in
          suspend ? (.suspend, "投诉\(complaint.id)处理期间暂停招标投标活动（条例62）") : nil
        })
      return .ok(.init(body: .json(Self.view(complaint, platform: platformID, platform.now()))))
    }
  }

  func pauseComplaint(_ input: Operations.pauseComplaint.Input) async throws
    -> Operations.pauseComplaint.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw SupervisionProblem.badBody }
      guard let reason = Complaint.PauseReason(rawValue: body.reason.rawValue) else {
        throw DomainError.invalid(
          "no pause reason \(body.reason.rawValue)",
          chinese: "无法识别的暂停计算事由：\(body.reason.rawValue)")
      }
      let (complaint, platformID) = try await change(input.path.id, "complaint.paused") {
        try $0.pauseClock(reason: reason, at: $1)
      }
      return .ok(.init(body: .json(Self.view(complaint, platform: platformID, platform.now()))))
    }
  }

  func resumeComplaint(_ input: Operations.resumeComplaint.Input) async throws
    -> Operations.resumeComplaint.Output
  {
    await answering {
      let calendar = platform.calendar
      let (complaint, platformID) = try await change(input.path.id, "complaint.resumed") {
        try $0.resumeClock(at: $1, calendar: calendar)
      }
      return .ok(.init(body: .json(Self.view(complaint, platform: platformID, platform.now()))))
    }
  }

  func ruleOnComplaint(_ input: Operations.ruleOnComplaint.Input) async throws
    -> Operations.ruleOnComplaint.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw SupervisionProblem.badBody }
      let resume = body.keepSuspended != true
      let (complaint, platformID) = try await change(
        input.path.id, "complaint.ruled", { try $0.rule(decision: body.ruling, at: $1) },
        order: { complaint in
          complaint.suspendsProcess && resume
            ? (.resume, "投诉\(complaint.id)已处理完毕，恢复招标投标活动") : nil
        })
      return .ok(.init(body: .json(Self.view(complaint, platform: platformID, platform.now()))))
    }
  }

  func listRulings(_ input: Operations.listRulings.Input) async throws
    -> Operations.listRulings.Output
  {
    let ruled = try await platform.store.transaction {
      try await ComplaintRepository.all(on: $0)
    }.filter { $0.complaint.status == .ruled }
    return .ok(
      .init(
        body: .json(
          ruled.map { complaint, platformID in
            .init(
              complaint: complaint.id, platform: platformID, section: complaint.section,
              complainant: complaint.complainant, matter: complaint.matter.rawValue,
              ruling: complaint.decision ?? "", decidedAt: Self.date(complaint.decidedAt ?? 0))
          })))
  }

  /// One step of a complaint in the caller's remit, saved and logged; the order it calls for (suspending or resuming
  /// the process) is recorded in the same transaction, so neither stands without the other, and
  /// delivered after it.
  private func change(
    _ id: String, _ topic: String,
    _ step: @Sendable (Complaint, Int64) throws -> Complaint,
    order: @Sendable (Complaint) -> (SupervisionOrder.Kind, String)? = { _ in nil }
  ) async throws -> (Complaint, String) {
    let supervisor = try SupervisionCaller.current.require()
    let now = platform.now()
    let (changed, platformID, issued) = try await platform.store.transaction { database in
      let (complaint, platformID) = try await platform.complaint(
        id, of: supervisor, forUpdate: true, on: database)
      let changed = try step(complaint, now)
      try await ComplaintRepository.save(changed, platform: platformID, at: now, on: database)
      try await SupervisionPlatform.log(topic, changed, at: now, on: database)
      var issued: SupervisionOrder?
      if let (kind, reason) = order(changed) {
        issued = try await platform.record(
          kind: kind, platform: platformID, section: changed.section, reason: reason,
          by: supervisor, on: database)
      }
      return (changed, platformID, issued)
    }
    if let issued { _ = await platform.deliverInOrder(issued, to: platformID) }
    return (changed, platformID)
  }

  static func view(_ complaint: Complaint, platform: String, _ now: Int64)
    -> Components.Schemas.ComplaintView
  {
    .init(
      id: complaint.id, platform: platform, section: complaint.section,
      complainant: complaint.complainant, matter: complaint.matter.rawValue,
      facts: complaint.facts, status: complaint.status.rawValue,
      filedAt: date(complaint.filedAt),
      acceptanceDue: complaint.acceptanceDue.description,
      rulingDue: complaint.rulingDue?.description,
      clockStopped: complaint.isPaused,
      suspendsProcess: complaint.suspendsProcess, decision: complaint.decision,
      overdue: complaint.overdue(at: now).map(\.code))
  }
}

extension Operations.fileComplaint.Output: ProblemAnswerable {}
extension Operations.listComplaints.Output: ProblemAnswerable {}
extension Operations.getComplaint.Output: ProblemAnswerable {}
extension Operations.decideComplaint.Output: ProblemAnswerable {}
extension Operations.pauseComplaint.Output: ProblemAnswerable {}
extension Operations.resumeComplaint.Output: ProblemAnswerable {}
extension Operations.ruleOnComplaint.Output: ProblemAnswerable {}
