import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiTestSupport
import ZhaocaiWeb

@testable import PublicServiceHub

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Platforms apply and are approved; only approved platforms' correctly signed messages are
/// applied, once each and in their sender's order — over real HTTP, on both databases.
@Suite struct RegistrationAndExchangeTests {
  static let adminToken = "hub-admin-token-for-tests"
  let key = Curve25519.Signing.PrivateKey()

  func application(_ id: String, key: Curve25519.Signing.PrivateKey) -> String {
    #"{"id":"\#(id)","name":"福州交易平台","operator":"福州公共资源交易中心","endpoint":"http://127.0.0.1:9/api/v1","publicKey":"\#(key.publicKey.rawRepresentation.base64EncodedString())"}"#
  }

  func batch(
    _ messages: [(UInt64, Curve25519.Signing.PrivateKey)], sender: String = "trading.fz",
    recipient: String = ExchangeMessage.hub, payload: String? = nil
  ) throws -> ByteBuffer {
    let signed = try messages.map { sequence, key in
      try SignedMessage.sign(
        ExchangeMessage(
          sender: sender, recipient: recipient, sequence: sequence, kind: "withheld",
          sentAt: 1_795_743_000, payload: payload ?? #"{"n":\#(sequence)}"#), with: key)
    }
    return ByteBuffer(bytes: try JSONEncoder().encode(signed))
  }

  func results(_ response: TestResponse) throws -> (
    statuses: [String], missing: [[String: Any]], codes: [String]
  ) {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    let results = try #require(object["results"] as? [[String: Any]])
    return (
      results.compactMap { $0["status"] as? String }, object["missing"] as? [[String: Any]] ?? [],
      results.compactMap { $0["code"] as? String }
    )
  }

  /// A hub on a fresh database of `backend`, and its HTTP application.
  func hub(on backend: Backend) async throws -> (Store, some ApplicationProtocol) {
    let store = try await backend.open(.hub)
    let hub = try PublicServiceHub(
      store: store, administratorToken: Self.adminToken, clock: ManualClock(1_795_743_100))
    return (store, try hub.application(port: 0))
  }

  @Test(arguments: Backend.available)
  func onlyApprovedPlatformsMessagesApplyOnceAndInOrder(backend: Backend) async throws {
    let (store, app) = try await hub(on: backend)
    let json: HTTPFields = [.contentType: "application/json"]
    let admin: HTTPFields = [
      .contentType: "application/json", .authorization: "Bearer \(Self.adminToken)",
    ]
    let impostor: HTTPFields = [.contentType: "application/json", .authorization: "Bearer guess"]
    try await app.test(.live) { client in
      let applied = try await client.execute(
        uri: "/api/v1/platforms", method: .post, headers: json,
        body: ByteBuffer(string: application("trading.fz", key: key)))
      #expect(applied.status == .created)
      let again = try await client.execute(
        uri: "/api/v1/platforms", method: .post, headers: json,
        body: ByteBuffer(string: application("trading.fz", key: key)))
      #expect(again.status == .conflict)

      // Before approval, nothing is accepted.
      let early = try results(
        try await client.execute(
          uri: "/api/v1/exchange/messages", method: .post, headers: json,
          body: try batch([(1, key)])))
      #expect(early.statuses == ["refused"])

      let approve = ByteBuffer(string: #"{"approve":true}"#)
      #expect(
        try await client.execute(
          uri: "/api/v1/platforms/trading.fz/decision", method: .post, headers: json, body: approve
        ).status == .unauthorized)
      #expect(
        try await client.execute(
          uri: "/api/v1/platforms/trading.fz/decision", method: .post, headers: impostor,
          body: approve
        ).status == .unauthorized)
      #expect(
        try await client.execute(
          uri: "/api/v1/platforms/trading.fz/decision", method: .post, headers: admin, body: approve
        ).status == .ok)

      // 1 applies; 3 is held with 2 missing; a forged 2 is refused; the real 2 releases 3; a
      // repeat is a duplicate; an unknown sender is refused.
      let forger = Curve25519.Signing.PrivateKey()
      // The sender writes its third message in a JSON of its own (indented, keys unsorted): the
      // hub keeps those bytes while the message is held and logs them once it applies it.
      let indented = JSONEncoder()
      indented.outputFormatting = [.prettyPrinted]
      let thirdBytes = try indented.encode(
        ExchangeMessage(
          sender: "trading.fz", recipient: ExchangeMessage.hub, sequence: 3, kind: "withheld",
          sentAt: 1_795_743_000, payload: #"{"n":3}"#))
      let thirdSigned = SignedMessage(
        message: thirdBytes.base64EncodedString(),
        signature: Data(
          try key.signature(for: Array("zhaocai-exchange v1\n".utf8) + Array(thirdBytes))
        ).base64EncodedString())
      var firstBatch = try JSONDecoder().decode(
        [SignedMessage].self, from: Data(buffer: try batch([(1, key), (3, key), (2, forger)])))
      firstBatch[1] = thirdSigned
      let first = try results(
        try await client.execute(
          uri: "/api/v1/exchange/messages", method: .post, headers: json,
          body: ByteBuffer(bytes: try JSONEncoder().encode(firstBatch))))
      #expect(first.statuses == ["applied", "held", "refused"])
      #expect(first.missing.first?["from"] as? Int == 2 && first.missing.first?["to"] as? Int == 2)
      // A message the sender addressed to another receiver (its copy for the supervision
      // platform, or a signed answer it gave someone) cannot be replayed here; another message
      // for a place already held is refused and the held one stays.
      let misaddressed = try results(
        try await client.execute(
          uri: "/api/v1/exchange/messages", method: .post, headers: json,
          body: try batch([(4, key)], recipient: "supervision.fj")))
      #expect(misaddressed.statuses == ["refused"])
      #expect(misaddressed.codes == ["MESSAGE_MISADDRESSED"])
      let conflicting = try results(
        try await client.execute(
          uri: "/api/v1/exchange/messages", method: .post, headers: json,
          body: try batch([(3, key)], payload: #"{"n":"another"}"#)))
      #expect(conflicting.statuses == ["refused"])
      #expect(conflicting.codes == ["MESSAGE_CONFLICTING"])
      let second = try results(
        try await client.execute(
          uri: "/api/v1/exchange/messages", method: .post, headers: json,
          body: try batch([(2, key), (1, key), (3, key)])))
      #expect(second.statuses == ["applied", "duplicate", "duplicate"])
      let stranger = try results(
        try await client.execute(
          uri: "/api/v1/exchange/messages", method: .post, headers: json,
          body: try batch([(1, key)], sender: "trading.unknown")))
      #expect(stranger.statuses == ["refused"])

      let count = try await store.transaction {
        try await HubRepository.count(from: "trading.fz", on: $0)
      }
      #expect(count == 3)
      let third = try await store.transaction { database in
        try await database.raw(
          "SELECT payload FROM messages WHERE sender = 'trading.fz' AND seq = 3"
        ).first()?.decode(column: "payload", as: String.self)
      }
      #expect(third == #"{"n":3}"#)
      // The hub's log holds each message as its sender signed it: its signature checks there.
      let logged = try await store.transaction { database in
        let size = try await PersistentLog.size(on: database)
        var entries: [Data] = []
        for index in 0..<size {
          if let entry = try await PersistentLog.entry(index, on: database) {
            entries.append(Data(entry))
          }
        }
        return entries
      }
      let signedFirst = try SignedMessage.sign(
        ExchangeMessage(
          sender: "trading.fz", recipient: ExchangeMessage.hub, sequence: 1, kind: "withheld",
          sentAt: 1_795_743_000, payload: #"{"n":1}"#), with: key)
      #expect(logged.contains(try #require(Data(base64Encoded: signedFirst.message))))
      #expect(logged.contains(thirdBytes))

      let malformed = try await client.execute(
        uri: "/api/v1/exchange/messages", method: .post, headers: json,
        body: ByteBuffer(string: "{\"not\":\"a list\"}"))
      #expect(malformed.status == .badRequest)
    }
    await store.close()
  }

  /// The same platform applies many times at once (a retried form, a double click): one
  /// application is taken, every other is told the id is taken — none fails with a 500.
  @Test(arguments: Backend.available)
  func applicationsAtOnceGetOneAcceptanceAndConflicts(backend: Backend) async throws {
    let (store, app) = try await hub(on: backend)
    let body = Data(application("trading.fz", key: key).utf8)
    try await app.test(.live) { client in
      let port = try #require(client.port)
      var request = URLRequest(
        url: try #require(URL(string: "http://127.0.0.1:\(port)/api/v1/platforms")))
      request.httpMethod = "POST"
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      request.httpBody = body
      let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<16 {
          group.addTask { [request] in
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
          }
        }
        return try await group.reduce(into: [Int]()) { $0.append($1) }
      }
      #expect(statuses.filter { $0 == 201 }.count == 1)
      #expect(statuses.filter { $0 == 409 }.count == 15, "\(statuses.sorted())")
    }
    await store.close()
  }
}

/// The split of the schema by platform kept every migration id the hub's databases have.
@Suite struct HubSchemaTests {
  @Test func theHubKeepsItsMigrationIds() {
    #expect(Schema.hub.migrations.map(\.id) == [1, 2] + Array(101...111))
  }
}
