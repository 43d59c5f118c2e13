import Crypto
import Foundation
import HubClient
import Hummingbird
import Logging
import PublicServiceHub
import ServiceLifecycle
import SupervisionPlatform
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiStore
import ZhaocaiWeb

#if canImport(Glibc)
  import Glibc
#endif

/// The platforms on loopback as `serve` and `demo` run them: the hub, the supervision platform
/// and two trading platforms of different operators, each with its own SQLite database,
/// registered and approved at the hub over HTTP, each relaying its outbox there; the trading
/// platforms also report to the supervision platform and apply its orders.
struct LocalNetwork {
  /// A trading platform of the network.
  struct Member {
    let id: String
    let name: String
    let operatorName: String
    let platform: TradingPlatform
    let relay: ExchangeRelay
    let base: String
    let directory: String
    /// The supervision platform's opening key for this platform's sections (kept by it).
    let supervisionHolderKeys: PrivateKeyFile
  }

  /// Who runs the two trading platforms.
  static let operators = [
    (id: "trading.fz", name: "福州公共资源电子交易平台", operatorName: "福州市公共资源交易中心", directory: "fz"),
    (id: "trading.xm", name: "厦门公共资源电子交易平台", operatorName: "厦门市公共资源交易中心", directory: "xm"),
  ]

  static let supervisionID = "supervision.fj"

  let hub: PublicServiceHub
  let hubBase: String
  let administratorToken: String
  let supervision: SupervisionPlatform
  let supervisionBase: String
  let members: [Member]
  /// Every platform's services in one group: it starts them together and, on SIGINT or SIGTERM
  /// (with `signals`) or `stop()`, shuts them down in reverse — trading platforms' jobs and
  /// servers first, the hub last.
  private let group: ServiceGroup
  private let running: Task<Void, any Error>

