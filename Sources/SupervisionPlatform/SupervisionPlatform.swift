import Crypto
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import NIOPosix
import OpenAPIHummingbird
import SQLKit
import ServiceLifecycle
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// 行政监督平台: supervisory departments oversee the trading platforms' processes online, each
/// within its remit — tracking, alerts, complaints, orders and credit — and can change nothing on
/// a process except by a signed order the trading platform applies and acknowledges.
public struct SupervisionPlatform: Sendable {
  public let store: Store
  /// The platform's clock, injected so tests and the sandbox move time.
  public let clock: any PlatformClock
  /// What `/metrics` reports.
  public let metrics = PlatformMetrics(platform: "supervision")
  public let calendar: WorkingCalendar
  /// Signs this platform's own log checkpoints.
  public let logSigner: NoteSigner
  /// This platform's id at the hub, and the key its orders and messages are signed with.
  public let platformID: String
  public let key: Curve25519.Signing.PrivateKey
  /// The hub's API base and the key its registry snapshot must be signed with (complainants are
  /// certified against it).
  public let hub: String?
  public let hubKey: Curve25519.Signing.PublicKey?
  let registry = RegistryCache()
  /// Its opening key share of the overseen platforms' sections, if it holds one.
  public let keyHolder: KeyHolding?
  /// bcrypt's cost: 12 in service; tests lower it.
  public var passwordCost: UInt8 { passwords.cost }
  /// Hashes and checks passwords (with a decoy for names that do not exist).
  let passwords: PasswordCheck
  public let sessionSeconds: Int64 = 8 * 3600
  /// The administrator's bearer token; nil: no administration over HTTP.
  let administrator: AdministratorToken?

  public init(
    store: Store, platformID: String, key: Curve25519.Signing.PrivateKey, logSigner: NoteSigner,
    hub: String? = nil, hubKey: Curve25519.Signing.PublicKey? = nil, keyHolder: KeyHolding? = nil,
    calendar: WorkingCalendar = .china2026, passwordCost: UInt8 = 12,
    administratorToken: String? = nil, clock: any PlatformClock
  ) {
    self.store = store
    self.platformID = platformID
    self.key = key
    self.logSigner = logSigner
    self.hub = hub.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    self.hubKey = hubKey
    self.keyHolder = keyHolder
    self.calendar = calendar
    passwords = PasswordCheck(cost: passwordCost)
    self.clock = clock
    // An empty token (an empty token file, say) would let an empty bearer through: none then.
    administrator = AdministratorToken(administratorToken)
    metrics.measure(store)
  }

  /// Seconds since 1970 on the platform's clock.
  public func now() -> Int64 { clock.now() }

  /// The HTTP application: openapi/supervision.yaml under /api/v1, and the console's pages
  /// (sign-in and the legal basis for anyone, oversight for supervisors). `onServerRunning` gets the bound port (useful with port 0).
  public func application(
    host: String = "127.0.0.1", port: Int = 8070,
    logger: Logger = Logger(label: "zhaocai.supervision"),
    sandbox: Sandbox? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws -> some ApplicationProtocol {
    let router = Router(context: AddressedRequestContext.self)
    sandbox?.mark(router)
    metrics.add(to: router)
    router.add(middleware: ProblemMiddleware(answering: SupervisionProblem.init))
    router.add(middleware: RequestLimits())
    Health.add(to: router, store: store, schema: .supervision)
    sandbox?.serve(on: router)
    router.add(middleware: SupervisorMiddleware(platform: self))
    try ConsolePages(platform: self, sandboxed: sandbox != nil).add(to: router)
    try SupervisionAPI(platform: self).registerHandlers(
      on: router, serverURL: Servers.Server1.url(), configuration: .zhaocai)
    return Application(
      router: router, configuration: .init(address: .hostname(host, port: port)),
      onServerRunning: { await onServerRunning($0.localAddress?.port ?? port) }, logger: logger)
  }

  /// The HTTP application as `settings` say.
  public func application(_ settings: ServerSettings) throws -> some ApplicationProtocol {
    try application(
      host: settings.host, port: settings.port, logger: settings.logger,
      sandbox: settings.sandbox, onServerRunning: settings.onServerRunning)
  }

  /// What runs this platform, in the order it starts: its HTTP server, then, with `jobs`, once
  /// `ready` opens, the relay that delivers its orders, releases its key shares when due and
  /// sends its log to the hub.
  public func services(
    _ settings: ServerSettings, jobs: Bool = true, after ready: StartGate? = nil
  ) throws -> [any Service] {
    var services: [any Service] = [try application(settings)]
    guard jobs else { return services }
    let relay = SupervisionRelay(platform: self, logger: settings.logger)
    services.append(BackgroundJob(name: "supervision relay", after: ready) { await relay.run() })
    return services
  }

  // MARK: Set-up (by whoever runs the platform)

  public func add(_ department: Department) async throws {
    let checked = try department.validated()
    try await store.transaction { try await SupervisorRepository.add(checked, on: $0) }
  }

  /// Adds a supervisor of a department already added; the password is hashed off the event loop.
  public func add(_ supervisor: Supervisor, password: String) async throws {
    guard password.count >= 8 else {
      throw DomainError.invalid(
        "the password needs at least 8 characters", chinese: "密码不得少于8个字符")
    }
    let hash = try await passwords.hash(password)
    try await store.transaction {
      try await SupervisorRepository.add(supervisor, passwordHash: hash, on: $0)
    }
  }

  /// The ids of the trading platforms this platform oversees.
  public func overseenPlatforms() async throws -> [String] {
    try await store.transaction { try await TrackingRepository.platforms(on: $0).map(\.id) }
  }

  /// A trading platform whose processes this platform oversees (its relay sends them here).
  public func oversee(id: String, name: String, endpoint: String, publicKey: String)
    async throws
  {
    let platform = TrackingRepository.Platform(
      id: id, name: name, endpoint: endpoint, publicKey: publicKey)
    guard let raw = Data(base64Encoded: platform.publicKey),
      (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
    else {
      throw DomainError.invalid(
        "the trading platform's key is not an Ed25519 key", chinese: "交易平台的公钥不是Ed25519公钥")
    }
    guard (try? OutboxRelay.url(platform.endpoint, "")) != nil else {
      throw DomainError.invalid(
        "the trading platform's endpoint is not an http(s) URL",
        chinese: "交易平台的接入地址不是http(s)网址")
    }
    try await store.transaction { try await TrackingRepository.add(platform, on: $0) }
  }

  // MARK: The log

  /// Appends an entry to this platform's log and outbox in the caller's transaction; the hub
  /// receives what `SupervisionDisclosure` lets through.
  static func log(
    _ topic: String, _ entry: some Encodable, at now: Int64, on database: any SQLDatabase
  ) async throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let payload = try encoder.encode(entry)
    let index = try await PersistentLog.append(
      [Array(Data(topic.utf8) + [0x0A] + payload)], at: now, on: database)[0]
    try await Outbox.enqueue(
      topic: topic, payload: String(decoding: payload, as: UTF8.self), logIndex: index, at: now,
      on: database)
  }
}
