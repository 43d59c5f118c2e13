import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiWeb

/// The platform administrator's page (平台运行): how the platform's own work stands, the
/// accounts of each role with a form to add an expert, a key holder or an administrator, and
/// the latest logged operations with who did them and from where — all through the API.
extension TradingPages {
  static let staffRoles: [(Role, String, String)] = [
    (.expert, "评标专家", "Experts"), (.keyHolder, "开标密钥持有人", "Key holders"),
    (.administrator, "平台管理员", "Administrators"), (.bidder, "投标人", "Bidders"),
    (.tenderer, "招标人", "Tenderers"), (.agency, "招标代理机构", "Agencies"),
  ]

  func administration(
    _ visit: PageVisit, errors: [(field: String, problem: ProblemDetails)] = [],
    form: PageForm? = nil, status: HTTPResponse.Status = .ok
  ) async throws -> Response {
    guard Caller.current.account != nil else { return try signInPage(visit) }
    let role =
      visit.query("role").flatMap(Role.init(rawValue:)) ?? .expert
    let accounts = try PageCall.value(
      await api.listAccounts(.init(query: .init(role: .init(rawValue: role.rawValue)!, limit: 200)))
    ) { try $0.ok.body.json }
    let operations = try PageCall.value(await api.getOperations(.init(query: .init(limit: 50)))) {
      try $0.ok.body.json
    }
    var values = PageSite.errorValues(errors, visit.language)
    values["roles"] = Self.staffRoles.map { entry in
      [
        "role": entry.0.rawValue, "name": visit.language == .zh ? entry.1 : entry.2,
        "current": entry.0 == role,
      ] as [String: Any]
    }
    values["accounts"] = accounts.map {
      [
        "id": $0.id, "name": $0.name, "creditCode": $0.creditCode,
        "specialities": ($0.specialities ?? []).joined(separator: "、"),
      ] as [String: Any]
    }
    values["none"] = accounts.isEmpty
    values["outboxPending"] = operations.outboxPending
    values["outboxOldest"] = operations.outboxOldestAt.map { PageFormat.time($0) } ?? "—"
    values["outboxLate"] = operations.outboxPending > 0
    values["sectionsToClose"] = operations.sectionsToClose
    values["openingsWaiting"] = operations.openingsWaiting
    values["logSize"] = operations.logSize
    values["recent"] = operations.recent.map {
      [
        "index": $0.index, "at": PageFormat.time($0.at), "section": $0.section,
        "event": $0.event, "account": $0.account ?? "—", "role": $0.role ?? "—",
        "address": $0.address ?? "—",
      ] as [String: Any]
    }
    values["form"] = [
      "id": form?.fields["id"] ?? "", "name": form?.fields["name"] ?? "",
      "creditCode": form?.fields["creditCode"] ?? "",
      "specialities": form?.fields["specialities"] ?? "",
    ]
    values["added"] = visit.query("done") == "account"
    return try render(
      "administration", visit, title: "平台运行", english: "Platform operations", values: values,
      status: status)
  }

  /// Adds an expert, a key holder or an administrator (the API's registration, as the
  /// administrator); a refusal is shown beside its field.
  func addAccount(_ request: Request, _ visit: PageVisit) async throws -> Response {
    let form = try await PageForm.read(request, for: visit)
    let role = form.optional("role").flatMap(Role.init(rawValue:))
    do {
      guard let role, [.expert, .keyHolder, .administrator].contains(role),
        let apiRole = Components.Schemas.AccountRegistration.rolePayload(rawValue: role.rawValue)
      else {
        throw PageFieldRefusal(
          field: "role",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT",
            english: "the administrator adds experts, key holders and administrators",
            chinese: "管理员可添加评标专家、开标密钥持有人和平台管理员"))
      }
      let specialities = form.list("specialities", limit: 20, byWhitespace: false)
      let body = Components.Schemas.AccountRegistration(
        id: form.optional("id") ?? "", password: form.fields["password"] ?? "", role: apiRole,
        name: form.optional("name") ?? "", creditCode: form.optional("creditCode") ?? "",
        specialities: specialities.isEmpty ? nil : Array(Set(specialities)).sorted())
      _ = try PageCall.value(await api.registerAccount(.init(body: .json(body)))) {
        try $0.created
      }
      return visit.redirect(to: "/admin?role=\(role.rawValue)&done=account")
    } catch let refused as PageFieldRefusal {
      return try await administration(
        visit, errors: [(refused.field, refused.problem)], form: form,
        status: .unprocessableContent)
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      return try await administration(
        visit, errors: [("id", problem)], form: form,
        status: HTTPResponse.Status(code: problem.status))
    }
  }
}
