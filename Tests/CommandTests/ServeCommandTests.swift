import Foundation
import Testing
import ZhaocaiStore
import ZhaocaiTestSupport

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The README's first command: `zhaocai serve --demo` starts the platforms on loopback with
/// demo data, says where, and serves.
@Suite struct ServeCommandTests {
  func freePorts(_ count: Int) throws -> [Int] { LoopbackPorts.free(count) }

  /// What the pipe has, blocking until it has something (empty at its end). Not
  /// `availableData`: it traps when a signal (another test's child exiting) interrupts the read.
  func readChunk(_ handle: FileHandle) -> Data {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = read(handle.fileDescriptor, &buffer, buffer.count)
      if count >= 0 { return Data(buffer[0..<count]) }
      if errno != EINTR { return Data() }
    }
  }

  func get(_ url: String) async throws -> (Int, Any?) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
    return (
      (response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONSerialization.jsonObject(with: data)
    )
  }

  func request(_ method: String, _ url: String, token: String? = nil, json: [String: Any]? = nil)
    async throws -> (Int, Any?)
  {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "authorization") }
    if let json {
      request.setValue("application/json", forHTTPHeaderField: "content-type")
      request.httpBody = try JSONSerialization.data(withJSONObject: json)
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    return (
      (response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONSerialization.jsonObject(with: data)
    )
  }

  /// The built binary started with `arguments`, both its streams on one pipe (so a read never
  /// waits on the quiet one), read until it prints `line` or exits (no sleeping: reads block).
  func started(
    _ arguments: [String], until line: String, environment: [String: String] = [:]
  ) throws -> (process: Process, output: ServerOutput, printed: String) {
    let process = Process()
    process.executableURL = CommandRunner.binary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    var printed = ""
    while !printed.contains(line) {
      let chunk = readChunk(pipe.fileHandleForReading)
      if chunk.isEmpty, !process.isRunning { break }
      printed += String(decoding: chunk, as: UTF8.self)
    }
    return (process, ServerOutput(pipe), printed)
  }

  /// Stops `process` if it still runs.
  func stop(_ process: Process) {
    guard process.isRunning else { return }
    process.terminate()
    process.waitUntilExit()
  }

  @Test func serveDemoStartsTheThreePlatformsWithDemoData() async throws {
    let ports = try freePorts(4)
    let (port, secondPort, hubPort, supervisionPort) = (ports[0], ports[1], ports[2], ports[3])
    let (process, output, printed) = try started(
      [
        "serve", "--demo", "--port", "\(port)", "--second-port", "\(secondPort)", "--hub-port",
        "\(hubPort)", "--supervision-port", "\(supervisionPort)",
      ], until: "All platforms are serving")
    defer { stop(process) }
    #expect(printed.contains("http://127.0.0.1:\(port)/api/v1/sections/DEMO-2026-001-1"))
    #expect(printed.contains("http://127.0.0.1:\(secondPort)/api/v1/sections/DEMO-XM-2026-001-1"))
    #expect(printed.contains("demo accounts on each trading platform (password zhaocai-demo)"))

    for (base, section) in [(port, "DEMO-2026-001-1"), (secondPort, "DEMO-XM-2026-001-1")] {
      let (status, view) = try await get("http://127.0.0.1:\(base)/api/v1/sections/\(section)")
      #expect(status == 200, "\(String(describing: view))")
      #expect((view as? [String: Any])?["phase"] as? String == "bidding")
    }
    let (_, platforms) = try await get("http://127.0.0.1:\(hubPort)/api/v1/platforms")
    let registry = (platforms as? [[String: Any]] ?? []).map {
      "\($0["id"] ?? "")=\($0["status"] ?? "")"
    }
    #expect(
      registry.sorted() == [
        "supervision.fj=approved", "trading.fz=approved", "trading.xm=approved",
      ])
    // The supervision platform publishes its legal basis and tracks both cities' sections for
    // the province's department.
    let supervision = "http://127.0.0.1:\(supervisionPort)/api/v1"
    let (_, basis) = try await get(supervision + "/legal-basis")
    #expect(
      ((basis as? [String: Any])?["timeLimits"] as? [[String: Any]])?.contains {
        $0["code"] as? String == "RULE_COMPLAINT_DECISION_DAYS"
      } == true)
    let (_, session) = try await request(
      "POST", supervision + "/sessions", json: ["account": "fj-zj-1", "password": "zhaocai-demo"])
    let token = (session as? [String: Any])?["token"] as? String
    let (_, processes) = try await request("GET", supervision + "/processes", token: token)
    #expect(
      Set((processes as? [[String: Any]] ?? []).compactMap { $0["section"] as? String })
        == ["DEMO-2026-001-1", "DEMO-XM-2026-001-1"])
    // The parties are registered once, at the hub, with certificates of two recognised CAs.
    let (_, parties) = try await get("http://127.0.0.1:\(hubPort)/api/v1/parties")
    #expect((parties as? [[String: Any]])?.count == 8)
    let (_, authorities) = try await get("http://127.0.0.1:\(hubPort)/api/v1/trust/authorities")
    #expect((authorities as? [[String: Any]])?.count == 2)
    // Both notices reach the hub through the exchange.
    let (_, notices) = try await get("http://127.0.0.1:\(hubPort)/api/v1/notices")
    #expect(
      Set((notices as? [[String: Any]] ?? []).compactMap { $0["platform"] as? String })
        == ["trading.fz", "trading.xm"])

    // The demo is a sandbox: every platform says so, and its administrator moves the shared
    // clock over HTTP past the deadline; the section without bids fails (条例44) and its failure
    // notice reaches the hub.
    for base in [port, secondPort, hubPort, supervisionPort] {
      let (data, response) = try await URLSession.shared.data(
        from: URL(string: "http://127.0.0.1:\(base)/api/v1/sandbox/clock")!)
      #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "zhaocai-sandbox") == "1")
      #expect(
        (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["sandbox"] as? Bool
          == true)
    }
    let directory = try #require(
      printed.split(separator: "\n").first { $0.contains("data in ") }?.components(
        separatedBy: "data in "
      ).last)
    let sandboxToken = try String(
      contentsOfFile: directory + "/sandbox-admin.token", encoding: .utf8
    )
    .trimmingCharacters(in: .whitespacesAndNewlines)
    let clock = "http://127.0.0.1:\(hubPort)/api/v1/sandbox/clock"
    let (refused, _) = try await request(
      "POST", clock, token: "guess", json: ["advanceSeconds": 60])
    #expect(refused == 401)
    let (moved, _) = try await request(
      "POST", clock, token: sandboxToken, json: ["advanceSeconds": 26 * 86_400])
    #expect(moved == 200)
    let (_, failed) = try await get("http://127.0.0.1:\(port)/api/v1/sections/DEMO-2026-001-1")
    #expect((failed as? [String: Any])?["phase"] as? String == "failed")
    let (_, failures) = try await get(
      "http://127.0.0.1:\(hubPort)/api/v1/notices?kind=failureNotice")
    #expect(
      Set((failures as? [[String: Any]] ?? []).compactMap { $0["section"] as? String })
        == ["DEMO-2026-001-1", "DEMO-XM-2026-001-1"],
      "the hub's failure notices: \(failures ?? "none")")

    // SIGTERM stops it cleanly: exit 0, databases closed, the demo's data (keys) removed.
    process.terminate()
    process.waitUntilExit()
    #expect(
      process.terminationReason == .exit && process.terminationStatus == 0,
      "ended by \(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus): \(output.untilEnd())"
    )
    #expect(!FileManager.default.fileExists(atPath: directory))
  }

  /// Ctrl-C (SIGINT) stops it as SIGTERM does: every platform's jobs and servers shut down in
  /// order, exit 0, no assertion on the way, the demo's temporary data removed.
  /// Two platforms given one port: the one that cannot bind stops the demo, which exits with
  /// the reason instead of waiting for it for ever (it used to hang, SIGTERM included).
  @Test func aPortGivenTwiceEndsTheDemoWithTheReason() async throws {
    let ports = try freePorts(3)
    let (status, stderr) = try await runZhaocai([
      "serve", "--demo", "--port", "\(ports[0])", "--second-port", "\(ports[0])", "--hub-port",
      "\(ports[1])", "--supervision-port", "\(ports[2])",
    ])
    #expect(status != 0)
    #expect(stderr.contains("Address already in use"), "\(stderr.suffix(400))")
    #expect(!stderr.contains("Fatal error") && !stderr.contains("was not closed"))
  }

  @Test func serveDemoStopsCleanlyOnControlC() async throws {
    let ports = try freePorts(4)
    let (process, output, printed) = try started(
      [
        "serve", "--demo", "--port", "\(ports[0])", "--second-port", "\(ports[1])",
        "--hub-port", "\(ports[2])", "--supervision-port", "\(ports[3])",
      ], until: "All platforms are serving")
    defer { stop(process) }
    let directory = try #require(
      printed.split(separator: "\n").first { $0.contains("data in ") }.map {
        String($0.split(separator: "data in ").last ?? "")
      })
    #expect(FileManager.default.fileExists(atPath: directory))
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let after = output.untilEnd()
    #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    #expect(!after.contains("Fatal error") && !after.contains("was not closed"), "\(after)")
    #expect(!FileManager.default.fileExists(atPath: directory))
  }

  /// A database URL for `backend`'s fresh database (a file in `directory` for SQLite).
  func databaseURL(_ backend: Backend, _ name: String) async throws -> String {
    switch try await backend.freshLocation() {
    case .sqlite: "sqlite:\(name).sqlite"
    case .postgres(let location):
      "postgres://\(location.username)@\(location.servers[0])/\(location.database)"
    }
  }

  /// A deployment's shape: the hub and a trading platform each in its own process, built from
  /// their configuration files (the trading platform's port and database given by environment
  /// variables over its file), the trading platform applying at the hub over HTTP with the keys
  /// it printed; the hub's administrator approves it; SIGTERM stops each with exit 0. A broken
  /// configuration is refused by name, the database password never echoed.
  @Test(arguments: Backend.available)
  func eachPlatformRunsAloneFromItsConfiguration(backend: Backend) async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("zhaocai-deploy-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let ports = try freePorts(2)
    let (hubPort, tradingPort) = (ports[0], ports[1])
    try Data(
      #"{"http":{"port":\#(hubPort)},"database":{"url":"\#(try await databaseURL(backend, "hub"))"},"data":{"directory":"hub"}}"#
        .utf8
    ).write(to: URL(fileURLWithPath: directory + "/hub.json"))
    let (hub, hubOutput, hubPrinted) = try started(
      ["serve", "hub", "--config", directory + "/hub.json"], until: "Serving;")
    defer { stop(hub) }
    #expect(hubPrinted.contains("serving http://127.0.0.1:\(hubPort)/api/v1"), "\(hubPrinted)")
    let hubKey = try #require(
      hubPrinted.split(separator: "\n").first { $0.contains("log verifier key") }?
        .split(separator: " ").last.map(String.init))

    try Data(
      #"{"platform":{"id":"trading.fz","name":"福州公共资源电子交易平台","operator":"福州市公共资源交易中心"},"http":{"port":1},"database":{"url":"sqlite:/nonexistent/never.sqlite"},"data":{"directory":"fz"},"hub":{"url":"http://127.0.0.1:\#(hubPort)/api/v1","key":"\#(hubKey)"},"password":{"cost":4}}"#
        .utf8
    ).write(to: URL(fileURLWithPath: directory + "/trading.json"))
    let (trading, tradingOutput, tradingPrinted) = try started(
      ["serve", "trading", "--config", directory + "/trading.json"], until: "Serving;",
      environment: [
        "ZHAOCAI_HTTP_PORT": "\(tradingPort)",
        "ZHAOCAI_DATABASE_URL": try await databaseURL(backend, "trading"),
      ])
    defer { stop(trading) }
    #expect(
      tradingPrinted.contains("serving http://127.0.0.1:\(tradingPort)/api/v1"), "\(tradingPrinted)"
    )
    #expect(tradingPrinted.contains("applied (pending"))
    let tradingKey = try #require(
      tradingPrinted.split(separator: "\n").first { $0.contains("log verifier key") }?
        .split(separator: " ").last.map(String.init))

    // The hub holds the application as the trading platform made it; its administrator approves.
    let (_, listed) = try await get("http://127.0.0.1:\(hubPort)/api/v1/platforms")
    let application = try #require(
      (listed as? [[String: Any]])?.first { $0["id"] as? String == "trading.fz" })
    #expect(application["status"] as? String == "pending")
    #expect(application["logVerifierKey"] as? String == tradingKey)
    #expect(application["endpoint"] as? String == "http://127.0.0.1:\(tradingPort)/api/v1")
    let token = try String(contentsOfFile: directory + "/hub/hub-admin.token", encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let (decided, _) = try await request(
      "POST", "http://127.0.0.1:\(hubPort)/api/v1/platforms/trading.fz/decision", token: token,
      json: ["approve": true])
    #expect(decided == 200)
    // The trading platform serves its own log's checkpoint, signed under the name it printed.
    let (data, _) = try await URLSession.shared.data(
      from: try #require(URL(string: "http://127.0.0.1:\(tradingPort)/api/v1/log/checkpoint")))
    #expect(String(decoding: data, as: UTF8.self).contains("trading.fz.localhost/log"))

    // Both ready for a load balancer: their databases answer with every migration applied.
    for port in [hubPort, tradingPort] {
      let (live, _) = try await get("http://127.0.0.1:\(port)/health/live")
      let (ready, state) = try await get("http://127.0.0.1:\(port)/health/ready")
      #expect(live == 200 && ready == 200)
      #expect((state as? [String: Any])?["status"] as? String == "ready")
    }

    // The hub's Prometheus endpoint counts the decision under its route template.
    let (data2, _) = try await URLSession.shared.data(
      from: try #require(URL(string: "http://127.0.0.1:\(hubPort)/metrics")))
    #expect(
      String(decoding: data2, as: UTF8.self).contains(
        #"zhaocai_hub_http_requests_total{route="/api/v1/platforms/{platformID}/decision",method="POST",status="200"} 1"#
      ))

    for (process, output) in [(trading, tradingOutput), (hub, hubOutput)] {
      process.terminate()
      process.waitUntilExit()
      #expect(
        process.terminationReason == .exit && process.terminationStatus == 0,
        "\(process.terminationStatus): \(output.untilEnd())")
    }

    // Refused by name: no database URL that can be used, and no configuration file at all.
    let broken = try CommandRunner.execute(
      CommandRunner.binary, ["serve", "trading", "--config", directory + "/trading.json"],
      environment: ["ZHAOCAI_DATABASE_URL": "mysql://root:hunter2@db/x"])
    #expect(broken.status != 0)
    #expect(broken.stderr.contains("database.url"), "\(broken.stderr)")
    #expect(!broken.stderr.contains("hunter2") && !broken.stdout.contains("hunter2"))
    let missing = try CommandRunner.execute(
      CommandRunner.binary, ["serve", "hub", "--config", directory + "/none.json"])
    #expect(missing.status != 0 && missing.stderr.contains("none.json"), "\(missing.stderr)")
    // The scheduler's interval is bounded: a busy loop or a scheduler that never runs is refused.
    for interval in ["0", "3601", "soon"] {
      let refused = try CommandRunner.execute(
        CommandRunner.binary, ["serve", "trading", "--config", directory + "/trading.json"],
        environment: [
          "ZHAOCAI_SCHEDULER_SECONDS": interval,
          "ZHAOCAI_DATABASE_URL": try await databaseURL(backend, "trading"),
        ])
      #expect(refused.status != 0, "scheduler.seconds \(interval) was taken")
      #expect(refused.stderr.contains("scheduler.seconds"), "\(refused.stderr)")
    }
  }
}

/// A server's output after start: drained as it comes (a full pipe would block the server, and
/// a pipe freed while it runs killed it with SIGPIPE on its next log line), its last 32 KiB
/// kept for a failing test to show.
final class ServerOutput: @unchecked Sendable {
  private let pipe: Pipe
  private let lock = NSLock()
  private var tail = Data()
  private let ended = DispatchSemaphore(value: 0)

  init(_ pipe: Pipe) {
    self.pipe = pipe
    pipe.fileHandleForReading.readabilityHandler = { [self] handle in
      let chunk = handle.availableData
      if chunk.isEmpty {
        handle.readabilityHandler = nil
        ended.signal()
        return
      }
      lock.withLock {
        tail.append(chunk)
        if tail.count > 32_768 { tail.removeFirst(tail.count - 32_768) }
      }
    }
  }

  /// What the server printed last, once it closed its output (or after 10 s).
  func untilEnd() -> String {
    // Signalled again, so a second call does not wait.
    if ended.wait(timeout: .now() + 10) == .success { ended.signal() }
    return lock.withLock { String(decoding: tail, as: UTF8.self) }
  }
}
