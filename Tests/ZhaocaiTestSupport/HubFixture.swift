import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import TradingPlatform
import ZhaocaiStore
import ZhaocaiWeb

/// A public service hub on a fresh database of the test's backend, and the trading platform's
/// exchange identity (`trading.fz` and its key) for the tests that join the two.
public struct HubFixture: Sendable {
  public static let json: HTTPFields = [.contentType: "application/json"]
  public static let admin: HTTPFields = [
    .contentType: "application/json", .authorization: "Bearer admin-token",
  ]
  public let store: Store
  public let hub: PublicServiceHub
  public let key = Curve25519.Signing.PrivateKey()

  public init(backend: Backend, now: Int64 = 0) async throws {
    store = try await backend.open(.hub)
    hub = try PublicServiceHub(
      store: store, administratorToken: "admin-token", clock: ManualClock(now))
  }

  /// `trading.fz` applies (with its log key, if given) and, unless told otherwise, is approved.
  public func register(
    with client: some TestClientProtocol, logVerifierKey: String? = nil, approve: Bool = true,
    endpoint: String = "http://127.0.0.1:8080/api/v1"
  ) async throws {
    let logKey = logVerifierKey.map { #","logVerifierKey":"\#($0)""# } ?? ""
    let application =
      #"{"id":"trading.fz","name":"福州交易平台","operator":"福州中心","endpoint":"\#(endpoint)","publicKey":"\#(key.publicKey.rawRepresentation.base64EncodedString())"\#(logKey)}"#
    #expect(
      try await client.execute(
        uri: "/api/v1/platforms", method: .post, headers: Self.json,
        body: ByteBuffer(string: application)
      ).status == .created)
    if approve { try await self.approve(with: client) }
  }

  public func approve(with client: some TestClientProtocol) async throws {
    #expect(
      try await client.execute(
        uri: "/api/v1/platforms/trading.fz/decision", method: .post, headers: Self.admin,
        body: ByteBuffer(string: #"{"approve":true}"#)
      ).status == .ok)
  }

  /// The link of `trading.fz` to this hub, served by `client`.
  public func link(_ client: some TestClientProtocol) throws -> ExchangeLink {
    ExchangeLink(
      platformID: "trading.fz", key: key,
      hub: "http://127.0.0.1:\(try #require(client.port))/api/v1",
      hubKey: hub.logSigner.key.publicKey)
  }
}
