import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import ZhaocaiCrypto
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import TradingPlatform

/// The hub takes a trading platform's checkpoints only as consistent extensions of what it
/// published before; a platform that rewrote its history is caught and the evidence kept.
@Suite struct CheckpointPublicationTests {
  @Test(arguments: Backend.available)
  func aRewrittenHistoryIsCaughtByTheConsistencyCheck(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let h = try await HubFixture(backend: backend)
    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await h.register(
        with: hubClient, logVerifierKey: f.platform.logSigner.verifier.verifierKey)
      let link = try h.link(hubClient)
      let relay = ExchangeRelay(platform: f.platform, link: link)

      let first = try #require(try await relay.pushCheckpoint())
      #expect(try await relay.pushCheckpoint() == nil)  // nothing new
      try await f.platform.application(port: 0).test(.live) { client in
        try await f.createAndPublish(with: client)
      }
      let second = try #require(try await relay.pushCheckpoint())
      #expect(second > first)

      // The same platform (same log key) presents a different history of its own.
      let fork = try await PlatformFixture(backend: backend, logSigner: f.platform.logSigner)
      try await fork.platform.application(port: 0).test(.live) { client in
        try await fork.createAndPublish(with: client)
        _ = try await fork.call(
          .post, "/sections/S1/amendments", as: "tenderer", with: client)
      }
      let rewritten = ExchangeRelay(platform: fork.platform, link: link)
      let refusal = await #expect(throws: PeerRefusal.self) {
        try await rewritten.pushCheckpoint()
      }
      #expect(refusal?.status == 409)
      #expect(refusal?.code == "CHECKPOINT_INCONSISTENT")
      let alerts = try #require(
        try JSONSerialization.jsonObject(
          with: Data(
            buffer: try await hubClient.execute(uri: "/api/v1/checkpoints/alerts", method: .get)
              .body))
          as? [[String: Any]])
      #expect(alerts.count == 1)
      #expect(alerts.first?["platform"] as? String == "trading.fz")
      // What the hub publishes is still the honest history.
      let published = try #require(
        try JSONSerialization.jsonObject(
          with: Data(
            buffer: try await hubClient.execute(
              uri: "/api/v1/checkpoints?platform=trading.fz", method: .get
            ).body)) as? [[String: Any]])
      #expect(published.compactMap { ($0["size"] as? NSNumber)?.uint64Value } == [first, second])
      await fork.platform.store.close()
    }
    await f.platform.store.close()
    await h.store.close()
  }

  /// A checkpoint smaller than the messages the platform already sent hides entries: refused.
  @Test(arguments: Backend.available)
  func aCheckpointBehindTheMessagesSentIsCaught(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let h = try await HubFixture(backend: backend)
    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await h.register(
        with: hubClient, logVerifierKey: f.platform.logSigner.verifier.verifierKey)
      let relay = ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
      while try await relay.deliver() > 0 {}
      // A checkpoint of the first entry alone, properly signed with the platform's log key.
      let early = try f.platform.logSigner.sign(
        Checkpoint(origin: f.platform.logSigner.name, size: 1, root: TreeHash.leaf([1])))
      let refused = try await hubClient.execute(
        uri: "/api/v1/checkpoints", method: .post, headers: HubFixture.json,
        body: ByteBuffer(
          string: try String(
            decoding: JSONSerialization.data(
              withJSONObject: ["platform": "trading.fz", "checkpoint": early, "proof": [String]()]),
            as: UTF8.self)))
      #expect(refused.status == .conflict)
      #expect(problemCode(refused) == "CHECKPOINT_BEHIND_MESSAGES")
      // The honest one is taken.
      #expect(try await relay.pushCheckpoint() != nil)
    }
    await f.platform.store.close()
    await h.store.close()
  }
}
