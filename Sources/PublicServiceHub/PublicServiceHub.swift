import Crypto
import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import ServiceLifecycle
import ZhaocaiAnalytics
import ZhaocaiCrypto
import ZhaocaiStore
import ZhaocaiWeb

/// 公共服务平台: the hub. It has no trading function: it registers platforms, receives their
/// signed messages, and (as issue 4 goes on) publishes notices, shares parties and experts,
/// keeps checkpoints and publishes open data.
public struct PublicServiceHub: Sendable {
  public let store: Store
  /// The hub's clock, injected so tests and the sandbox move time.
  public let clock: any PlatformClock
  /// What `/metrics` reports.
  public let metrics = PlatformMetrics(platform: "hub")
  /// Signs the hub's own log checkpoints (expert pool, draws).
  public let logSigner: NoteSigner
  /// The administrator's bearer token (only its digest is kept).
  let administrator: AdministratorToken?
  /// Notice searches as last answered, kept until the hub commits again.
  let searches = ReadCache<([HubNoticeRepository.Entry], [HubRepository.Platform])>()
  /// The red flags as last computed, kept until the hub commits again.
  let redFlagReports = ReadCache<HubRedFlags>(capacity: 1)
  /// The collusion model that scores the open data's processes (the bundled one), read as the
  /// hub is built so a broken installation stops it as it starts.
  let screenModel: ScreenModel

  public init(
    store: Store, administratorToken: String, logSigner: NoteSigner? = nil,
    clock: any PlatformClock
  ) throws {
    self.store = store
    self.clock = clock
    self.logSigner = try logSigner ?? NoteSigner(name: "hub.localhost/log", key: .init())
    administrator = AdministratorToken(administratorToken)
    screenModel = try ScreenModel.bundled()
    metrics.measure(store)
  }

  /// Seconds since 1970 on the hub's clock.
  public func now() -> Int64 { clock.now() }

  /// The HTTP application serving openapi/exchange.yaml under /api/v1.
  /// `onServerRunning` gets the bound port (useful with port 0).
  public func application(
    host: String = "127.0.0.1", port: Int = 8090, logger: Logger = Logger(label: "zhaocai.hub"),
    sandbox: Sandbox? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws -> some ApplicationProtocol {
    let router = Router()
    sandbox?.mark(router)
    metrics.add(to: router)
    router.add(middleware: ProblemMiddleware(answering: HubProblem.init))
    router.add(middleware: RequestLimits())
    Health.add(to: router, store: store, schema: .hub)
    sandbox?.serve(on: router)
    try PortalPages(hub: self, sandboxed: sandbox != nil).add(to: router)
    // A notice search is the same for every anonymous caller until the hub commits again.
    router.add(middleware: PublicAnswers(store: store) { $0 == "/api/v1/notices" })
    router.add(middleware: AdministratorMiddleware(token: administrator))
    try HubAPI(hub: self).registerHandlers(
      on: router, serverURL: Servers.Server1.url(), configuration: .zhaocai)
    return Application(
      router: router, configuration: .init(address: .hostname(host, port: port)),
      onServerRunning: { await onServerRunning($0.localAddress?.port ?? port) }, logger: logger)
  }
}

extension PublicServiceHub {
  /// The HTTP application as `settings` say.
  public func application(_ settings: ServerSettings) throws -> some ApplicationProtocol {
    try application(
      host: settings.host, port: settings.port, logger: settings.logger,
      sandbox: settings.sandbox, onServerRunning: settings.onServerRunning)
  }

  /// What runs the hub, in the order it starts: its HTTP server, then, with `jobs`, once `ready`
  /// opens, the catch-up that fetches back any gap a platform's messages left (twice a minute).
  public func services(
    _ settings: ServerSettings, jobs: Bool = true, after ready: StartGate? = nil
  ) throws -> [any Service] {
    var services: [any Service] = [try application(settings)]
    guard jobs else { return services }
    services.append(
      BackgroundJob.repeating(
        "catch-up", every: .seconds(30), after: ready, logger: settings.logger
      ) { try await catchUp() })
    return services
  }

  /// Fetches back every gap a platform left (messages held past a missing one) from the
  /// platform itself; returns how many messages were applied. Run periodically by `serve`.
  @discardableResult
  public func catchUp() async throws -> Int {
    let platforms = try await store.transaction { try await HubRepository.all(on: $0) }
    var applied = 0
    for platform in platforms where platform.status == .approved {
      applied += (try? await catchUp(platform.id)) ?? 0
    }
    return applied
  }
}

/// Whether the current request carries the hub administrator's token.
enum HubCaller {
  @TaskLocal static var isAdministrator = false
}

/// Marks requests that carry the administrator's token; a wrong token is refused outright.
struct AdministratorMiddleware<Context: RequestContext>: RouterMiddleware {
  let token: AdministratorToken?

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    guard let header = request.headers[.authorization] else {
      return try await next(request, context)
    }
    guard token?.accepts(authorization: header) == true else { throw HubProblem.signInNeeded }
    return try await HubCaller.$isAdministrator.withValue(true) {
      try await next(request, context)
    }
  }
}
