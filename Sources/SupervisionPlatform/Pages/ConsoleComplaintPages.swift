import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiWeb

/// The console's complaints (条例60–62): the queue with each one's statutory due dates, and on a
/// complaint the step its state allows — accept (suspending the process if need be) or refuse
/// with reasons, stop and restart the ruling clock, rule.
extension ConsolePages {
  func complaints(_ visit: PageVisit) async throws -> Response {
    _ = try supervisor()
    let complaints = try PageCall.value(await api.listComplaints(.init())) {
      try $0.ok.body.json
    }
    return try render(
      "complaints", visit, title: "投诉", english: "Complaints",
      values: [
        "complaints": complaints.reversed().map { Self.complaintRow($0, visit.language) },
        "none": complaints.isEmpty,
      ])
  }

  static func complaintRow(_ complaint: Components.Schemas.ComplaintView, _ language: PageLanguage)
    -> [String: Any]
  {
    let status = Complaint.Status(rawValue: complaint.status)
    let overdue = complaint.overdue
    return [
      "id": complaint.id, "href": "/complaints/\(complaint.id)", "section": complaint.section,
      "platform": complaint.platform, "complainant": complaint.complainant,
      "matter": matter(complaint.matter, language), "facts": complaint.facts,
      "status": status.map { language == .zh ? $0.chinese : $0.rawValue } ?? complaint.status,
      "filedAt": PageFormat.time(complaint.filedAt), "acceptanceDue": complaint.acceptanceDue,
      "rulingDue": complaint.rulingDue ?? "—", "clockStopped": complaint.clockStopped == true,
      "suspendsProcess": complaint.suspendsProcess, "decision": complaint.decision ?? false,
      "overdue": overdue.joined(separator: "、"), "isOverdue": !overdue.isEmpty,
      "filed": status == .filed, "accepted": status == .accepted,
      "processHref": "/processes/\(complaint.platform)/\(complaint.section)",
    ]
  }

  func complaint(
    _ parameters: Parameters, _ request: Request, _ visit: PageVisit,
    errors: [(field: String, problem: ProblemDetails)] = [], status: HTTPResponse.Status = .ok
  ) async throws -> Response {
    _ = try supervisor()
    let id = try Self.pathValue(parameters, "id")
    let complaint = try PageCall.value(await api.getComplaint(.init(path: .init(id: id)))) {
      try $0.ok.body.json
    }
    var values = Self.complaintRow(complaint, visit.language)
    values.merge(PageSite.errorValues(errors, visit.language)) { $1 }
    values["pauseReasons"] = Complaint.PauseReason.allCases.map {
      ["code": $0.rawValue, "name": Self.pauseName($0, visit.language)]
    }
    values["done"] = request.uri.queryParameters["done"].map(String.init) ?? false
    return try render(
      "complaint", visit, title: "投诉 \(complaint.id)", english: "Complaint \(complaint.id)",
      values: values, status: status)
  }

  static func pauseName(_ reason: Complaint.PauseReason, _ language: PageLanguage) -> String {
    switch (reason, language) {
    case (.inspection, .zh): "检验"
    case (.testing, .zh): "检测"
    case (.appraisal, .zh): "鉴定"
    case (.expertReview, .zh): "专家评审"
    case (_, .en): reason.rawValue
    }
  }

  /// One step on a complaint, by the form its page shows; a refusal is shown on the page.
  func decide(_ parameters: Parameters, _ request: Request, _ visit: PageVisit) async throws
    -> Response
  {
    _ = try supervisor()
    let id = try Self.pathValue(parameters, "id")
    let step = try Self.pathValue(parameters, "step")
    let form = try await PageForm.read(request, for: visit)
    let path = Operations.decideComplaint.Input.Path(id: id)
    do {
      switch step {
      case "acceptance":
        _ = try PageCall.value(
          await api.decideComplaint(
            .init(
              path: path,
              body: .json(.init(accept: true, suspendProcess: form.ticked("suspendProcess"))))
          )
        ) { try $0.ok }
      case "refusal":
        let reason = try form.text(
          "reason", chinese: "不予受理的理由", maxLength: TextRules.maxTextLength, multiline: true)
        _ = try PageCall.value(
          await api.decideComplaint(
            .init(path: path, body: .json(.init(accept: false, reason: reason))))
        ) { try $0.ok }
      case "pause":
        guard
          let reason = form.optional("pauseReason").flatMap(
            Operations.pauseComplaint.Input.Body.jsonPayload.reasonPayload.init(rawValue:))
        else {
          throw PageFieldRefusal(
            field: "pauseReason",
            problem: ProblemDetails(
              status: 422, code: "INVALID_INPUT", english: "choose why the clock stops",
              chinese: "请选择暂停计算的事由"))
        }
        _ = try PageCall.value(
          await api.pauseComplaint(.init(path: .init(id: id), body: .json(.init(reason: reason))))
        ) { try $0.ok }
      case "resumption":
        _ = try PageCall.value(await api.resumeComplaint(.init(path: .init(id: id)))) {
          try $0.ok
        }
      case "ruling":
        let ruling = try form.text(
          "ruling", chinese: "处理决定", maxLength: TextRules.maxTextLength, multiline: true)
        _ = try PageCall.value(
          await api.ruleOnComplaint(
            .init(
              path: .init(id: id),
              body: .json(.init(ruling: ruling, keepSuspended: form.ticked("keepSuspended")))))
        ) { try $0.ok }
      default:
        throw SupervisionProblem.notInRemit("step \(step)")
      }
    } catch let refused as PageFieldRefusal {
      return try await complaint(
        parameters, request, visit, errors: [(refused.field, refused.problem)],
        status: .unprocessableContent)
    } catch let problem as ProblemDetails where problem.status == 409 || problem.status == 422 {
      return try await complaint(
        parameters, request, visit, errors: [(Self.field(of: step), problem)],
        status: HTTPResponse.Status(code: problem.status))
    }
    return visit.redirect(to: "/complaints/\(id)?done=\(step)")
  }

  static func field(of step: String) -> String {
    switch step {
    case "refusal": "reason"
    case "ruling": "ruling"
    case "pause": "pauseReason"
    default: "complaint-actions"
    }
  }
}
