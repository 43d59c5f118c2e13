import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiStore
import ZhaocaiTestSupport

@testable import TradingPlatform

/// Anonymous reads of a section are answered from the last answer's bytes until the store
/// commits again, with an ETag a client can send back for a 304; nobody signed in is served or
/// kept, and a draft never reaches the public through it.
@Suite struct PublicAnswersTests {
  @Test(arguments: Backend.available)
  func anonymousReadsAreKeptUntilTheNextCommit(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let app = try f.platform.application(port: 0)
    try await app.test(.live) { client in
      let created = try await client.execute(
        uri: "/api/v1/sections", method: .post, headers: try await f.tenderer(),
        body: json(PlatformFixture.termsJSON))
      #expect(created.status == .created)
      // The tenderer's own read of its draft is not kept: the public still finds nothing.
      let own = try await client.execute(
        uri: "/api/v1/sections/S1", method: .get, headers: try await f.tenderer())
      #expect(own.status == .ok)
      #expect(
        try await client.execute(uri: "/api/v1/sections/S1", method: .get).status == .notFound)

      let published = try await client.execute(
        uri: "/api/v1/sections/S1/publication", method: .post, headers: try await f.tenderer(),
        body: json(f.scheduleJSON))
      #expect(published.status == .ok)
      let first = try await client.execute(uri: "/api/v1/sections/S1", method: .get)
      let leases = f.platform.store.usage.snapshot.leases
      let second = try await client.execute(uri: "/api/v1/sections/S1", method: .get)
      // On SQLite the second answer is the first's bytes: no connection was taken for it.
      if f.platform.store.generation != nil {
        #expect(f.platform.store.usage.snapshot.leases == leases)
      }
      #expect(first.status == .ok && second.status == .ok)
      #expect(first.body == second.body)
      let etag = try #require(first.headers[.eTag])
      #expect(second.headers[.eTag] == etag)
      #expect(first.headers[.contentType]?.hasPrefix("application/json") == true)

      // The client that holds the answer is told nothing changed, without the bytes.
      let unchanged = try await client.execute(
        uri: "/api/v1/sections/S1", method: .get, headers: [.ifNoneMatch: etag])
      #expect(unchanged.status == .notModified && unchanged.body.readableBytes == 0)

      // A commit that changes what the public sees (an amendment less than 15 days before the
      // deadline, which moves it, 法23) changes the answer and its ETag.
      f.clock.set(PlatformFixture.start + 86_400 * 20)
      let amended = try await client.execute(
        uri: "/api/v1/sections/S1/amendments", method: .post, headers: try await f.tenderer())
      #expect(amended.status == .created, "\(String(buffer: amended.body))")
      let after = try await client.execute(
        uri: "/api/v1/sections/S1", method: .get, headers: [.ifNoneMatch: etag])
      #expect(after.status == .ok)
      #expect(after.headers[.eTag] != etag && after.body != first.body)
    }
    await f.platform.store.close()
  }
}
