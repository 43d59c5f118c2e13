import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiWeb

/// The console's orders and credit decisions: what the department issued and decided, and the
/// forms to issue an order or record a violation — each shown back for checking before it is
/// sent, since neither can be taken back (a termination also waits for a second supervisor).
extension ConsolePages {
  func orders(
    _ request: Request, _ visit: PageVisit, form: PageForm? = nil,
    errors: [(field: String, problem: ProblemDetails)] = [], status: HTTPResponse.Status = .ok
  ) async throws -> Response {
    let supervisor = try supervisor()
    let issued = try PageCall.value(await api.listOrders(.init())) { try $0.ok.body.json }
    let processes = try PageCall.value(await api.listProcesses(.init())) { try $0.ok.body.json }
    let language = visit.language
    let asked = request.uri.queryParameters
    let chosen =
      form?.optional("process")
      ?? asked["platform"].flatMap { platform in
        asked["section"].map { "\(platform)/\($0)" }
      }
    var values = PageSite.errorValues(errors, language)
    values["orders"] = issued.map { order -> [String: Any] in
      var row = Self.orderRow(order, language)
      row["canConfirm"] = order.status == .awaitingConfirmation && order.issuedBy != supervisor.id
      return row
    }
    values["none"] = issued.isEmpty
    values["processes"] = processes.map {
      let key = "\($0.platform)/\($0.section)"
      return [
        "key": key, "name": $0.name.isEmpty ? $0.section : $0.name, "selected": key == chosen,
      ] as [String: Any]
    }
    values["kinds"] = SupervisionOrder.Kind.allCases.map {
      [
        "code": $0.rawValue,
        "name": language == .zh ? EventWords.kindChinese($0) : $0.rawValue,
        "checked": form?.optional("kind") == $0.rawValue,
      ] as [String: Any]
    }
    values["reason"] = form?.fields["reason"] ?? ""
    values["legalGround"] = form?.fields["legalGround"] ?? ""
    values["issued"] = asked["issued"].map(String.init) ?? false
    return try render(
      "orders", visit, title: "监督指令", english: "Supervision orders", values: values,
      status: status)
  }

  static func orderRow(_ order: Components.Schemas.OrderView, _ language: PageLanguage)
    -> [String: Any]
  {
    let kind = SupervisionOrder.Kind(rawValue: order.kind)
    let state: String =
      switch (order.status, language) {
      case (.awaitingConfirmation, .zh): "待第二名监督人员确认"
      case (.pending, .zh): "待交易平台执行"
      case (.acknowledged, .zh): "已执行（交易平台已签名回执）"
      case (.refused, .zh): "交易平台拒绝执行"
      case (let status, .en): status.rawValue
      }
    return [
      "id": order.id, "section": order.section, "platform": order.platform,
      "href": "/processes/\(order.platform)/\(order.section)",
      "kind": kind.map { language == .zh ? EventWords.kindChinese($0) : $0.rawValue } ?? order.kind,
      "reason": order.reason, "legalGround": order.legalGround ?? "",
      "issuedBy": order.issuedBy, "confirmedBy": order.confirmedBy ?? "",
      "issuedAt": PageFormat.time(order.issuedAt), "state": state,
      "acknowledged": order.status == .acknowledged, "refused": order.status == .refused,
    ]
  }

