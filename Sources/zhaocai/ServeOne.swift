import ArgumentParser
import Foundation
import HubClient
import Logging
import PublicServiceHub
import ServiceLifecycle
import SupervisionPlatform
import TradingPlatform
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// The platforms `serve` can run alone, one per process, as a deployment does.
enum PlatformKind: String, CaseIterable, ExpressibleByArgument {
  case hub, supervision, trading
}

/// `serve hub|supervision|trading --config FILE`: builds that platform from its configuration
/// with the same builders as the loopback network, registers it at the hub (an application the
/// hub's administrator approves), serves it until SIGINT or SIGTERM, then closes its database.
struct ServeOne {
  let kind: PlatformKind
  let settings: PlatformSettings
  let logger: Logger

  func run() async throws {
    let host = settings.host
    let (started, didStart) = AsyncStream<Int>.makeStream()
    var lines: [String] = []
    let (clock, sandbox) = try sandboxed()
    let services: [any Service]
    let store: Store
    let close: () async -> Void
    var register: (() async throws -> String)?
    switch kind {
    case .hub:
      let port = try settings.port(default: 8090)
      let configuration = try settings.hubConfiguration()
      let hub = try await PublicServiceHub.build(configuration, clock: clock)
      store = hub.store
      services = try await closing(store) {
        try hub.services(serverSettings(host, port, sandbox, didStart))
      }
      lines.append("公共服务平台 hub; database \(configuration.database.redacted)")
      lines.append(
        "  log verifier key (hub.key of the others)  \(hub.logSigner.verifier.verifierKey)")
      lines.append("  administrator token in  \(configuration.directory)/hub-admin.token")
    case .supervision:
      let configuration = try settings.supervisionConfiguration()
      let port = try settings.port(default: 8070)
      let supervision = try await SupervisionPlatform.build(configuration, clock: clock)
      store = supervision.store
      services = try await closing(store) {
        try supervision.services(serverSettings(host, port, sandbox, didStart))
      }
      sandbox?.whenAdvanced { _ = await supervision.releaseDueShares() }
      lines.append(
        "行政监督平台 \(configuration.platformID); database \(configuration.database.redacted)")
      lines.append(
        "  exchange key (supervision.key of trading platforms)  "
          + supervision.key.publicKey.rawRepresentation.base64EncodedString())
      register = {
        let registration = try await registerAtHub(
          id: configuration.platformID, kind: "supervision", port: port,
          publicKey: supervision.key.publicKey.rawRepresentation.base64EncodedString(),
          logVerifierKey: supervision.logSigner.verifier.verifierKey)
        return registration + "\n  overseen          " + (try await oversee(by: supervision))
      }
    case .trading:
      let configuration = try settings.tradingConfiguration()
      let port = try settings.port(default: 8080)
      let platform = try await TradingPlatform.build(configuration, clock: clock)
      store = platform.store
      services = try await closing(store) {
        try platform.services(
          serverSettings(host, port, sandbox, didStart),
          schedulerInterval: .seconds(try settings.schedulerSeconds))
      }
      sandbox?.whenAdvanced { [logger] in
        // What this node's scheduler would do on its next round, done now; the other nodes
        // follow on theirs.
        do { try await OpeningScheduler(platform: platform, logger: logger).tick() } catch {
          logger.error("scheduler after the clock moved failed", metadata: ["error": "\(error)"])
        }
      }
      lines.append("交易平台 \(configuration.platformID); database \(configuration.database.redacted)")
      lines.append("  log verifier key  \(platform.logSigner.verifier.verifierKey)")
      let password: String?
      do {
        password = try await platform.bootstrapAdministrator(
          creditCode: settings.optional("administrator.code") ?? DemoCast.administrator.creditCode)
      } catch {
        await store.close()
        throw error
      }
      lines.append(
        "  administrator     admin / \(password ?? "(already set up)")"
          + (password == nil ? "" : "  (shown once: change it)"))
      if let link = platform.exchange {
        register = {
          try await registerAtHub(
            id: configuration.platformID, kind: "trading", port: port,
            publicKey: link.key.publicKey.rawRepresentation.base64EncodedString(),
            logVerifierKey: platform.logSigner.verifier.verifierKey)
        }
      }
    }
    if sandbox != nil {
      lines.append(
        "  沙箱 SANDBOX       the clock is shared through \(try settings.path("sandbox.clockFile"))"
          + "; POST /api/v1/sandbox/clock moves it (never in service)")
    }
    close = { await store.close() }
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: services.map { .init(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    let running = Task { try await group.run() }
    // A server that never starts (its port taken) ends the group: then nothing more will start.
    Task {
      _ = await running.result
      didStart.finish()
    }
    var iterator = started.makeAsyncIterator()
    guard let bound = await iterator.next() else {
      _ = try? await running.value
      await close()
      throw CancellationError()
    }
    lines.insert("Zhaocai (招采) serving http://\(host):\(bound)/api/v1", at: 0)
    if let register {
      do {
        lines.append("  at the hub        " + (try await register()))
      } catch {
        lines.append("  at the hub        not registered now (\(error)); it is tried at next start")
      }
    }
    lines.append("Serving; SIGINT or SIGTERM stops it.")
    print(lines.joined(separator: "\n"))
    fflush(nil)
    let served: Result<Void, any Error>
    do {
      try await running.value
      served = .success(())
    } catch {
      served = .failure(error)
    }
    await close()
    try served.get()
  }

  /// `body`'s result; the store is closed if it throws (an open SQLite connection asserts when
  /// it is released).
  private func closing<T>(_ store: Store, _ body: () throws -> T) async throws -> T {
    do {
      return try body()
    } catch {
      await store.close()
      throw error
    }
  }

  private func serverSettings(
    _ host: String, _ port: Int, _ sandbox: Sandbox?, _ didStart: AsyncStream<Int>.Continuation
  ) -> ServerSettings {
    ServerSettings(
      host: host, port: port, logger: logger, sandbox: sandbox,
      onServerRunning: { didStart.yield($0) })
  }

  /// The machine's clock; or, in a sandbox deployment (`sandbox.clockFile`, for training and
  /// for the cluster check), a clock every process of the deployment shares through that file
  /// and the sandbox administrator (token in `sandbox.tokenFile`) moves forward over HTTP.
  private func sandboxed() throws -> (any PlatformClock, Sandbox?) {
    guard settings.optional("sandbox.clockFile") != nil else { return (SystemClock(), nil) }
    let file = try settings.path("sandbox.clockFile")
    let tokenFile =
      settings.optional("sandbox.tokenFile") != nil
      ? try settings.path("sandbox.tokenFile")
      : URL(fileURLWithPath: file).deletingLastPathComponent().path + "/sandbox-admin.token"
    let clock = SandboxClock(sharedFile: file)
    return (clock, Sandbox(token: try KeyFiles.secret(at: tokenFile), clock: clock))
  }

  /// Applies for registration at the hub unless the hub already lists this platform; answers its
  /// status there.
  /// Oversees the trading platforms `oversee.platforms` lists, with the names, endpoints and
  /// exchange keys the hub's registry holds for them (register once: nothing is copied by
  /// hand); one not approved at the hub yet is named and taken at a later start.
  private func oversee(by supervision: SupervisionPlatform) async throws -> String {
    let wanted = settings.list("oversee.platforms")
    guard !wanted.isEmpty else { return "none listed (oversee.platforms)" }
    guard let url = settings.optional("hub.url") else { return "no hub configured" }
    let registry = try await HubConnection(url).platforms()
    let overseen = Set(try await supervision.overseenPlatforms())
    var said: [String] = []
    for id in wanted {
      if overseen.contains(id) {
        said.append("\(id) (overseen)")
      } else if let listed = registry.first(where: { $0.id == id }), listed.status == "approved",
        listed.kind != "supervision"
      {
        try await supervision.oversee(
          id: id, name: listed.name, endpoint: listed.endpoint, publicKey: listed.publicKey)
        said.append("\(id) (added)")
      } else {
        said.append("\(id) (not approved at the hub yet)")
      }
    }
    return said.joined(separator: ", ")
  }

  private func registerAtHub(
    id: String, kind: String, port: Int, publicKey: String, logVerifierKey: String
  ) async throws -> String {
    guard let url = settings.optional("hub.url") else { return "no hub configured" }
    let hub = try HubConnection(url)
    if let listed = try await hub.platforms().first(where: { $0.id == id }) {
      return "registered (\(listed.status))"
    }
    let endpoint = settings.optional("http.url") ?? "http://\(settings.host):\(port)/api/v1"
    try await hub.apply(
      id: id, name: settings.optional("platform.name") ?? id,
      operatorName: settings.optional("platform.operator") ?? id, endpoint: endpoint,
      publicKey: publicKey, logVerifierKey: logVerifierKey, kind: kind)
    return "applied (pending: the hub's administrator approves it)"
  }
}
