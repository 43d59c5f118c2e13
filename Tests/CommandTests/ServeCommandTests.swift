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

  @Test func serveDemoStartsTheTradingPlatformAndTheHubWithDemoData() async throws {
    let (port, hubPort) = (try freePort(), try freePort())
    let process = Process()
    process.executableURL = CommandRunner.binary
    process.arguments = ["serve", "--demo", "--port", "\(port)", "--hub-port", "\(hubPort)"]
    // One pipe for both streams, so a read never waits on the quiet one.
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    defer {
      process.terminate()
      process.waitUntilExit()
    }
    // Read what it prints until both servers say they listen (no sleeping: reads block).
    var printed = ""
    var listening = 0
    while listening < 2 {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty, !process.isRunning { break }
      printed += String(decoding: chunk, as: UTF8.self)
      listening = printed.components(separatedBy: "Server started and listening").count - 1
    }
    #expect(printed.contains("http://127.0.0.1:\(port)/api/v1/sections/DEMO-2026-001-1"))
    #expect(printed.contains("demo accounts (password zhaocai-demo)"))

    let (status, section) = try await get(
      "http://127.0.0.1:\(port)/api/v1/sections/DEMO-2026-001-1")
    #expect(status == 200)
    #expect((section as? [String: Any])?["phase"] as? String == "bidding")
    let (_, platforms) = try await get("http://127.0.0.1:\(hubPort)/api/v1/platforms")
    let registry = platforms as? [[String: Any]]
    #expect(registry?.first?["id"] as? String == "trading.localhost")
    #expect(registry?.first?["status"] as? String == "approved")
  }
}
