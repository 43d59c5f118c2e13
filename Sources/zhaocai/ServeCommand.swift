import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import PublicServiceHub
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore

/// `zhaocai serve`: runs the platforms on loopback, each with its own database, talking over
/// HTTP. Today: the trading platform and the hub (registration and the exchange); the
/// supervision platform joins as it is built.
struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the platforms on loopback (today: the trading platform and the hub).")

  @Flag(help: "Use a fresh SQLite database in a temporary directory and add demo data.")
  var demo = false
  @Option(help: "Where the platform keeps its database and blobs (without --demo).")
  var data = "zhaocai-data"
  @Option(help: "The trading platform's port.") var port = 8080
  @Option(help: "The public service hub's port.") var hubPort = 8090

  func run() async throws {
    let directory =
      demo
      ? FileManager.default.temporaryDirectory.appendingPathComponent("zhaocai-demo-\(getpid())")
        .path : data
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let store = try await Store.open(.sqlite(path: directory + "/trading.sqlite"))
    let signer = try NoteSigner(
      name: "trading.localhost/log", key: try logSigningKey(in: directory))
    let platform = TradingPlatform(
      store: store, blobs: try BlobStore.forStore(store, directory: directory + "/blobs"),
      clock: SystemClock(),
      logSigner: signer)
    var accounts: String
    if demo {
      try await addDemoData(to: platform, directory: directory)
      accounts = """
          demo accounts (password \(DemoCast.password)): admin, tenderer, bidder1…bidder6, \
        expert1…expert7, platform / tenderer-holder / supervisor (key holders)
          demo keys                   \(directory)/bidder1.key …, \(directory)/holder-*.key
        """
    } else if let password = try await platform.bootstrapAdministrator(
      creditCode: DemoCast.administrator.creditCode)
    {
      accounts = "  administrator               admin / \(password)  (shown once: change it)"
    } else {
      accounts = "  administrator               admin (already set up)"
    }
    let base = "http://127.0.0.1:\(port)/api/v1"
    let hubBase = "http://127.0.0.1:\(hubPort)/api/v1"
    let (hub, relay) = try await startHub(
      directory: directory, hubBase: hubBase, tradingBase: base, platform: platform)
    print(
      """
      Zhaocai (招采) on loopback — data in \(directory)
        交易平台 trading platform   \(base)/sections\(demo ? "/DEMO-2026-001-1" : "")
        log checkpoint              \(base)/log/checkpoint
        log verifier key            \(signer.verifier.verifierKey)
      \(accounts)
        公共服务平台 hub            \(hubBase)/platforms  (administrator token in \(directory)/hub-admin.token)
        exchange                    trading.localhost → hub, signed, relayed from the outbox
      Not yet running: the supervision platform; the hub's search, registry of parties, experts,
      checkpoints, credit and open data feed (see README.md).
      """)
    // The URLs must reach a pipe or file before the server takes over.
    fflush(nil)
    // The scheduler closes bidding at each deadline; it polls the real clock a few times a minute.
    let scheduler = OpeningScheduler(platform: platform)
    let ticks = Task {
      while !Task.isCancelled {
        do {
          try await scheduler.tick()
        } catch {
          print("scheduler: \(error)")
        }
        try? await Task.sleep(for: .seconds(15))
      }
    }
    defer { ticks.cancel() }
    let relaying = Task { await relay.run() }
    defer { relaying.cancel() }
    let trading = try platform.application(port: port)
    let hubApplication = try hub.application(port: hubPort)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await trading.runService() }
      group.addTask { try await hubApplication.runService() }
      try await group.next()
      group.cancelAll()
    }
  }

  /// The hub on its own database, the trading platform registered and approved at it, and the
  /// relay that carries the trading platform's outbox there.
  private func startHub(
    directory: String, hubBase: String, tradingBase: String, platform: TradingPlatform
  ) async throws -> (PublicServiceHub, ExchangeRelay) {
    let store = try await Store.open(.sqlite(path: directory + "/hub.sqlite"), schema: .hub)
    let hub = try PublicServiceHub(
      store: store, administratorToken: try secret(directory + "/hub-admin.token"),
      now: { Int64(Date().timeIntervalSince1970) })
    let key = try Curve25519.Signing.PrivateKey(
      rawRepresentation: Data(base64Encoded: try secret(directory + "/exchange.key"))!)
    try await store.transaction { database in
      guard try await HubRepository.find("trading.localhost", on: database) == nil else { return }
      try await HubRepository.apply(
        .init(
          id: "trading.localhost", name: "本地交易平台", operatorName: "本机", endpoint: tradingBase,
          publicKey: key.publicKey.rawRepresentation.base64EncodedString(), status: .pending,
          logVerifierKey: platform.logSigner.verifier.verifierKey),
        at: Int64(Date().timeIntervalSince1970), on: database)
      try await HubRepository.decide(
        "trading.localhost", approve: true, at: Int64(Date().timeIntervalSince1970), on: database)
    }
    let relay = ExchangeRelay(
      platform: platform,
      link: ExchangeLink(platformID: "trading.localhost", key: key, hub: hubBase))
    return (hub, relay)
  }

  /// A secret kept in the data directory (mode 600): 32 random bytes, base64, made once.
  private func secret(_ path: String) throws -> String {
    if let data = FileManager.default.contents(atPath: path) {
      return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let value = Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
    try writeFile(Data((value + "\n").utf8), to: path, mode: 0o600)
    return value
  }

  /// The demo cast's accounts (bidders with key files beside the database), and one published
  /// section whose bid deadline is 25 days away, ready for sealed bids.
  private func addDemoData(to platform: TradingPlatform, directory: String) async throws {
    let holders = try DemoCast.holderKeys(in: directory)
    var accounts =
      [DemoCast.administrator, DemoCast.tenderer] + DemoCast.experts + DemoCast.holders
    for i in 0..<DemoCast.bidderCodes.count {
      let keys = try PrivateKeyFile.generate(id: DemoCast.bidderCodes[i], suite: .standard)
      try writeFile(Data(keys.text.utf8), to: directory + "/bidder\(i + 1).key", mode: 0o600)
      try writeFile(
        Data(keys.publicKeys.text.utf8), to: directory + "/bidder\(i + 1).pub", mode: 0o644)
      accounts.append(DemoCast.bidder(i, key: keys))
    }
    for account in accounts {
      _ = try await platform.register(account, password: DemoCast.password)
    }
    let now = platform.clock.now()
    let today = LegalDate(instant: now)
    let terms = SectionTerms(
      sectionID: "DEMO-2026-001-1", name: "示范项目 第1标段 主体工程", estimate: Money(yuan: 50_000_000),
      bidBond: Money(yuan: 800_000), industry: "住建", region: "350100",
      tenderer: DemoCast.tenderer.creditCode)
    let schedule = TenderSchedule(
      documentsIssuedAt: now, saleEndsAt: today.adding(days: 7).startInstant + 17 * 3600,
      bidDeadline: today.adding(days: 25).startInstant + 9 * 3600 + 1800,
      keyHolders: DemoCast.noticeHolders(holders), threshold: 2)
    _ = try await SectionStore.create(try Section.draft(terms), at: now, in: platform.store)
    try await SectionStore.apply(terms.sectionID, at: now, in: platform.store) {
      try $0.publish(schedule, at: now)
    }
  }

  /// The log's checkpoint key, kept in the data directory so checkpoints stay verifiable with the
  /// same key across restarts.
  private func logSigningKey(in directory: String) throws -> Curve25519.Signing.PrivateKey {
    let path = directory + "/log-signer.key"
    if let data = FileManager.default.contents(atPath: path),
      let raw = Data(
        base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(
          in: .whitespacesAndNewlines))
    {
      return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }
    let key = Curve25519.Signing.PrivateKey()
    try writeFile(
      Data((key.rawRepresentation.base64EncodedString() + "\n").utf8), to: path, mode: 0o600)
    return key
  }

}
