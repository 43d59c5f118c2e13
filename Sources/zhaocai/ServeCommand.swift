import ArgumentParser
import Configuration
import Crypto
import Foundation
import Hummingbird
import Logging
import PublicServiceHub
import SupervisionPlatform
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// `zhaocai serve`: runs the three platforms on loopback, each with its own database, talking
/// over HTTP: the public service hub, the supervision platform and two trading platforms of
/// different operators; or, with `hub|supervision|trading --config FILE`, one platform alone.
struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Run the platforms on loopback (the hub, the supervision platform and two trading platforms), or one platform from its configuration.",
    discussion: """
      serve hub|supervision|trading --config FILE runs one platform, as a deployment does: FILE \
      is JSON (deploy/*.json are examples); ZHAOCAI_* environment variables override it \
      (ZHAOCAI_DATABASE_URL for database.url, ZHAOCAI_HTTP_PORT for http.port …) and --port \
      overrides both.

      """ + ExitStatus.serveHelp)

  @Argument(help: "Run only this platform (hub, supervision or trading); needs --config.")
  var platform: PlatformKind?
  @Option(help: "The platform's configuration file (JSON), with a platform argument.")
  var config: String?

  @Flag(help: "Use fresh SQLite databases in a temporary directory and add demo data.")
  var demo = false
  @Option(help: "Where the platforms keep their databases and blobs (without --demo).")
  var data = "zhaocai-data"
  @Option(help: "The first trading platform's port (福州); with a platform argument, its port.")
  var port: Int?
  @Option(help: "The second trading platform's port (厦门).") var secondPort = 8081
  @Option(help: "The public service hub's port.") var hubPort = 8090
  @Option(help: "The supervision platform's port.") var supervisionPort = 8070

  func validate() throws {
    if (platform == nil) != (config == nil) {
      throw ValidationError("a platform argument and --config go together")
    }
    if platform != nil, demo {
      throw ValidationError("--demo runs every platform; give no platform")
    }
  }

  func run() async throws {
    if let platform, let config {
      var overrides: [AbsoluteConfigKey: ConfigValue] = [:]
      if let port { overrides["http.port"] = .init(.int(port), isSecret: false) }
      let settings = try await PlatformSettings.read(file: config, overrides: overrides)
      do {
        try await ServeOne(kind: platform, settings: settings, logger: Logger(label: "zhaocai"))
          .run()
      } catch let failure as CommandFailure {
        throw ExitStatus.fail(failure)
      }
      return
    }
    let port = port ?? 8080
    let directory =
      demo
      ? FileManager.default.temporaryDirectory.appendingPathComponent("zhaocai-demo-\(getpid())")
        .path : data
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // The demo is a sandbox: its clock starts at the machine's and an administrator moves it
    // forward over HTTP. Without --demo there is no sandbox and no way to move the clock.
    let clock: any PlatformClock
    var sandbox: Sandbox? = nil
    if demo {
      let sandboxClock = SandboxClock()
      clock = sandboxClock
      sandbox = Sandbox(
        token: try KeyFiles.secret(at: directory + "/sandbox-admin.token"),
        clock: sandboxClock)
    } else {
      clock = SystemClock()
    }
    let network = try await LocalNetwork.start(
      directory: directory, clock: clock, hubPort: hubPort,
      supervisionPort: supervisionPort, ports: [port, secondPort], passwordCost: 12,
      logger: Logger(label: "zhaocai"), sandbox: sandbox, signals: true)
    sandbox?.whenAdvanced {
      // What the loops would do on their next round, done now, so the answer shows its effect.
      for member in network.members {
        do { try await OpeningScheduler(platform: member.platform).tick() } catch {
          print("scheduler of \(member.id): \(error)")
        }
      }
      _ = await network.supervision.releaseDueShares()
      for member in network.members {
        do { try await OpeningScheduler(platform: member.platform).tick() } catch {
          print("scheduler of \(member.id): \(error)")
        }
      }
      do { try await network.exchange() } catch {
        print("exchange after the clock moved: \(error)")
      }
    }
    var lines = [
      "Zhaocai (招采) on loopback — data in \(directory)",
      "  公共服务平台 hub             \(network.hubBase)/platforms",
      "    portal (pages)             \(network.hubBase.replacingOccurrences(of: "/api/v1", with: "/"))",
      "    notices, parties, CAs      \(network.hubBase)/notices  /parties  /trust/authorities",
      "    open data (OCDS)           \(network.hubBase)/ocds/records",
      "    administrator token        \(directory)/hub-admin.token",
      "  行政监督平台 supervision     \(network.supervisionBase)/legal-basis",
      "    console (pages)            \(network.supervisionBase.replacingOccurrences(of: "/api/v1", with: "/"))",
      "    administrator token        \(directory)/supervision/supervision-admin.token"
        + " (POST /departments, /supervisors)",
    ]
    for (index, member) in network.members.enumerated() {
      let sample = demo ? "/" + Self.demoSections[index] : ""
      lines.append("  交易平台 \(member.name) (\(member.id))")
      lines.append("    sections                   \(member.base)/sections\(sample)")
      lines.append(
        "    log verifier key           \(member.platform.logSigner.verifier.verifierKey)")
      if !demo {
        let password = try await member.platform.bootstrapAdministrator(
          creditCode: DemoCast.administrator.creditCode)
        lines.append(
          "    administrator              admin / \(password ?? "(already set up)")"
            + (password == nil ? "" : "  (shown once: change it)"))
      }
    }
    if demo {
      try await addDemoData(to: network, directory: directory)
      lines += [
        "  沙箱 SANDBOX: every answer carries zhaocai-sandbox: 1; the shared clock moves forward with",
        "    POST \(network.hubBase)/sandbox/clock {\"advanceSeconds\":N} (any platform; token in",
        "    \(directory)/sandbox-admin.token); GET …/sandbox/clock tells the time",
        "  demo accounts on each trading platform (password \(DemoCast.password)): admin,",
        "    expert1…expert7, platform / tenderer-holder / supervisor (key holders)",
        "  demo supervisors (password \(DemoCast.password)): fj-zj-1 (省住建), fz-zj-1, xm-zj-1, fj-jt-1",
        "  demo parties, registered once at the hub, sign in with their certificates:",
        "    \(directory)/tenderer.pem, tenderer-xm.pem, bidder1.pem … bidder6.pem (keys: *.key)",
      ]
    }
    lines.append("Each trading platform relays its outbox to the hub (signed) and copies the hub's")
    lines.append("registry, trust store and bans. All platforms are serving; Ctrl-C stops them.")
    print(lines.joined(separator: "\n"))
    // The URLs must reach a pipe or file before the servers' own logs.
    fflush(nil)
    // SIGINT and SIGTERM shut the group down gracefully: jobs first, then the servers (their
    // connections drained); then the databases close (an open SQLite connection asserts when
    // released), and the demo's temporary data, its keys among them, is removed.
    let served: Result<Void, any Error>
    do {
      try await network.wait()
      served = .success(())
    } catch {
      served = .failure(error)
    }
    await network.close()
    if demo { try? FileManager.default.removeItem(atPath: directory) }
    try served.get()
  }

  static let demoSections = ["DEMO-2026-001-1", "DEMO-XM-2026-001-1"]

  /// The demo cast: each platform's administrator, experts and key holders (key files beside
  /// the databases); the tenderers and bidders registered once at the hub with certificates of
  /// two recognised CAs (key and certificate files in the data directory); and on each platform
  /// one published section whose bid deadline is 25 days away, ready for sealed bids.
  private func addDemoData(to network: LocalNetwork, directory: String) async throws {
    let now = network.members[0].platform.clock.now()
    let authorities = try DemoCast.authorities(at: now)
    var parties: [(account: Account, key: SigningKey, certificate: String)] = []
    let accounts =
      [("tenderer", DemoCast.tenderer), ("tenderer-xm", DemoCast.tendererXiamen)]
      + (0..<DemoCast.bidderCodes.count).map {
        (
          "bidder\($0 + 1)",
          Account(
            id: "bidder\($0 + 1)", role: .bidder, name: DemoCast.bidderNames[$0],
            creditCode: DemoCast.bidderCodes[$0])
        )
      }
    for (index, (file, account)) in accounts.enumerated() {
      // bidder1 signs with ECDSA P-256, the others with Ed25519: both are what a browser signs
      // with, and the browser walk seals as bidder1.
      let keys = try PrivateKeyFile.generate(
        id: account.creditCode, suite: .standard, signature: file == "bidder1" ? .p256 : nil)
      let certificate = try DemoCast.certificate(
        for: account, key: keys.signing, by: authorities[index % 2].authority, at: now)
      try writeFile(Data(keys.text.utf8), to: directory + "/\(file).key", mode: 0o600)
      try writeFile(Data(keys.publicKeys.text.utf8), to: directory + "/\(file).pub", mode: 0o644)
      try writeFile(Data(certificate.utf8), to: directory + "/\(file).pem", mode: 0o644)
      parties.append((account, keys.signing, certificate))
    }
    try await DemoCast.addSupervisors(to: network.supervision)
    try await DemoCast.registerAtHub(
      parties, authorities: authorities, hub: network.hubBase,
      administratorToken: network.administratorToken)
    for (index, member) in network.members.enumerated() {
      let platform = member.platform
      let holders = try DemoCast.holderKeys(
        in: member.directory, supervisor: member.supervisionHolderKeys)
      try DemoCast.entrust(of: member.id, to: network.supervision)
      for account in [DemoCast.administrator] + DemoCast.experts + DemoCast.holders {
        _ = try await platform.register(account, password: DemoCast.password)
      }
      let today = LegalDate(instant: now)
      let tenderer = index == 0 ? DemoCast.tenderer : DemoCast.tendererXiamen
      let terms = SectionTerms(
        sectionID: Self.demoSections[index],
        name: index == 0 ? "示范项目 第1标段 主体工程" : "示范大道快速路改造工程 第1标段 高架桥",
        estimate: Money(yuan: 50_000_000), bidBond: Money(yuan: 800_000), industry: "住建",
        region: index == 0 ? "350100" : "350200", tenderer: tenderer.creditCode)
      let schedule = TenderSchedule(
        documentsIssuedAt: now, saleEndsAt: today.adding(days: 7).startInstant + 17 * 3600,
        bidDeadline: today.adding(days: 25).startInstant + 9 * 3600 + 1800,
        keyHolders: DemoCast.noticeHolders(holders), threshold: 2)
      try await platform.publishSection(terms, schedule: schedule)
    }
    try await network.exchange()
    // bidder3 complains about the 福州 section; bidder6 is banned.
    try await ServeDemoCases.add(
      complainant: parties[4], banned: parties[7].account, on: network, sections: Self.demoSections)
  }
}
