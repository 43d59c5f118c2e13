import Foundation
import Hummingbird
import ZhaocaiAnalytics
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// 行政监督平台 console: a supervisor signs in and oversees the processes of the department's
/// remit — timelines, alerts, complaints, orders, violation records, filings and the access log.
/// Every page calls the same handlers as the API (in process, as the signed-in supervisor), so a
/// page can do only what the API lets that supervisor do; the public pages (the legal basis,
/// published rulings) need no sign-in.
struct ConsolePages: Sendable {
  let platform: SupervisionPlatform
  let site: PageSite
  var api: SupervisionAPI { SupervisionAPI(platform: platform) }

  static let publicMenu = [
    PageLink("/", "登录", "Sign in"), PageLink("/complaint", "在线投诉", "File a complaint"),
    PageLink("/rulings", "投诉处理决定", "Rulings"),
    PageLink("/legal-basis", "法律依据与职责", "Legal basis"),
  ]
  static let menu = [
    PageLink("/", "工作台", "Dashboard"), PageLink("/alerts", "预警", "Alerts"),
    PageLink("/screens", "价格筛查", "Price screens"),
    PageLink("/networks", "投标关系网络", "Co-bidding network"),
    PageLink("/complaints", "投诉", "Complaints"), PageLink("/orders", "监督指令", "Orders"),
    PageLink("/violations", "不良行为与禁入", "Violations"), PageLink("/filings", "备案", "Filings"),
    PageLink("/access-log", "访问记录", "Access log"), PageLink("/rulings", "处理决定公开", "Rulings"),
  ]

