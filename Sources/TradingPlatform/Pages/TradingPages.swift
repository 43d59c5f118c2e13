import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiWeb

/// 交易平台 pages: sign-in (a password for staff, experts and key holders; a certificate, signed
/// in the browser, for tenderers, agencies and bidders), the workspace of each role, a section's
/// page, the opening hall and the evaluation room. Every page calls the same handlers as the API
/// (in process, as the signed-in account), so a page does only what the API lets that account do.
struct TradingPages: Sendable {
  let platform: TradingPlatform
  let site: PageSite
  var api: TradingAPI { TradingAPI(platform: platform) }

  init(platform: TradingPlatform, sandboxed: Bool) throws {
    guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
      throw PageTemplateMissing(name: "TradingPlatform/Templates")
    }
    self.platform = platform
    site = PageSite(
      library: try PageLibrary(platformTemplates: templates), chinese: "电子招标投标交易平台",
      english: "Electronic Tendering Platform", sandboxed: sandboxed, answer: Problem.init)
  }

  /// The menu of the signed-in account's role.
  var menu: [PageLink] {
    guard let account = Caller.current.account else {
      return [PageLink("/", "登录", "Sign in"), PageLink("/sections", "招标项目", "Tenders")]
    }
    var links = [PageLink("/", "工作台", "Workspace"), PageLink("/sections", "招标项目", "Tenders")]
    if account.role == .tenderer || account.role == .agency {
      links.append(PageLink("/sections/new", "新建标段", "New section"))
    }
    if account.role == .administrator {
      links.append(PageLink("/admin", "平台运行", "Operations"))
    }
    return links
  }

  var signedIn: String? {
    Caller.current.account.map { "\($0.name) · \(Self.roleName($0.role))" }
  }

  static func roleName(_ role: Role) -> String {
    switch role {
    case .tenderer: "招标人"
    case .agency: "招标代理机构"
    case .bidder: "投标人"
    case .expert: "评标专家"
    case .keyHolder: "开标密钥持有人"
    case .administrator: "平台管理员"
    }
  }

  func add(to router: Router<AddressedRequestContext>) {
    PageStatic.add(to: router)
    get("/", on: router) { request, visit, _ in
      try await workspace(visit, host: request.head.authority)
    }
    post("/sign-in", on: router) { request, visit, _ in try await signIn(request, &visit) }
    post("/sign-in/certificate", on: router) { request, visit, _ in
      try await certificateSignIn(request, &visit)
    }
    post("/sign-out", on: router) { request, visit, _ in try await signOut(request, &visit) }
    get("/sections", on: router) { _, visit, _ in try await sections(visit) }
    get("/admin", on: router) { _, visit, _ in try await administration(visit) }
    post("/admin/accounts", on: router) { request, visit, _ in
      try await addAccount(request, visit)
    }
    get("/sections/new", on: router) { _, visit, _ in try newSection(visit) }
    post("/sections/new", on: router) { request, visit, _ in
      try await createSection(request, visit)
    }
    get("/sections/:id", on: router) { request, visit, parameters in
      try await section(parameters, request, visit)
    }
    post("/sections/:id/:step", on: router) { request, visit, parameters in
      try await act(parameters, request, visit)
    }
    get("/sections/:id/opening", on: router) { _, visit, parameters in
      try await openingHall(parameters, visit)
    }
    router.get("/sections/:id/opening/events") { request, context in
      await openingEvents(request, context)
    }
    get("/sections/:id/bid", on: router) { _, visit, parameters in
      try await bidPage(try Self.pathValue(parameters, "id"), visit)
    }
    uploadRoutes(on: router)
    holderShares(on: router)
    get("/sections/:id/release", on: router) { request, visit, parameters in
      try await holderReleasePage(
        try Self.pathValue(parameters, "id"), visit, host: request.head.authority)
    }
    get("/sections/:id/opened/:bidder", on: router) { _, visit, parameters in
      try await openedBidPage(
        try Self.pathValue(parameters, "id"), try Self.pathValue(parameters, "bidder"), visit)
    }
    get("/sections/:id/opened/:bidder/:index", on: router) { _, _, parameters in
      try await openedDocument(
        try Self.pathValue(parameters, "id"), try Self.pathValue(parameters, "bidder"),
        try Self.pathValue(parameters, "index"))
    }
    get("/sections/:id/archive", on: router) { _, _, parameters in
      try await archiveDownload(try Self.pathValue(parameters, "id"))
    }
    get("/sections/:id/committee-draw", on: router) { _, _, parameters in
      try await committeeDraw(try Self.pathValue(parameters, "id"))
    }
    get("/sections/:id/committee-draw/:round", on: router) { _, _, parameters in
      guard let round = Int(try Self.pathValue(parameters, "round")), (1...99).contains(round)
      else { throw DomainError.notFound("that draw record", chinese: "该抽取记录") }
      return try await committeeDraw(try Self.pathValue(parameters, "id"), round: round)
    }
    get("/sections/:id/envelopes/:bidder", on: router) { _, _, parameters in
      try await envelopeDownload(
        try Self.pathValue(parameters, "id"), try Self.pathValue(parameters, "bidder"))
    }
    get("/sections/:id/documents/:version", on: router) { _, _, parameters in
      try await documentsDownload(
        try Self.pathValue(parameters, "id"), try Self.pathValue(parameters, "version"))
    }
    get("/sections/:id/evaluation", on: router) { _, visit, parameters in
      try await evaluationRoom(try Self.pathValue(parameters, "id"), visit)
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
      return await site.respond(request, menu: menu, signedIn: signedIn) { visit in
        try await handler(request, visit, parameters)
      }
    }
  }

  private func post(
    _ path: RouterPath, on router: Router<AddressedRequestContext>, _ handler: @escaping Handler
  ) {
    router.post(path) { request, context in
      let parameters = context.parameters
      return await site.respond(request, menu: menu, signedIn: signedIn) { visit in
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
      menu: menu, signedIn: signedIn, status: status)
  }

  static func pathValue(_ parameters: Parameters, _ name: String, maxLength: Int = 64) throws
    -> String
  {
    guard let value = parameters.get(name), (1...maxLength).contains(value.count) else {
      throw DomainError.notFound(name, chinese: "该标段")
    }
    return value
  }

  // MARK: Signing in and out

  func signIn(_ request: Request, _ visit: inout PageVisit) async throws -> Response {
    let form = try await PageForm.read(request, for: visit)
    let account = form.optional("account") ?? ""
    do {
      guard (form.fields["password"] ?? "").count <= 128 else { throw Problem.wrongPassword }
      let session = try await platform.signIn(
        account: account, password: form.fields["password"] ?? "")
      visit.set(
        visit.cookie(PageVisit.sessionCookie, session.token, maxAge: Int(platform.sessionSeconds)))
      return visit.redirect(to: "/")
    } catch {
      let problem = Problem(error)
      guard problem.status == 401 || problem.status == 429 else { throw error }
      return try signInPage(
        visit, account: account, errors: [("password", problem)],
        status: HTTPResponse.Status(code: problem.status))
    }
  }

  /// The certificate sign-in the page's script made: the browser signed the platform's nonce
  /// with the party's key (which never left the machine); the platform checks it as the API does.
  func certificateSignIn(_ request: Request, _ visit: inout PageVisit) async throws -> Response {
    let form = try await PageForm.read(request, for: visit)
    do {
      guard let role = form.optional("role").flatMap(Role.init(rawValue:)), role.selfRegistered
      else {
        throw PageFieldRefusal(
          field: "role",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT", english: "choose whom you sign in as",
            chinese: "请选择登录身份"))
      }
      let certificate = form.fields["certificate"] ?? ""
      let nonce = form.fields["nonce"] ?? ""
      guard (1...16_384).contains(certificate.count), (1...64).contains(nonce.count),
        let signature = form.optional("signature").flatMap({ Data(base64Encoded: $0) }),
        signature.count <= 512
      else {
        throw PageFieldRefusal(
          field: "keyFile",
          problem: ProblemDetails(
            status: 422, code: "SIGN_IN_FAILED",
            english:
              "choose your certificate and key file; the page signs with the key in your browser",
            chinese: "请选择数字证书与密钥文件；页面在您的浏览器内用密钥签名，密钥不会上传"))
      }
      let session = try await platform.signIn(
        certificate: certificate, role: role, nonce: nonce, signature: Array(signature),
        from: Caller.current.address)
      visit.set(
        visit.cookie(PageVisit.sessionCookie, session.token, maxAge: Int(platform.sessionSeconds)))
      return visit.redirect(to: "/")
    } catch let refused as PageFieldRefusal {
      return try signInPage(
        visit, errors: [(refused.field, refused.problem)], status: .unprocessableContent)
    } catch {
      let problem = Problem(error)
      guard (400..<500).contains(problem.status) else { throw error }
      return try signInPage(
        visit, errors: [("keyFile", problem)], status: HTTPResponse.Status(code: problem.status))
    }
  }

  func signOut(_ request: Request, _ visit: inout PageVisit) async throws -> Response {
    _ = try await PageForm.read(request, for: visit)
    if let token = Caller.current.token { try await platform.signOut(bearer: token) }
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
}
