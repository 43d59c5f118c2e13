import Hummingbird
import HummingbirdBcrypt
import Logging
import OpenAPIHummingbird
import ServiceLifecycle
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// 交易平台: everything one trading platform needs, built once and shared by its handlers.
public struct TradingPlatform: Sendable {
  public let store: Store
  public let blobs: BlobStore
  public let clock: any PlatformClock
  /// What `/metrics` reports.
  public let metrics = PlatformMetrics(platform: "trading")
  public let logSigner: NoteSigner
  /// Sections as last read, kept until the store commits again (public reads ask for the same
  /// few sections over and over).
  let sections = ReadCache<SectionRepository.Stored?>()
  /// The log's size and root as last read, for checkpoints asked between two commits.
  let logHead = ReadCache<LogHead>(capacity: 1)
  /// The working calendar: the shipped years and those an administrator loaded since.
  public var calendar: WorkingCalendar { calendarBook.current }
  let calendarBook: CalendarBook
  /// bcrypt's cost: 12 in service; tests lower it to keep their runs short.
  public var passwordCost: UInt8 { passwords.cost }
  /// Hashes and checks passwords (with a decoy for names that do not exist).
  let passwords: PasswordCheck
  public let sessionSeconds: Int64 = 12 * 3600
  /// Whether parties (tenderers, agencies, bidders) come only from the hub's registry and sign
  /// in by certificate (一地注册、全网通用); a platform without a hub registers them itself.
  public let partiesFromHub: Bool
  /// How this platform signs its messages to the hub, for a receiver fetching a gap back.
  public let exchange: ExchangeLink?
  /// The supervision platform whose orders this platform applies and to which it reports.
  public let supervision: SupervisionLink?

  public init(
    store: Store, blobs: BlobStore, clock: any PlatformClock, logSigner: NoteSigner,
    calendar: WorkingCalendar = .china2026, passwordCost: UInt8 = 12, partiesFromHub: Bool = false,
    exchange: ExchangeLink? = nil, supervision: SupervisionLink? = nil
  ) {
    self.store = store
    self.blobs = blobs
    self.clock = clock
    self.logSigner = logSigner
    calendarBook = CalendarBook(calendar)
    passwords = PasswordCheck(cost: passwordCost)
    self.partiesFromHub = partiesFromHub
    self.exchange = exchange
    self.supervision = supervision
    // Read at each scrape; they hold the store and the clock, not the platform.
    metrics.measure("outbox_pending") {
      try? await Double(store.transaction { try await Outbox.backlog(on: $0) }.count)
    }
    // How far the relay is behind: the age of the oldest undelivered message (0 if none).
    metrics.measure("outbox_oldest_pending_age_seconds") {
      guard let backlog = try? await store.transaction({ try await Outbox.backlog(on: $0) })
      else { return nil }
      return backlog.oldest.map { Double(max(clock.now() - $0, 0)) } ?? 0
    }
    metrics.measure(store)
  }

  /// The HTTP application serving openapi/trading.yaml under /api/v1.
  /// `onServerRunning` gets the bound port (useful with port 0).
  public func application(
    host: String = "127.0.0.1", port: Int = 8080, logger: Logger = Logger(label: "zhaocai.trading"),
    sandbox: Sandbox? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws -> some ApplicationProtocol {
    let router = Router(context: AddressedRequestContext.self)
    sandbox?.mark(router)
    metrics.add(to: router)
    router.add(middleware: ProblemMiddleware(answering: Problem.init))
    router.add(middleware: RequestLimits())
    Health.add(to: router, store: store, schema: .trading)
    sandbox?.serve(on: router)
    router.add(middleware: PublicAnswers(store: store, isPublic: Self.isPublicRecord))
    router.add(middleware: AuthMiddleware(platform: self))
    try TradingPages(platform: self, sandboxed: sandbox != nil).add(to: router)
    try TradingAPI(platform: self).registerHandlers(
      on: router, serverURL: Servers.Server1.url(), configuration: .zhaocai,
      middlewares: [
        EmptyBodyMiddleware(operations: [
          "raiseObjection", "answerObjection", "objectToOpening", "signReport",
          "replaceRecusedMembers",
        ])
      ])
    return Application(
      router: router, configuration: .init(address: .hostname(host, port: port)),
      onServerRunning: { await onServerRunning($0.localAddress?.port ?? port) }, logger: logger)
  }

  /// The reads whose anonymous answers depend only on the database: a section (as the public
  /// sees it) and the log's checkpoint.
  static func isPublicRecord(_ path: String) -> Bool {
    if path == "/api/v1/log/checkpoint" { return true }
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    return parts.count == 5 && parts[1] == "api" && parts[2] == "v1" && parts[3] == "sections"
      && !parts[4].isEmpty
  }

  /// The HTTP application as `settings` say.
  public func application(_ settings: ServerSettings) throws -> some ApplicationProtocol {
    try application(
      host: settings.host, port: settings.port, logger: settings.logger,
      sandbox: settings.sandbox, onServerRunning: settings.onServerRunning)
  }

  /// What runs this platform, in the order it starts (a service group stops them in reverse):
  /// its HTTP server, then, with `jobs`, once `ready` opens, the opening scheduler (every
  /// `schedulerInterval`: a few times a minute in service) and, with an exchange link, the relay
  /// to the hub and the supervision platform.
  public func services(
    _ settings: ServerSettings, jobs: Bool = true, after ready: StartGate? = nil,
    schedulerInterval: Duration = .seconds(15)
  ) throws -> [any Service] {
    var services: [any Service] = [try application(settings)]
    guard jobs else { return services }
    let scheduler = OpeningScheduler(platform: self, logger: settings.logger)
    services.append(
      BackgroundJob.repeating(
        "opening scheduler", every: schedulerInterval, after: ready, logger: settings.logger
      ) { try await scheduler.tick() })
    if let exchange {
      let relay = ExchangeRelay(platform: self, link: exchange, logger: settings.logger)
      services.append(BackgroundJob(name: "exchange relay", after: ready) { await relay.run() })
    }
    return services
  }
}
