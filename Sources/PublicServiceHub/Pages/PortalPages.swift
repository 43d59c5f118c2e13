import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// 公共服务平台门户: the hub's public pages — notices, processes, credit, the registry,
/// statistics, open data, transparency and draw verification — for anyone, without signing in.
/// They read what the API reads, through the same hub services and repositories.
struct PortalPages: Sendable {
  let hub: PublicServiceHub
  let site: PageSite

  static let menu = [
    PageLink("/", "首页", "Home"), PageLink("/search", "公告检索", "Notices"),
    PageLink("/credit", "信用查询", "Credit"), PageLink("/registry", "主体与平台", "Registry"),
    PageLink("/statistics", "市场统计", "Statistics"), PageLink("/red-flags", "风险预警", "Red flags"),
    PageLink("/open-data", "开放数据", "Open data"),
    PageLink("/transparency", "透明度", "Transparency"),
    PageLink("/draws/verify", "专家抽取验证", "Verify a draw"),
  ]

  init(hub: PublicServiceHub, sandboxed: Bool) throws {
    guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
      throw PageTemplateMissing(name: "PublicServiceHub/Templates")
    }
    self.hub = hub
    site = PageSite(
      library: try PageLibrary(platformTemplates: templates), chinese: "公共服务平台",
      english: "Public Service Platform", sandboxed: sandboxed, answer: HubProblem.init)
  }

  func add<Context: RequestContext>(to router: Router<Context>) {
    PageStatic.add(to: router)
    get("/", on: router) { request, visit, _ in try await home(request, visit) }
    get("/search", on: router) { request, visit, _ in try await search(request, visit) }
    get("/notices/:platform/:sequence", on: router) { request, visit, parameters in
      try await notice(parameters, visit)
    }
    get("/processes/:platform/:section", on: router) { request, visit, parameters in
      try await process(parameters, visit)
    }
    get("/credit", on: router) { request, visit, _ in try await credit(request, visit) }
    get("/registry", on: router) { request, visit, _ in try await registry(request, visit) }
    get("/statistics", on: router) { request, visit, _ in try await statistics(request, visit) }
    get("/red-flags", on: router) { request, visit, _ in try await redFlags(request, visit) }
    get("/open-data", on: router) { _, visit, _ in try openData(visit) }
    get("/transparency", on: router) { _, visit, _ in try await transparency(visit) }
    get("/draws/verify", on: router) { _, visit, _ in
      try render("draw", visit, title: "专家抽取验证", english: "Verify an expert draw")
    }
    router.post("/draws/verify") { request, _ in
      await site.respond(request, menu: Self.menu) { visit in
        try await verifyDraw(request, visit)
      }
    }
  }

  private func get<Context: RequestContext>(
    _ path: RouterPath, on router: Router<Context>,
    _ handler: @escaping @Sendable (Request, PageVisit, Parameters) async throws -> Response
  ) {
    router.get(path) { request, context in
      let parameters = context.parameters
      return await site.respond(request, menu: Self.menu) { visit in
        try await handler(request, visit, parameters)
      }
    }
  }

  func render(
    _ template: String, _ visit: PageVisit, title: String, english: String,
    values: [String: Any] = [:], status: HTTPResponse.Status = .ok
  ) throws -> Response {
    try site.page(
      template, for: visit, title: visit.language == .zh ? title : english, values: values,
      menu: Self.menu, status: status)
  }

  // MARK: What several pages show

  func noticeRow(
    _ entry: HubNoticeRepository.Entry, platforms: [String: HubRepository.Platform],
    _ language: PageLanguage
  ) -> [String: Any] {
    let kind = NoticeKind(rawValue: entry.kind)
    return [
      "title": entry.title, "href": "/notices/\(entry.platform)/\(entry.sequence)",
      "kind": kind.map { language == .zh ? $0.chinese : $0.english } ?? entry.kind,
      "region": PageFormat.region(entry.region), "industry": entry.industry,
      "publishedAt": PageFormat.time(entry.publishedAt),
      "platform": platforms[entry.platform]?.name ?? entry.platform,
      "processHref": "/processes/\(entry.platform)/\(entry.section)", "section": entry.section,
    ]
  }

  /// A party's name with its credit code, as the registry knows it.
  func partyNames(_ codes: [String]) async throws -> [String: String] {
    try await hub.store.read { database in
      var names: [String: String] = [:]
      for code in Set(codes).prefix(200) {
        names[code] = try await HubPartyRepository.party(code, on: database)?.name
      }
      return names
    }
  }
}

/// A path parameter of at most `maxLength` characters, or a 404 saying what was not found.
func pathValue(_ parameters: Parameters, _ name: String, maxLength: Int = 64) throws -> String {
  guard let value = parameters.get(name), (1...maxLength).contains(value.count) else {
    throw DomainError.notFound(name, chinese: nil)
  }
  return value
}
