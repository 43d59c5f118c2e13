import Crypto
import Foundation
import Hummingbird
import Logging
import PublicServiceHub
import SupervisionPlatform
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiStore
import ZhaocaiWeb

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
  /// Each platform's server, by the name `wait` reports it with when it stops.
  private let servers: [(name: String, task: Task<Void, any Error>)]

  /// Starts the hub on `hubPort`, the supervision platform on `supervisionPort` and the trading
  /// platforms on `ports` (0: any free port).
  static func start(
    directory: String, clock: any PlatformClock, hubPort: Int, supervisionPort: Int,
    ports: [Int], passwordCost: UInt8, logger: Logger, sandbox: Sandbox? = nil
  ) async throws -> LocalNetwork {
    let hubStore = try await Store.open(.sqlite(path: directory + "/hub.sqlite"), schema: .hub)
    let token = try secret(directory + "/hub-admin.token")
    let hub = try PublicServiceHub(
      store: hubStore, administratorToken: token,
      logSigner: try NoteSigner(
        name: "hub.localhost/log", key: try key(directory + "/hub-log.key")),
      now: { clock.now() })
    var servers: [(name: String, task: Task<Void, any Error>)] = []
    let (hubActual, hubServer) = try await launch {
      try hub.application(port: hubPort, logger: logger, sandbox: sandbox, onServerRunning: $0)
    }
    servers.append(("公共服务平台 hub", hubServer))
    let hubBase = "http://127.0.0.1:\(hubActual)/api/v1"
    let administrator = PlatformClient(base: hubBase, token: token)
    let registered =
      try await PlatformClient(base: hubBase).json("GET", "/platforms") as? [[String: Any]] ?? []

    // The supervision platform, registered at the hub as one.
    let supervisionHome = directory + "/supervision"
    try FileManager.default.createDirectory(
      atPath: supervisionHome, withIntermediateDirectories: true)
    let supervision = SupervisionPlatform(
      store: try await Store.open(
        .sqlite(path: supervisionHome + "/supervision.sqlite"), schema: .supervision),
      platformID: supervisionID, key: try key(supervisionHome + "/exchange.key"),
      logSigner: try NoteSigner(
        name: "\(supervisionID).localhost/log", key: try key(supervisionHome + "/log-signer.key")),
      hub: hubBase, hubKey: hub.logSigner.key.publicKey,
      keyHolder: KeyHolding(name: "supervisor", directory: supervisionHome + "/holder"),
      passwordCost: passwordCost,
      administratorToken: try secret(supervisionHome + "/supervision-admin.token"),
      now: { clock.now() })
    let (supervisionPortActual, supervisionServer) = try await launch {
      try supervision.application(
        port: supervisionPort, logger: logger, sandbox: sandbox, onServerRunning: $0)
    }
    servers.append(("行政监督平台 \(supervisionID)", supervisionServer))
    let supervisionBase = "http://127.0.0.1:\(supervisionPortActual)/api/v1"
    if !registered.contains(where: { $0["id"] as? String == supervisionID }) {
      try await PlatformClient(base: hubBase).json(
        "POST", "/platforms",
        [
          "id": supervisionID, "name": "福建省行政监督平台", "operator": "福建省发展和改革委员会",
          "endpoint": supervisionBase, "kind": "supervision",
          "publicKey": supervision.key.publicKey.rawRepresentation.base64EncodedString(),
          "logVerifierKey": supervision.logSigner.verifier.verifierKey,
        ])
      try await administrator.json(
        "POST", "/platforms/\(supervisionID)/decision", ["approve": true])
    }
    let overseen = try await supervision.store.transaction { database in
      try await TrackingRepository.platforms(on: database).map(\.id)
    }

    var members: [Member] = []
    for (index, member) in operators.enumerated() {
      let home = directory + "/" + member.directory
      try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
      let store = try await Store.open(.sqlite(path: home + "/trading.sqlite"), schema: .trading)
      // The supervision platform's opening key for this platform, made once and kept by it.
      let holderKeys = try supervisionHolderKeys(
        supervision.keyHolder!.directory + "/" + member.id + ".key")
      let link = ExchangeLink(
        platformID: member.id, key: try key(home + "/exchange.key"), hub: hubBase,
        hubKey: hub.logSigner.key.publicKey)
      let platform = TradingPlatform(
        store: store, blobs: try BlobStore.forStore(store, directory: home + "/blobs"),
        clock: clock,
        logSigner: try NoteSigner(
          name: "\(member.id).localhost/log", key: try key(home + "/log-signer.key")),
        passwordCost: passwordCost, partiesFromHub: true, exchange: link,
        supervision: SupervisionLink(
          platformID: supervisionID, key: supervision.key.publicKey, endpoint: supervisionBase,
          holderKey: Data(holderKeys.sealing.publicKey.rawRepresentation).base64EncodedString()))
      try await platform.loadCalendar()
      let (port, server) = try await launch {
        try platform.application(
          port: ports[index], logger: logger, sandbox: sandbox, onServerRunning: $0)
      }
      servers.append(("交易平台 \(member.id)", server))
      let base = "http://127.0.0.1:\(port)/api/v1"
      if !registered.contains(where: { $0["id"] as? String == member.id }) {
        try await PlatformClient(base: hubBase).json(
          "POST", "/platforms",
          [
            "id": member.id, "name": member.name, "operator": member.operatorName, "endpoint": base,
            "publicKey": link.key.publicKey.rawRepresentation.base64EncodedString(),
            "logVerifierKey": platform.logSigner.verifier.verifierKey,
          ])
        try await administrator.json("POST", "/platforms/\(member.id)/decision", ["approve": true])
      }
      if !overseen.contains(member.id) {
        try await supervision.oversee(
          .init(
            id: member.id, name: member.name, endpoint: base,
            publicKey: link.key.publicKey.rawRepresentation.base64EncodedString()))
      }
      members.append(
        Member(
          id: member.id, name: member.name, operatorName: member.operatorName, platform: platform,
          relay: ExchangeRelay(platform: platform, link: link),
          base: base, directory: home, supervisionHolderKeys: holderKeys))
    }
    return LocalNetwork(
      hub: hub, hubBase: hubBase, administratorToken: token, supervision: supervision,
      supervisionBase: supervisionBase, members: members, servers: servers)
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

  /// Runs until a server stops (or the task is cancelled). In one process the platforms share a
  /// fate, so one stopping is said aloud, by name and why, before the others are stopped.
  func wait() async throws {
    try await withThrowingTaskGroup(of: (String, (any Error)?).self) { group in
      for server in servers {
        group.addTask {
          do {
            try await server.task.value
            return (server.name, nil)
          } catch {
            return (server.name, error)
          }
        }
      }
      if let (name, error) = try await group.next() {
        let why = error.map { "\($0)" } ?? "it finished"
        FileHandle.standardError.write(
          Data("zhaocai: \(name) stopped (\(why)); stopping the other platforms\n".utf8))
      }
      group.cancelAll()
    }
  }

  func stop() async {
    for server in servers { server.task.cancel() }
    for member in members { await member.platform.store.close() }
    await supervision.store.close()
    await hub.store.close()
  }

  /// Runs an application and returns the port it bound.
  private static func launch<App: ApplicationProtocol>(
    _ make: (@escaping @Sendable (Int) async -> Void) throws -> App
  ) async throws -> (Int, Task<Void, any Error>) {
    let (ports, input) = AsyncStream<Int>.makeStream()
    let app = try make { input.yield($0) }
    let server = Task { try await app.runService() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw CancellationError() }
    return (port, server)
  }

  /// A secret kept in the data directory (mode 600): 32 random bytes, base64, made once.
  static func secret(_ path: String) throws -> String {
    if let data = FileManager.default.contents(atPath: path) {
      return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let value = Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
    try writeFile(Data((value + "\n").utf8), to: path, mode: 0o600)
    return value
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

  /// An Ed25519 key kept in the data directory, so signatures stay verifiable across restarts.
  static func key(_ path: String) throws -> Curve25519.Signing.PrivateKey {
    try Curve25519.Signing.PrivateKey(rawRepresentation: Data(base64Encoded: try secret(path))!)
  }
}
