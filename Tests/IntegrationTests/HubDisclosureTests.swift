import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import TradingPlatform

/// The hub receives every log entry (no gaps) but learns only the public record: before the
/// opening it cannot tell who took the documents, paid a bond or bid, and never who acted.
@Suite struct HubDisclosureTests {
  @Test(arguments: Backend.available)
  func theHubLearnsThePublicRecordOnly(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let h = try await HubFixture(backend: backend)
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      f.clock.set(PlatformFixture.start + 10 * 86_400)
      #expect(
        try await f.submit(try f.seal(), bidder: PlatformFixture.bidder, with: client).status
          == .created)
    }
    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await h.register(with: hubClient)
      let relay = ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
      while try await relay.deliver() > 0 {}
    }
    let logSize = try await f.platform.store.transaction { try await PersistentLog.size(on: $0) }
    let messages = try await h.store.transaction { database in
      try await database.raw("SELECT kind, payload FROM messages ORDER BY seq").all().map {
        (
          try $0.decode(column: "kind", as: String.self),
          try $0.decode(column: "payload", as: String.self)
        )
      }
    }
    #expect(UInt64(messages.count) == logSize)
    let disclosed = messages.filter { $0.0 != "withheld" }
    // The publication (with its terms) and the tender notice; the draft, the accounts and the
    // bid are withheld.
    #expect(disclosed.map(\.0) == ["section.event", "notice.published"])
    #expect(disclosed[0].1.contains(#""published""#) && disclosed[0].1.contains(#""terms""#))
    for (_, payload) in messages {
      #expect(!payload.contains(PlatformFixture.bidder))
      #expect(!payload.contains("127.0.0.1"))
      #expect(!payload.contains(#""by""#))
    }
    #expect(messages.filter { $0.0 == "withheld" }.allSatisfy { $0.1 == "{}" })
    await f.platform.store.close()
    await h.store.close()
  }
}