  init(platform: SupervisionPlatform, sandboxed: Bool) throws {
    guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
      throw PageTemplateMissing(name: "SupervisionPlatform/Templates")
    }
    // The screening model is read as the platform starts, so a broken installation stops here
    // rather than at a supervisor's first process page.
    _ = try ScreenModel.bundled()
    self.platform = platform
    site = PageSite(
      library: try PageLibrary(platformTemplates: templates), chinese: "行政监督平台",
      english: "Supervision Platform", sandboxed: sandboxed, answer: SupervisionProblem.init)
  }

  static let administratorMenu = [
    PageLink("/admin", "部门与监督人员", "Departments and supervisors"),
    PageLink("/legal-basis", "法律依据与职责", "Legal basis"),
  ]

  /// The signed-in supervisor's name and department (or the administrator), for the header.
  var signedIn: String? {
    if SupervisionCaller.current.isAdministrator { return "平台管理员 Administrator" }
    return SupervisionCaller.current.supervisor.map { "\($0.name) · \($0.department.name)" }
  }

  var currentMenu: [PageLink] {
    if SupervisionCaller.current.isAdministrator { return Self.administratorMenu }
    return SupervisionCaller.current.supervisor == nil ? Self.publicMenu : Self.menu
  }

  func add(to router: Router<AddressedRequestContext>) {
    PageStatic.add(to: router)
    get("/", on: router) { request, visit, _ in try await dashboard(request, visit) }
    get("/legal-basis", on: router) { _, visit, _ in try legalBasis(visit) }
    get("/rulings", on: router) { _, visit, _ in try await rulings(visit) }
    get("/complaint", on: router) { _, visit, _ in try complaintForm(visit) }
    post("/sign-in", on: router) { request, visit, _ in try await signIn(request, &visit) }
    post("/sign-out", on: router) { request, visit, _ in try await signOut(request, &visit) }
    get("/processes/:platform/:section", on: router) { _, visit, parameters in
      try await process(parameters, visit)
    }
    get("/alerts", on: router) { _, visit, _ in try await alerts(visit) }
    get("/screens", on: router) { _, visit, _ in try await screens(visit) }
    get("/networks", on: router) { _, visit, _ in try await network(visit) }
    get("/networks.svg", on: router) { _, visit, _ in try await networkExport(visit, svg: true) }
    get("/networks.json", on: router) { _, visit, _ in try await networkExport(visit, svg: false) }
    get("/filings", on: router) { _, visit, _ in try await filings(visit) }
    get("/access-log", on: router) { _, visit, _ in try await accessLog(visit) }
    get("/complaints", on: router) { _, visit, _ in try await complaints(visit) }
    get("/complaints/:id", on: router) { request, visit, parameters in
      try await complaint(parameters, request, visit)
    }
    post("/complaints/:id/:step", on: router) { request, visit, parameters in
      try await decide(parameters, request, visit)
    }
    get("/orders", on: router) { request, visit, _ in try await orders(request, visit) }
    post("/orders", on: router) { request, visit, _ in try await issueOrder(request, visit) }
    post("/orders/:id/confirmation", on: router) { request, visit, parameters in
      try await confirmOrder(parameters, request, visit)
    }
    get("/violations", on: router) { request, visit, _ in try await violations(request, visit) }
    post("/violations", on: router) { request, visit, _ in
      try await recordViolation(request, visit)
    }
    get("/admin", on: router) { _, visit, _ in try await administration(visit) }
    post("/admin/sign-in", on: router) { request, visit, _ in
      try await administratorSignIn(request, &visit)
    }
    post("/admin/sign-out", on: router) { request, visit, _ in
      try await administratorSignOut(request, &visit)
    }
    post("/admin/departments", on: router) { request, visit, _ in
      try await addDepartment(request, visit)
    }
    post("/admin/supervisors", on: router) { request, visit, _ in
      try await addSupervisor(request, visit)
    }
  }

  private typealias Handler =
    @Sendable (Request, inout PageVisit, Parameters) async throws -> Response

  private func get(
    _ path: RouterPath, on router: Router<AddressedRequestContext>,
    _ handler: @escaping @Sendable (Request, PageVisit, Parameters) async throws -> Response
  ) {
    router.get(path) { request, context in
      let parameters = context.parameters
      return await site.respond(request, menu: currentMenu, signedIn: signedIn) { visit in
        try await handler(request, visit, parameters)
      }
    }
  }

  private func post(
    _ path: RouterPath, on router: Router<AddressedRequestContext>, _ handler: @escaping Handler
  ) {
    router.post(path) { request, context in
      let parameters = context.parameters
      return await site.respond(request, menu: currentMenu, signedIn: signedIn) { visit in
        try await handler(request, &visit, parameters)
      }
    }
  }

  func render(
    _ template: String, _ visit: PageVisit, title: String, english: String,
    values: [String: Any] = [:], status: HTTPResponse.Status = .ok
  ) throws -> Response {
    try site.page(
      template, for: visit, title: visit.language == .zh ? title : english, values: values,
      menu: currentMenu, signedIn: signedIn, status: status)
  }

  /// The signed-in supervisor, or the sign-in page's refusal.
  func supervisor() throws -> Supervisor { try SupervisionCaller.current.require() }

  // MARK: Signing in and out

  func signIn(_ request: Request, _ visit: inout PageVisit) async throws -> Response {
    let form = try await PageForm.read(request, for: visit)
    let account = form.optional("account") ?? ""
    do {
      guard account.count <= 64, (form.fields["password"] ?? "").count <= 128 else {
        throw SupervisionProblem.wrongPassword
      }
      let session = try await platform.signIn(account, password: form.fields["password"] ?? "")
      visit.set(
        visit.cookie(
          PageVisit.sessionCookie, session.token, maxAge: Int(platform.sessionSeconds)))
      return visit.redirect(to: "/")
    } catch {
      let problem = SupervisionProblem(error)
      guard problem.status == 401 || problem.status == 429 else { throw error }
      return try signInPage(
        visit, account: account,
        errors: [("password", problem)], status: HTTPResponse.Status(code: problem.status))
    }
  }

  func signOut(_ request: Request, _ visit: inout PageVisit) async throws -> Response {
    _ = try await PageForm.read(request, for: visit)
    if let token = SupervisionCaller.current.sessionToken { try await platform.signOut(token) }
    visit.set(visit.cookie(PageVisit.sessionCookie, "", maxAge: 0))
    return visit.redirect(to: "/")
  }

  func signInPage(
    _ visit: PageVisit, account: String = "",
    errors: [(field: String, problem: ProblemDetails)] = [], status: HTTPResponse.Status = .ok
  ) throws -> Response {
    try render(
      "sign-in", visit, title: "登录", english: "Sign in",
      values: PageSite.errorValues(errors, visit.language).merging(["account": account]) { $1 },
      status: status)
  }

  // MARK: Public pages

  func legalBasis(_ visit: PageVisit) throws -> Response {
    try render(
      "legal-basis", visit, title: "法律依据、职责、程序与时限", english: "Legal basis, duties and time limits",
      values: [
        "basis": LegalBasis.basis.map { ["title": $0.title, "articles": $0.articles] },
        "duties": LegalBasis.duties.map { ["duty": $0.duty, "procedure": $0.procedure] },
        "limits": LegalBasis.timeLimits.map {
          [
            "code": $0.code, "article": $0.article,
            "text": visit.language == .zh ? $0.chinese : $0.english,
          ]
        },
      ])
  }

  /// The public form a party files a complaint with (条例60), signed in its browser with the key
  /// of its certificate; `platform` and `section` may come filled in from a trading platform's
  /// link.
  func complaintForm(_ visit: PageVisit) throws -> Response {
    let prefill = { (name: String) -> String in
      guard let value = visit.query(name)?.removingPercentEncoding,
        (try? TextRules.checked(value, field: name, chineseField: name, maxLength: 64)) != nil
      else { return "" }
      return value
    }
    return try render(
      "complaint-new", visit, title: "在线投诉", english: "File a complaint",
      values: [
        "platform": prefill("platform"), "section": prefill("section"),
        "today": LegalDate(instant: platform.now()).description,
      ])
  }

  func rulings(_ visit: PageVisit) async throws -> Response {
    let rulings = try await api.listRulings(.init()).ok.body.json
    return try render(
      "rulings", visit, title: "投诉处理决定公开", english: "Published rulings",
      values: [
        "rulings": rulings.reversed().map {
          [
            "id": $0.complaint, "section": $0.section, "platform": $0.platform,
            "complainant": $0.complainant, "matter": Self.matter($0.matter, visit.language),
            "ruling": $0.ruling, "decidedAt": PageFormat.time($0.decidedAt),
          ]
        },
        "none": rulings.isEmpty,
      ])
  }

  static func matter(_ raw: String, _ language: PageLanguage) -> String {
    guard let matter = ComplaintMatter(rawValue: raw) else { return raw }
    return language == .zh ? matter.chinese : raw
  }
}