  /// The order form: `check` shows it back; `confirm` issues it.
  func issueOrder(_ request: Request, _ visit: PageVisit) async throws -> Response {
    _ = try supervisor()
    let form = try await PageForm.read(request, for: visit)
    do {
      let (platformID, section) = try Self.process(form)
      guard let kind = form.optional("kind").flatMap(SupervisionOrder.Kind.init(rawValue:)) else {
        throw PageFieldRefusal(
          field: "kind",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT", english: "choose the kind of order",
            chinese: "请选择指令类型"))
      }
      let reason = try form.text(
        "reason", chinese: "指令理由", maxLength: TextRules.maxTextLength, multiline: true)
      let ground = form.optional("legalGround")
      if let ground, ground.count > 64 || !JSONTextCheck.isClean(ground) {
        throw PageFieldRefusal(
          field: "legalGround",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT",
            english: "the legal ground is at most 64 characters",
            chinese: "法律依据最多64个字符"))
      }
      if form.fields["step"] != "confirm" {
        return try render(
          "order-check", visit, title: "核对监督指令", english: "Check the order",
          values: [
            "process": "\(platformID)/\(section)", "section": section, "platform": platformID,
            "kind": kind.rawValue,
            "kindName": visit.language == .zh ? EventWords.kindChinese(kind) : kind.rawValue,
            "reason": reason, "legalGround": ground ?? "", "terminate": kind == .terminate,
          ])
      }
      guard
        let wireKind = Operations.issueOrder.Input.Body.jsonPayload.kindPayload(
          rawValue: kind.rawValue)
      else { throw SupervisionProblem.badBody }
      let order = try PageCall.value(
        await api.issueOrder(
          .init(
            body: .json(
              .init(
                platform: platformID, section: section, kind: wireKind, reason: reason,
                legalGround: ground))))
      ) { try $0.created.body.json }
      return visit.redirect(to: "/orders?issued=\(order.id)")
    } catch let refused as PageFieldRefusal {
      return try await orders(
        request, visit, form: form, errors: [(refused.field, refused.problem)],
        status: .unprocessableContent)
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      return try await orders(
        request, visit, form: form, errors: [("reason", problem)],
        status: HTTPResponse.Status(code: problem.status))
    }
  }

  func confirmOrder(_ parameters: Parameters, _ request: Request, _ visit: PageVisit)
    async throws -> Response
  {
    _ = try supervisor()
    let id = try Self.pathValue(parameters, "id")
    _ = try await PageForm.read(request, for: visit)
    do {
      _ = try PageCall.value(await api.confirmOrder(.init(path: .init(orderID: id)))) {
        try $0.ok
      }
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      return try await orders(
        request, visit, errors: [("orders", problem)],
        status: HTTPResponse.Status(code: problem.status))
    }
    return visit.redirect(to: "/orders?issued=\(id)")
  }

  /// The process a form names as "platform/section", in the shape the API checks.
  static func process(_ form: PageForm) throws -> (String, String) {
    let parts = (form.optional("process") ?? "").split(separator: "/", maxSplits: 1)
    guard parts.count == 2, (3...64).contains(parts[0].count), (1...64).contains(parts[1].count)
    else {
      throw PageFieldRefusal(
        field: "process",
        problem: ProblemDetails(
          status: 422, code: "INVALID_INPUT", english: "choose a process of your remit",
          chinese: "请选择本部门监督范围内的项目"))
    }
    return (String(parts[0]), String(parts[1]))
  }

  // MARK: Violation records and bans

  func violations(
    _ request: Request, _ visit: PageVisit, form: PageForm? = nil,
    errors: [(field: String, problem: ProblemDetails)] = [], status: HTTPResponse.Status = .ok
  ) async throws -> Response {
    _ = try supervisor()
    let decisions = try PageCall.value(await api.listDecisions(.init())) { try $0.ok.body.json }
    let processes = try PageCall.value(await api.listProcesses(.init())) { try $0.ok.body.json }
    var values = PageSite.errorValues(errors, visit.language)
    values["decisions"] = decisions.map {
      [
        "id": $0.id, "party": $0.party, "description": $0.description, "article": $0.article,
        "points": $0.points, "decidedAt": PageFormat.time($0.decidedAt),
        "expiresAt": PageFormat.date(Int64($0.expiresAt.timeIntervalSince1970)),
        "banEndsAt": $0.banEndsAt.map { PageFormat.date(Int64($0.timeIntervalSince1970)) }
          ?? false,
        "score": $0.creditScore,
      ] as [String: Any]
    }
    values["none"] = decisions.isEmpty
    values["processes"] = processes.map {
      let key = "\($0.platform)/\($0.section)"
      return [
        "key": key, "name": $0.name.isEmpty ? $0.section : $0.name,
        "selected": key == form?.optional("process"),
      ] as [String: Any]
    }
    for name in ["party", "description", "article", "points", "banDays"] {
      values[name] = form?.fields[name] ?? ""
    }
    values["recorded"] = request.uri.queryParameters["recorded"].map(String.init) ?? false
    return try render(
      "violations", visit, title: "不良行为记录与市场禁入", english: "Violation records and bans",
      values: values, status: status)
  }

  func recordViolation(_ request: Request, _ visit: PageVisit) async throws -> Response {
    _ = try supervisor()
    let form = try await PageForm.read(request, for: visit)
    do {
      let (platformID, section) = try Self.process(form)
      let party = (form.optional("party") ?? "").uppercased()
      do {
        _ = try Account.checkedCreditCode(party)
      } catch {
        throw PageFieldRefusal(field: "party", problem: SupervisionProblem(error))
      }
      let description = try form.text(
        "description", chinese: "违法行为事实", maxLength: TextRules.maxTextLength, multiline: true)
      let article = try form.text("article", chinese: "处理依据", maxLength: 64)
      guard let points = form.optional("points").flatMap(Int.init), (1...100).contains(points)
      else {
        throw PageFieldRefusal(
          field: "points",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT", english: "points are a whole number 1 to 100",
            chinese: "扣分应为1至100的整数"))
      }
      var banDays: Int? = nil
      if let text = form.optional("banDays") {
        guard let days = Int(text), (1...3_650).contains(days) else {
          throw PageFieldRefusal(
            field: "banDays",
            problem: ProblemDetails(
              status: 422, code: "INVALID_INPUT", english: "a ban lasts 1 to 3,650 days",
              chinese: "禁止投标期限应为1至3650日"))
        }
        banDays = days
      }
      if form.fields["step"] != "confirm" {
        return try render(
          "violation-check", visit, title: "核对不良行为记录", english: "Check the record",
          values: [
            "process": "\(platformID)/\(section)", "section": section, "platform": platformID,
            "party": party, "description": description, "article": article, "points": points,
            "banDays": banDays.map(String.init) ?? "", "hasBan": banDays != nil,
          ])
      }
      _ = try PageCall.value(
        await api.recordViolation(
          .init(
            body: .json(
              .init(
                platform: platformID, section: section, party: party, description: description,
                article: article, points: points, banDays: banDays))))
      ) { try $0.created }
      return visit.redirect(to: "/violations?recorded=\(party)")
    } catch let refused as PageFieldRefusal {
      return try await violations(
        request, visit, form: form, errors: [(refused.field, refused.problem)],
        status: .unprocessableContent)
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      return try await violations(
        request, visit, form: form, errors: [("process", problem)],
        status: HTTPResponse.Status(code: problem.status))
    }
  }
}
