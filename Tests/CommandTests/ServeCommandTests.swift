import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The README's first command: `zhaocai serve --demo` starts the platforms on loopback with
/// demo data, says where, and serves.
@Suite struct ServeCommandTests {
  /// A port that was free a moment ago (bound to 0 and released).
  func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length)
        return getsockname(fd, $0, &length)
      }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  func get(_ url: String) async throws -> (Int, Any?) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
    return (
      (response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONSerialization.jsonObject(with: data)
    )
  }

  @Test func serveDemoStartsTheHubAndTwoTradingPlatformsWithDemoData() async throws {
    let (port, secondPort, hubPort) = (try freePort(), try freePort(), try freePort())
    let process = Process()
    process.executableURL = CommandRunner.binary
    process.arguments = [
      "serve", "--demo", "--port", "\(port)", "--second-port", "\(secondPort)", "--hub-port",
      "\(hubPort)",
    ]
    // One pipe for both streams, so a read never waits on the quiet one.
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    defer {
      process.terminate()
      process.waitUntilExit()
    }
    // Read what it prints until it says it serves (no sleeping: reads block).
    var printed = ""
    while !printed.contains("All platforms are serving") {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty, !process.isRunning { break }
      printed += String(decoding: chunk, as: UTF8.self)
    }
    #expect(printed.contains("http://127.0.0.1:\(port)/api/v1/sections/DEMO-2026-001-1"))
    #expect(printed.contains("http://127.0.0.1:\(secondPort)/api/v1/sections/DEMO-XM-2026-001-1"))
    #expect(printed.contains("demo accounts on each trading platform (password zhaocai-demo)"))

    for (base, section) in [(port, "DEMO-2026-001-1"), (secondPort, "DEMO-XM-2026-001-1")] {
      let (status, view) = try await get("http://127.0.0.1:\(base)/api/v1/sections/\(section)")
      #expect(status == 200)
      #expect((view as? [String: Any])?["phase"] as? String == "bidding")
    }
    let (_, platforms) = try await get("http://127.0.0.1:\(hubPort)/api/v1/platforms")
    let registry = (platforms as? [[String: Any]] ?? []).map {
      "\($0["id"] ?? "")=\($0["status"] ?? "")"
    }
    #expect(registry.sorted() == ["trading.fz=approved", "trading.xm=approved"])
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
  }
}
