import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SupervisionPlatform
import Testing
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// A supervision platform (`supervision.fj`) on a fresh database with four departments — the
/// province's and two cities' 住建 and Fuzhou's 交通 — and one supervisor each
/// (password `password-123`); and a trading platform (`trading.fz`) that reports to it.
public struct SupervisionFixture: Sendable {
  public static let password = "password-123"
  public static let departments = [
    Department(id: "fj-zj", name: "福建省住房和城乡建设厅", industry: "住建", region: "350000"),
    Department(id: "fz-zj", name: "福州市城乡建设局", industry: "住建", region: "350100"),
    Department(id: "xm-zj", name: "厦门市建设局", industry: "住建", region: "350200"),
    Department(id: "fz-jt", name: "福州市交通运输局", industry: "交通", region: "350100"),
  ]
  public let store: Store
  public let key = Curve25519.Signing.PrivateKey()
  public let tradingKey = Curve25519.Signing.PrivateKey()
  public let logSigner = try! NoteSigner(name: "supervision.test/log", key: .init())
  public let clock: ManualClock

  public init(backend: Backend, clock: ManualClock) async throws {
    store = try await backend.open(.supervision)
    self.clock = clock
    let platform = platform()
    for department in Self.departments {
      try await platform.add(department)
      try await platform.add(
        Supervisor(id: "\(department.id)-1", name: "监督员", department: department),
        password: Self.password)
    }
  }

  /// The platform, linked to a hub if one is given.
  public func platform(
    hub: String? = nil, hubKey: Curve25519.Signing.PublicKey? = nil, keyHolder: KeyHolding? = nil
  ) -> SupervisionPlatform {
    let clock = clock
    return SupervisionPlatform(
      store: store, platformID: "supervision.fj", key: key, logSigner: logSigner, hub: hub,
      hubKey: hubKey, keyHolder: keyHolder, passwordCost: 4, administratorToken: "admin-token",
      clock: clock)
  }

  /// `f`'s platform as `trading.fz`, reporting to the supervision platform `supervision` serves.
  public func trading(
    _ f: PlatformFixture, supervision: some TestClientProtocol, hub: String = "http://127.0.0.1:1"
  ) throws -> TradingPlatform {
    // The fixture's third holder key stands for the supervision platform's.
    let holderKey = Data(f.holders[2].sealing.publicKey.rawRepresentation).base64EncodedString()
    return TradingPlatform(
      store: f.platform.store, blobs: f.platform.blobs, clock: f.clock,
      logSigner: f.platform.logSigner, passwordCost: 4,
      exchange: ExchangeLink(platformID: "trading.fz", key: tradingKey, hub: hub + "/api/v1"),
      supervision: SupervisionLink(
        platformID: "supervision.fj", key: key.publicKey,
        endpoint: "http://127.0.0.1:\(try #require(supervision.port))/api/v1",
        holderKey: holderKey))
  }

  /// Oversees `trading.fz`, served by `client`.
  public func oversee(_ client: some TestClientProtocol) async throws {
    try await platform().oversee(
      id: "trading.fz", name: "福州交易平台",
      endpoint: "http://127.0.0.1:\(try #require(client.port))/api/v1",
      publicKey: tradingKey.publicKey.rawRepresentation.base64EncodedString())
  }

  /// Serves the supervision platform (this fixture's, or `platform`) and `f`'s as `trading.fz`
  /// reporting to it and overseen by it; `body` gets both clients, the trading platform and its
  /// relay.
  public func serve(
    _ f: PlatformFixture, platform: SupervisionPlatform? = nil,
    _ body:
      @escaping @Sendable (
        _ sup: any TestClientProtocol, _ client: any TestClientProtocol, _ trading: TradingPlatform,
        _ relay: ExchangeRelay
      ) async throws -> Void
  ) async throws {
    try await (platform ?? self.platform()).application(port: 0).test(.live) { sup in
      let trading = try trading(f, supervision: sup)
      try await trading.application(port: 0).test(.live) { client in
        try await oversee(client)
        try await body(
          sup, client, trading,
          ExchangeRelay(platform: trading, link: try #require(trading.exchange)))
      }
    }
  }

  /// A request to the supervision platform as `supervisor` (nil: anonymous).
  public func call(
    _ method: HTTPRequest.Method, _ uri: String, as supervisor: String?, json body: String? = nil,
    with client: some TestClientProtocol
  ) async throws -> TestResponse {
    var fields: HTTPFields = body == nil ? [:] : [.contentType: "application/json"]
    if let supervisor {
      let session = try await platform().signIn(supervisor, password: Self.password)
      fields[.authorization] = "Bearer \(session.token)"
    }
    return try await client.execute(
      uri: "/api/v1" + uri, method: method, headers: fields,
      body: body.map { ByteBuffer(string: $0) })
  }
}

public func jsonArray(_ response: TestResponse) throws -> [[String: Any]] {
  try #require(
    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]],
    "\(response.status): \(String(buffer: response.body))")
}

public func jsonObject(_ response: TestResponse) throws -> [String: Any] {
  try #require(
    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
}
