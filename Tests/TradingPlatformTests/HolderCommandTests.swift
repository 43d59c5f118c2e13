import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiTestSupport

@testable import TradingPlatform

@Suite struct HolderCommandTests {
  @Test func keyHoldersReleaseTheirSharesWithTheCommand() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let bidders = ["91350100M000100Y43", "91110000100000589A", "91440300MA5DC6QX9C"]
    let keyDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "holders-\(UUID())")
    try FileManager.default.createDirectory(at: keyDirectory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: keyDirectory) }
    let passwordFile = keyDirectory.appendingPathComponent("password")
    try Data(PlatformFixture.password.utf8).write(to: passwordFile)
    for (i, holder) in f.holders.enumerated() {
      try Data(holder.text.utf8).write(to: keyDirectory.appendingPathComponent("holder\(i).key"))
    }
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 10 * 86_400)
      for (i, bidder) in bidders.enumerated() {
        let bundle = try PlatformFixture.bundle(bidder: bidder, priceFen: 4_000_000_000 + Int64(i))
        let envelope = try f.seal(bidder: bidder, plaintext: bundle)
        #expect(try await f.submit(envelope, bidder: bidder, with: client).status == .created)
      }
      let base = "http://127.0.0.1:\(try #require(client.port))/api/v1"
      func release(_ i: Int) async throws -> (status: Int32, stderr: String) {
        try await runZhaocai([
          "holder", "release", "--platform", base, "--section", "S1", "--name", "holder\(i)",
          "--key", keyDirectory.appendingPathComponent("holder\(i).key").path,
          "--password-file", passwordFile.path,
        ])
      }
      let early = try await release(0)
      #expect(early.status == 1)
      #expect(early.stderr.contains("RULE_NO_DECRYPTION_BEFORE_DEADLINE"))

      f.clock.set(PlatformFixture.deadline)
      try await OpeningScheduler(platform: f.platform).tick()
      #expect(try await release(0).status == 0)
      #expect(try await release(2).status == 0)
      let opening = try await client.execute(
        uri: "/api/v1/sections/S1/opening", method: .post, headers: try await f.tenderer())
      let record = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: opening.body)) as? [[String: Any]])
      #expect(record.map { $0["outcome"] as? String } == ["opened", "opened", "opened"])
    }
    await f.platform.store.close()
  }
}
