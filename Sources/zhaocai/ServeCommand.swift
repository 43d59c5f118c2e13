import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore

/// `zhaocai serve`: runs the platforms on loopback. Today that is the trading platform; the hub
/// and the supervision platform join it as they are built.
struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the platforms on loopback (today: the trading platform).")

  @Flag(help: "Use a fresh SQLite database in a temporary directory and add demo data.")
  var demo = false
  @Option(help: "Where the platform keeps its database and blobs (without --demo).")
  var data = "zhaocai-data"
  @Option(help: "The trading platform's port.") var port = 8080

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
    print(
      """
      Zhaocai (招采) on loopback — data in \(directory)
        交易平台 trading platform   \(base)/sections\(demo ? "/DEMO-2026-001-1" : "")
        log checkpoint              \(base)/log/checkpoint
        log verifier key            \(signer.verifier.verifierKey)
      \(accounts)
      Not yet running: the public service hub and the supervision platform (see README.md).
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
    try await platform.application(port: port).runService()
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
