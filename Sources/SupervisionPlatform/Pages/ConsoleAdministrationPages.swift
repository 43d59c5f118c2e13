import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiWeb

/// The platform administrator's pages: departments with their remit and their supervisors. The
/// administrator signs in with the platform's administrator token (kept in its own HttpOnly,
/// SameSite=Strict cookie for an hour) and sees no process, complaint or order.
extension ConsolePages {
  static let administratorCookie = "zc_admin"

  func administration(
    _ visit: PageVisit, form: PageForm? = nil,
    errors: [(field: String, problem: ProblemDetails)] = [], status: HTTPResponse.Status = .ok
  ) async throws -> Response {
    guard SupervisionCaller.current.isAdministrator else {
      return try render(
        "admin-sign-in", visit, title: "平台管理", english: "Administration",
        values: PageSite.errorValues(errors, visit.language), status: status)
    }
    let departments = try await api.listDepartments(.init()).ok.body.json
    let supervisors = try PageCall.value(await api.listSupervisors(.init())) {
      try $0.ok.body.json
    }
    var values = PageSite.errorValues(errors, visit.language)
    values["departments"] = departments.map {
      [
        "id": $0.id, "name": $0.name, "industry": $0.industry,
        "region": PageFormat.region($0.region), "code": $0.region,
        "selected": form?.optional("department") == $0.id,
      ] as [String: Any]
    }
    values["supervisors"] = supervisors.map {
      ["id": $0.id, "name": $0.name, "department": $0.departmentName]
    }
    for name in ["departmentID", "departmentName", "industry", "region", "id", "name"] {
      values[name] = form?.fields[name] ?? ""
    }
    return try render(
      "admin", visit, title: "部门与监督人员", english: "Departments and supervisors",
      values: values, status: status)
  }

  func administratorSignIn(_ request: Request, _ visit: inout PageVisit) async throws
    -> Response
  {
    let form = try await PageForm.read(request, for: visit)
    let token = form.fields["token"] ?? ""
    guard token.count <= 256, platform.isAdministrator(token) else {
      return try await administration(
        visit,
        errors: [
          (
            "token",
            ProblemDetails(
              status: 401, code: "ADMINISTRATOR_REQUIRED",
              english: "that is not this platform's administrator token",
              chinese: "管理员令牌不正确")
          )
        ], status: .unauthorized)
    }
    visit.set(
      Cookie(
        name: Self.administratorCookie, value: token, maxAge: 3_600, path: "/",
        secure: visit.secure, httpOnly: true, sameSite: .strict))
    return visit.redirect(to: "/admin")
  }

  func administratorSignOut(_ request: Request, _ visit: inout PageVisit) async throws
    -> Response
  {
    _ = try await PageForm.read(request, for: visit)
    visit.set(visit.cookie(Self.administratorCookie, "", maxAge: 0))
    return visit.redirect(to: "/admin")
  }

  func addDepartment(_ request: Request, _ visit: PageVisit) async throws -> Response {
    try SupervisionCaller.current.requireAdministrator()
    let form = try await PageForm.read(request, for: visit)
    do {
      let body = Components.Schemas.DepartmentView(
        id: try form.text("departmentID", chinese: "部门标识", maxLength: 64),
        name: try form.text("departmentName", chinese: "部门名称"),
        industry: try form.text("industry", chinese: "行业", maxLength: 64),
        region: try form.text("region", chinese: "行政区划代码", maxLength: 6))
      _ = try PageCall.value(await api.addDepartment(.init(body: .json(body)))) {
        try $0.created
      }
    } catch let refused as PageFieldRefusal {
      return try await administration(
        visit, form: form, errors: [(refused.field, refused.problem)],
        status: .unprocessableContent)
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      return try await administration(
        visit, form: form, errors: [("departmentID", problem)],
        status: HTTPResponse.Status(code: problem.status))
    }
    return visit.redirect(to: "/admin")
  }

  func addSupervisor(_ request: Request, _ visit: PageVisit) async throws -> Response {
    try SupervisionCaller.current.requireAdministrator()
    let form = try await PageForm.read(request, for: visit)
    do {
      let password = form.fields["password"] ?? ""
      guard (8...128).contains(password.count) else {
        throw PageFieldRefusal(
          field: "password",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT", english: "a password has 8 to 128 characters",
            chinese: "密码应为8至128个字符"))
      }
      let body = Operations.addSupervisor.Input.Body.jsonPayload(
        id: try form.text("id", chinese: "账号", maxLength: 64),
        name: try form.text("name", chinese: "姓名"),
        department: try form.text("department", chinese: "所属部门", maxLength: 64),
        password: password)
      _ = try PageCall.value(await api.addSupervisor(.init(body: .json(body)))) {
        try $0.created
      }
    } catch let refused as PageFieldRefusal {
      return try await administration(
        visit, form: form, errors: [(refused.field, refused.problem)],
        status: .unprocessableContent)
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      return try await administration(
        visit, form: form, errors: [("id", problem)],
        status: HTTPResponse.Status(code: problem.status))
    }
    return visit.redirect(to: "/admin")
  }
}