  /// Starts the hub on `hubPort`, the supervision platform on `supervisionPort` and the trading
  /// platforms on `ports` (0: a free port), registers them with each other over HTTP and then
  /// lets their jobs (relays, schedulers, the hub's catch-up) begin, unless `jobs` is false.
  static func start(
    directory: String, clock: any PlatformClock, hubPort: Int, supervisionPort: Int,
    ports: [Int], passwordCost: UInt8, logger: Logger, sandbox: Sandbox? = nil,
    jobs: Bool = true, signals: Bool = false
  ) async throws -> LocalNetwork {
    // Every platform must know the others' addresses before any of them runs.
    let hubPort = try hubPort == 0 ? freePort() : hubPort
    let supervisionPort = try supervisionPort == 0 ? freePort() : supervisionPort
    let ports = try ports.map { try $0 == 0 ? freePort() : $0 }
    let hubBase = "http://127.0.0.1:\(hubPort)/api/v1"
    let supervisionBase = "http://127.0.0.1:\(supervisionPort)/api/v1"
    let (started, didStart) = AsyncStream<Int>.makeStream()
    let ready = StartGate()
    func settings(_ port: Int) -> ServerSettings {
      ServerSettings(
        port: port, logger: logger, sandbox: sandbox, onServerRunning: { didStart.yield($0) })
    }

    let hub = try await PublicServiceHub.build(
      HubConfiguration(database: .sqlite(path: directory + "/hub.sqlite"), directory: directory),
      clock: clock)
    let token = try KeyFiles.secret(at: directory + "/hub-admin.token")
    let hubLink = (url: hubBase, key: hub.logSigner.key.publicKey)
    var services: [(name: String, services: [any Service])] = [
      ("公共服务平台 hub", try hub.services(settings(hubPort), jobs: jobs, after: ready))
    ]

    // The supervision platform, registered at the hub as one.
    let supervisionHome = directory + "/supervision"
    let supervision = try await SupervisionPlatform.build(
      SupervisionConfiguration(
        platformID: supervisionID,
        database: .sqlite(path: supervisionHome + "/supervision.sqlite"),
        directory: supervisionHome, hub: hubLink, passwordCost: passwordCost),
      clock: clock)
    services.append(
      (
        "行政监督平台 \(supervisionID)",
        try supervision.services(settings(supervisionPort), jobs: jobs, after: ready)
      ))

    var members: [Member] = []
    for (index, member) in operators.enumerated() {
      let home = directory + "/" + member.directory
      // The supervision platform's opening key for this platform, made once and kept by it.
      let holderKeys = try supervisionHolderKeys(
        supervision.keyHolder!.directory + "/" + member.id + ".key")
      let platform = try await TradingPlatform.build(
        TradingConfiguration(
          platformID: member.id, database: .sqlite(path: home + "/trading.sqlite"),
          directory: home, hub: hubLink,
          supervision: SupervisionLink(
            platformID: supervisionID, key: supervision.key.publicKey, endpoint: supervisionBase,
            holderKey: Data(holderKeys.sealing.publicKey.rawRepresentation).base64EncodedString()),
          passwordCost: passwordCost),
        clock: clock)
      services.append(
        (
          "交易平台 \(member.id)",
          try platform.services(settings(ports[index]), jobs: jobs, after: ready)
        ))
      members.append(
        Member(
          id: member.id, name: member.name, operatorName: member.operatorName, platform: platform,
          relay: ExchangeRelay(platform: platform, link: platform.exchange!),
          base: "http://127.0.0.1:\(ports[index])/api/v1", directory: home,
          supervisionHolderKeys: holderKeys))
    }

    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: services.flatMap { platform in
          platform.services.map {
            ServiceGroupConfiguration.ServiceConfiguration(
              service: SharedFate(name: platform.name, service: $0))
          }
        },
        gracefulShutdownSignals: signals ? [.sigterm, .sigint] : [],
        logger: logger))
    let running = Task { try await group.run() }
    // A platform whose server never starts (its port taken) ends the group, and with it the
    // wait for the others: the group's error is the answer (it was a hang).
    Task {
      _ = await running.result
      didStart.finish()
    }
    var iterator = started.makeAsyncIterator()
    for _ in services {
      guard await iterator.next() != nil else {
        // An open SQLite connection must be closed before it is released.
        for store in [hub.store, supervision.store] + members.map(\.platform.store) {
          await store.close()
        }
        try await running.value
        throw CancellationError()
      }
    }
    let network = LocalNetwork(
      hub: hub, hubBase: hubBase, administratorToken: token, supervision: supervision,
      supervisionBase: supervisionBase, members: members, group: group, running: running)
    do {
      try await network.register()
    } catch {
      await network.stop()
      throw error
    }
    await ready.open()
    return network
  }

  /// Registers the supervision platform and each trading platform at the hub (approved by its
  /// administrator) and puts the trading platforms under the supervision platform's oversight,
  /// each once.
  private func register() async throws {
    let hub = try HubConnection(hubBase)
    let administrator = try HubConnection(hubBase, token: administratorToken)
    let registered = Set(try await hub.platforms().map(\.id))
    if !registered.contains(Self.supervisionID) {
      try await hub.apply(
        id: Self.supervisionID, name: "福建省行政监督平台", operatorName: "福建省发展和改革委员会",
        endpoint: supervisionBase,
        publicKey: supervision.key.publicKey.rawRepresentation.base64EncodedString(),
        logVerifierKey: supervision.logSigner.verifier.verifierKey, kind: "supervision")
      try await administrator.decide(Self.supervisionID, approve: true)
    }
    let overseen = try await supervision.overseenPlatforms()
    for member in members {
      let link = member.relay.link
      if !registered.contains(member.id) {
        try await hub.apply(
          id: member.id, name: member.name, operatorName: member.operatorName,
          endpoint: member.base,
          publicKey: link.key.publicKey.rawRepresentation.base64EncodedString(),
          logVerifierKey: member.platform.logSigner.verifier.verifierKey, kind: "trading")
        try await administrator.decide(member.id, approve: true)
      }
      if !overseen.contains(member.id) {
        try await supervision.oversee(
          id: member.id, name: member.name, endpoint: member.base,
          publicKey: link.key.publicKey.rawRepresentation.base64EncodedString())
      }
    }
  }

  /// The supervision platform and every trading platform send what their outboxes hold and
  /// their checkpoints, the trading platforms report to supervision and copy the hub's
  /// registry, trust store and bans; the hub fetches back any gap.
  func exchange() async throws {
    let supervisionRelay = SupervisionRelay(platform: supervision)
    while try await supervisionRelay.deliver() > 0 {}
    try await supervisionRelay.pushCheckpoint()
    for member in members {
      while try await member.relay.deliverToSupervision() > 0 {}
      while try await member.relay.deliver() > 0 {}
      try await member.relay.pushCheckpoint()
      try await member.relay.syncRegistry()
    }
    try await hub.catchUp()
  }

  /// Runs until the group ends: shut down by a signal (see `start`), or because one platform's
  /// server stopped, which `SharedFate` says aloud before the others are stopped.
  func wait() async throws {
    try await running.value
  }

  /// Shuts every platform down gracefully (jobs first, then servers), then closes the databases.
  func stop() async {
    await group.triggerGracefulShutdown()
    _ = try? await running.value
    await close()
  }

  /// Closes every database; an open SQLite connection asserts when it is released.
  func close() async {
    for member in members { await member.platform.store.close() }
    await supervision.store.close()
    await hub.store.close()
  }

  /// A port free on loopback now, for a platform asked to run on "any port" (0), so the others
  /// know its address before it runs.
  private static func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw POSIXError(.EMFILE) }
    defer { _ = Glibc.close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
      }
    }
    guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
    return Int(UInt16(bigEndian: address.sin_port))
  }
  /// The supervision platform's holder keys at `path`, made (mode 600) if missing.
  static func supervisionHolderKeys(_ path: String) throws -> PrivateKeyFile {
    if let data = FileManager.default.contents(atPath: path) {
      return try PrivateKeyFile(text: String(decoding: data, as: UTF8.self))
    }
    let keys = try PrivateKeyFile.generate(id: "supervisor", suite: .standard)
    try writeFile(Data(keys.text.utf8), to: path, mode: 0o600)
    return keys
  }

}

/// A platform's service in a network that shares its fate: if it ends while the network is not
/// shutting down, it says so by the platform's name and why, and the group stops the others.
struct SharedFate: Service, CustomStringConvertible {
  let name: String
  let service: any Service

  var description: String { name }

  func run() async throws {
    do {
      try await service.run()
    } catch {
      if !Task.isShuttingDownGracefully { say("stopped (\(error))") }
      throw error
    }
    if !Task.isShuttingDownGracefully { say("stopped (it finished)") }
  }

  private func say(_ what: String) {
    FileHandle.standardError.write(
      Data("zhaocai: \(name) \(what); stopping the other platforms\n".utf8))
  }
}
