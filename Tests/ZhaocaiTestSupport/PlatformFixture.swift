import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// A trading platform on a fresh database, served over real HTTP on loopback, with its accounts:
/// a tenderer, three bidders, three key holders and an administrator (password `password-123`).
public struct PlatformFixture: Sendable {
  public static let tendererCode = "9135010070000001XU"
  public static let bidder = "91350100M000100Y43"
  public static let bidders = [
    "91350100M000100Y43", "91110000100000589A", "91440300MA5DC6QX9C", "9135010080000001X7",
  ]
  public static let password = "password-123"
  public static let start: Int64 = 1_793_581_200  // 2026-11-02T09:00+08:00
  public let platform: TradingPlatform
  public let clock = ManualClock(PlatformFixture.start)
  public let blobDirectory: String
  public let holders: [PrivateKeyFile]
  public let bidderKeys: PrivateKeyFile
  /// How many accounts the fixture registered (each is a log entry).
  public let registrations: Int

  /// With `sandboxed`, the platform reads a sandbox clock over the fixture's clock, moved
  /// forward only through the sandbox's HTTP endpoint.
  public let sandboxClock: SandboxClock?

  public init(backend: Backend, logSigner: NoteSigner? = nil, sandboxed: Bool = false) async throws
  {
    let sandboxClock = sandboxed ? SandboxClock(base: clock) : nil
    self.sandboxClock = sandboxClock
    blobDirectory =
      FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID())").path
    let store = try await backend.open(.trading)
    platform = TradingPlatform(
      store: store, blobs: try BlobStore.forStore(store, directory: blobDirectory),
      clock: sandboxClock ?? clock,
      logSigner: try logSigner ?? NoteSigner(name: "trading.test/log", key: .init()),
      passwordCost: 4)
    holders = try (0..<3).map { try PrivateKeyFile.generate(id: "holder\($0)", suite: .standard) }
    bidderKeys = try PrivateKeyFile.generate(id: Self.bidder, suite: .standard)
    let signingKey = Data(bidderKeys.signing.verifyingKey.rawRepresentation).base64EncodedString()
    let algorithm = bidderKeys.signing.algorithm.description
    var accounts = [
      Account(id: "tenderer", role: .tenderer, name: "福州市城建局", creditCode: Self.tendererCode),
      Account(id: "admin", role: .administrator, name: "平台管理员", creditCode: Self.tendererCode),
    ]
    accounts += Self.bidders.map {
      Account(
        id: "bidder-\($0)", role: .bidder, name: "投标人\($0.suffix(4))", creditCode: $0,
        signingKey: signingKey, signatureAlgorithm: algorithm)
    }
    accounts += holders.map {
      Account(id: $0.id, role: .keyHolder, name: $0.id, creditCode: Self.tendererCode)
    }
    for account in accounts {
      _ = try await platform.register(account, password: Self.password)
    }
    registrations = accounts.count
  }

  /// Headers of a request made by `account` (signed in now, at the fixture's clock).
  public func headers(_ account: String, _ base: HTTPFields = [:]) async throws -> HTTPFields {
    let session = try await platform.signIn(account: account, password: Self.password)
    var fields = base
    fields[.authorization] = "Bearer \(session.token)"
    return fields
  }

  /// A bidder's headers, by credit code.
  public func bidder(_ code: String = Self.bidder, _ base: HTTPFields = binaryHeaders) async throws
    -> HTTPFields
  {
    try await headers("bidder-\(code)", base)
  }

  public func tenderer(_ base: HTTPFields = jsonHeaders) async throws -> HTTPFields {
    try await headers("tenderer", base)
  }

  public static let termsJSON = """
    {"sectionID":"S1","name":"主体工程","estimateFen":5000000000,"bidBondFen":80000000,
     "procedure":"open","evaluationMethod":"comprehensiveScoring","industry":"住建",
     "region":"350100","stateFunded":true,"project":"示范中学迁建工程",
     "criteria":[{"name":"技术","maxPoints":9000},{"name":"商务","maxPoints":3000}]}
    """
  /// The notice: dates, and this fixture's three holders' sealing keys, 2 needed.
  public var scheduleJSON: String {
    let holders = holders.map {
      #"{"name":"\#($0.id)","suite":"standard","sealingKey":"\#(Data($0.sealing.publicKey.rawRepresentation).base64EncodedString())"}"#
    }
    return """
      {"documentsIssuedAt":"2026-11-02T01:00:00Z","saleEndsAt":"2026-11-09T09:00:00Z",
       "bidDeadline":"2026-11-27T01:30:00Z","keyHolders":[\(holders.joined(separator: ","))],"threshold":2}
      """
  }
  public static let deadline: Int64 = 1_795_743_000  // 2026-11-27T01:30:00Z

  public func seal(
    section: String = "S1", openingTime: Int64 = Self.deadline, bidder: String = Self.bidder,
    holders sealedTo: [SealingPublicKey]? = nil,
    plaintext: [UInt8] = (0..<90_000).map { UInt8(truncatingIfNeeded: $0) },
    signer: SigningKey? = nil
  ) throws -> [UInt8] {
    var input = MemorySource(plaintext)
    var output = MemorySink()
    _ = try EnvelopeSealer.seal(
      &input, to: &output,
      request: SealingRequest(
        sectionID: section, bidderID: bidder, openingTime: openingTime,
        holders: sealedTo ?? holders.map(\.sealing.publicKey)),
      signer: signer ?? bidderKeys.signing)
    return output.bytes
  }

  /// Creates section S1 as the tenderer and publishes its notice through the API.
  public func createAndPublish(with client: some TestClientProtocol) async throws {
    let created = try await client.execute(
      uri: "/api/v1/sections", method: .post, headers: try await tenderer(),
      body: json(Self.termsJSON))
    #expect(created.status == .created)
    let published = try await client.execute(
      uri: "/api/v1/sections/S1/publication", method: .post, headers: try await tenderer(),
      body: json(scheduleJSON))
    #expect(published.status == .ok)
  }

  /// Uploads a sealed bid of `bidder` (its bundle at `priceFen`, or `plaintext`).
  public func submit(
    _ envelope: [UInt8], bidder: String, with client: some TestClientProtocol
  ) async throws -> TestResponse {
    try await client.execute(
      uri: "/api/v1/sections/S1/bids/\(bidder)", method: .put,
      headers: try await self.bidder(bidder), body: ByteBuffer(bytes: envelope))
  }

  /// Key holder `holder` fetches each bid after the deadline, opens its share with its own key
  /// and releases them (办法28), as `zhaocai holder release` does.
  public func release(
    holder: Int, bidders: [String], with client: some TestClientProtocol
  ) async throws -> TestResponse {
    var shares: [String] = []
    for bidder in bidders {
      let envelope = try await call(
        .get, "/sections/S1/bids/\(bidder)", as: "holder\(holder)", with: client)
      let share = try EnvelopeReader(MemorySource(Array(buffer: envelope.body))).header.share(
        using: holders[holder].sealing)
      shares.append(
        #"{"bidder":"\#(bidder)","x":\#(share.x),"y":"\#(Data(share.y).base64EncodedString())"}"#)
    }
    return try await call(
      .post, "/sections/S1/shares/holder\(holder)", as: "holder\(holder)",
      json: #"{"shares":[\#(shares.joined(separator: ","))]}"#, with: client)
  }

  /// A request as `account` (nil: anonymous) with an optional JSON body.
  public func call(
    _ method: HTTPRequest.Method, _ uri: String, as account: String?, json body: String? = nil,
    with client: some TestClientProtocol
  ) async throws -> TestResponse {
    var fields: HTTPFields = body == nil ? [:] : jsonHeaders
    if let account { fields = try await headers(account, fields) }
    return try await client.execute(
      uri: "/api/v1" + uri, method: method, headers: fields,
      body: body.map { ByteBuffer(string: $0) })
  }

  /// A bid bundle: the manifest for `bidder` at `priceFen`, then one small document.
  public static func bundle(bidder: String, priceFen: Int64, section: String = "S1") throws
    -> [UInt8]
  {
    let document = Array("技术标".utf8)
    let manifest = BidManifest(
      sectionID: section, bidderCreditCode: bidder, bidderName: bidder, priceFen: priceFen,
      durationDays: 300, quality: "合格", warrantyMonths: 24, projectManagerID: "PM-\(bidder)",
      documents: [
        .init(
          name: "tech.pdf", size: Int64(document.count),
          sha256: SHA256.hash(data: document).map { String(format: "%02x", $0) }.joined())
      ])
    return BidBundleLayout.prefix(manifestJSON: Array(try JSONEncoder().encode(manifest)))
      + BidBundleLayout.fileHeader(name: "tech.pdf", size: Int64(document.count)) + document
  }

  public var leftoverUploads: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: blobDirectory)) ?? []).filter {
      $0.hasPrefix(".upload-")
    }
  }
}

public func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
public let jsonHeaders: HTTPFields = [.contentType: "application/json"]
public let binaryHeaders: HTTPFields = [.contentType: "application/octet-stream"]

public func problemCode(_ response: TestResponse) -> String? {
  let object =
    try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
  return object?["code"] as? String
}

/// A credit code with its check character computed (GB 32100), from its first 17 characters.
public func completed(_ code: String) throws -> String {
  try #require(CreditCode.completing(String(code.prefix(17)))).value
}
