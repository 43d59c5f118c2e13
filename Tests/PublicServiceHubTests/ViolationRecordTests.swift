import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import ZhaocaiStore
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import PublicServiceHub

/// Credit publication: violation records with their points, published by the administrator
/// (until the supervision platform sends them) and free to all until they expire.
@Suite struct ViolationRecordTests {
  @Test(arguments: Backend.available)
  func violationRecordsArePublishedUntilTheyExpire(backend: Backend) async throws {
    let store = try await backend.open(.hub)
    let clock = ManualClock(1_793_581_200)  // 2026-11-02T09:00+08:00
    let hub = try PublicServiceHub(
      store: store, administratorToken: "admin-token", clock: clock)
    let admin: HTTPFields = [
      .contentType: "application/json", .authorization: "Bearer admin-token",
    ]
    let json: HTTPFields = [.contentType: "application/json"]
    try await hub.application(port: 0).test(.live) { client in
      let record =
        #"{"party":"91350100M000100Y43","description":"串通投标（围标）","article":"法53","points":30,"decidedBy":"福州市住房和城乡建设局","decidedAt":"2026-11-02T00:00:00Z"}"#
      func publish(_ body: String, as headers: HTTPFields) async throws -> TestResponse {
        try await client.execute(
          uri: "/api/v1/credit/violations", method: .post, headers: headers,
          body: ByteBuffer(string: body))
      }
      #expect(try await publish(record, as: json).status == .unauthorized)
      let badCode = try await publish(
        record.replacingOccurrences(of: "Y43", with: "Y44"), as: admin)
      #expect(String(buffer: badCode.body).contains("RULE_CREDIT_CODE_VALID"))
      let badPoints = try await publish(
        record.replacingOccurrences(of: #""points":30"#, with: #""points":0"#), as: admin)
      #expect(String(buffer: badPoints.body).contains("INVALID_INPUT"))
      #expect(try await publish(record, as: admin).status == .created)

      func listed(_ query: String = "") async throws -> [[String: Any]] {
        let answer = try await client.execute(
          uri: "/api/v1/credit/violations\(query)", method: .get)
        return try JSONSerialization.jsonObject(with: Data(buffer: answer.body))
          as? [[String: Any]] ?? []
      }
      let published = try await listed("?party=91350100M000100Y43")
      #expect(published.count == 1)
      #expect(published.first?["points"] as? Int == 30)
      // Six months by default: published on 2027-05-02's eve, gone after.
      #expect(published.first?["expiresAt"] as? String == "2027-05-02T16:00:00Z")
      #expect(try await listed("?party=91110000100000589A").isEmpty)
      clock.set(1_809_360_000)  // 2027-05-03
      #expect(try await listed().isEmpty)
    }
    await store.close()
  }
}
