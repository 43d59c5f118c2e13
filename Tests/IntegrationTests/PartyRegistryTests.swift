import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import PublicServiceHub
import Testing
import X509
import ZhaocaiCrypto
import ZhaocaiExchange
import ZhaocaiTestSupport

@testable import TradingPlatform

/// 一地注册、全网通用 and CA互认: a party registers once at the hub with a certificate from any
/// recognised CA and signs in and bids on two trading platforms; foreign, expired and revoked
/// certificates are refused on both.
@Suite struct PartyRegistryTests {
  static let now = Date(timeIntervalSince1970: TimeInterval(PlatformFixture.start))
  static let year: TimeInterval = 365 * 86_400
  let fujian = try! CertificateAuthority(
    name: "福建数字证书", key: .init(P256.Signing.PrivateKey()), validFrom: now - year,
    validUntil: now + 5 * year)
  let guangdong = try! CertificateAuthority(
    name: "广东数字证书", key: .init(Curve25519.Signing.PrivateKey()), validFrom: now - year,
    validUntil: now + 5 * year)
  let party = try! completed("91350200MA8W1B2C3")
  let partyKey = try! SigningKey.generate(.ed25519)

  func certificate(
    by authority: CertificateAuthority, serial: Int = 1, until: Date = now + year,
    key: SigningKey? = nil, creditCode: String? = nil
  ) throws -> String {
    try CertificateAuthority.pem(
      try authority.issue(
        creditCode: creditCode ?? party, organization: "厦门路桥建设集团有限公司",
        publicKey: try #require((key ?? partyKey).verifyingKey.certificateKey),
        serial: .init(serial), validFrom: Self.now - 86_400, validUntil: until))
  }

  /// The hub recognises both authorities and registers the party with its Guangdong certificate.
  func prepareHub(_ client: some TestClientProtocol) async throws {
    for (id, authority) in [("fjca", fujian), ("gdca", guangdong)] {
      let body = try Self.jsonString([
        "id": id, "name": id, "certificate": try CertificateAuthority.pem(authority.certificate),
      ])
      #expect(
        try await client.execute(
          uri: "/api/v1/trust/authorities", method: .post, headers: HubFixture.json,
          body: ByteBuffer(string: body)
        ).status == .unauthorized)
      #expect(
        try await client.execute(
          uri: "/api/v1/trust/authorities", method: .post, headers: HubFixture.admin,
          body: ByteBuffer(string: body)
        ).status == .created)
    }
    let notCA = try Self.jsonString([
      "id": "fake", "name": "fake", "certificate": try certificate(by: fujian),
    ])
    let refused = try await client.execute(
      uri: "/api/v1/trust/authorities", method: .post, headers: HubFixture.admin,
      body: ByteBuffer(string: notCA))
    #expect(problemCode(refused) == "AUTHORITY_INVALID")
    let registered = try await register(try certificate(by: guangdong), with: client)
    #expect(registered.status == .created)
  }

  func register(
    _ pem: String, name: String = "厦门路桥建设集团有限公司", signer: SigningKey? = nil,
    with client: some TestClientProtocol
  ) async throws -> TestResponse {
    let signed = Array("zhaocai-party-registration v1\n\(party)\n\(name)".utf8)
    let signature = try (signer ?? partyKey).signature(for: signed)
    return try await client.execute(
      uri: "/api/v1/parties", method: .post, headers: HubFixture.json,
      body: ByteBuffer(
        string: try Self.jsonString([
          "name": name, "certificate": pem, "signature": Data(signature).base64EncodedString(),
        ])))
  }

  /// Signs in on a trading platform by certificate: a challenge, then its signature.
  func signIn(
    _ pem: String, key: SigningKey? = nil, replay: String? = nil,
    with client: some TestClientProtocol
  ) async throws -> (response: TestResponse, nonce: String) {
    let challenge = try await client.execute(uri: "/api/v1/sessions/challenge", method: .post)
    #expect(challenge.status == .created)
    let issued = try #require(
      try JSONSerialization.jsonObject(with: Data(buffer: challenge.body)) as? [String: Any])
    let issuedNonce = try #require(issued["nonce"] as? String)
    let nonce = replay ?? issuedNonce
    let signature = try (key ?? partyKey).signature(
      for: SignInChallenge.message(nonce: nonce))
    let response = try await client.execute(
      uri: "/api/v1/sessions/certificate", method: .post, headers: jsonHeaders,
      body: ByteBuffer(
        string: try Self.jsonString([
          "role": "bidder", "certificate": pem, "nonce": nonce,
          "signature": Data(signature).base64EncodedString(),
        ])))
    return (response, nonce)
  }

  func token(_ response: TestResponse) throws -> String {
    let session = try #require(
      try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    return try #require(session["token"] as? String)
  }

  func bid(
    _ f: PlatformFixture, token: String, with client: some TestClientProtocol
  ) async throws -> TestResponse {
    try await client.execute(
      uri: "/api/v1/sections/S1/bids/\(party)", method: .put,
      headers: [.contentType: "application/octet-stream", .authorization: "Bearer \(token)"],
      body: ByteBuffer(bytes: try f.seal(bidder: party, signer: partyKey)))
  }

  @Test(arguments: Backend.available)
  func aPartyRegisteredOnceAtTheHubBidsOnTwoTradingPlatforms(backend: Backend) async throws {
    let h = try await HubFixture(backend: backend, now: PlatformFixture.start)
    let platforms = [
      try await PlatformFixture(backend: backend), try await PlatformFixture(backend: backend),
    ]
    let pem = try certificate(by: guangdong)
    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await prepareHub(hubClient)
      let listed = try await hubClient.execute(uri: "/api/v1/parties/\(party)", method: .get)
      #expect(String(buffer: listed.body).contains("厦门路桥建设集团有限公司"))
      for f in platforms {
        try await f.platform.application(port: 0).test(.live) { client in
          try await f.createAndPublish(with: client)
          f.clock.set(PlatformFixture.start + 10 * 86_400)
          // Before the platform has the hub's registry, the party is unknown here.
          let early = try await signIn(pem, with: client)
          #expect(problemCode(early.response) == "CERTIFICATE_UNTRUSTED")
          // A snapshot that the hub's key did not sign is not copied.
          let real = try h.link(hubClient)
          let impostor = ExchangeRelay(
            platform: f.platform,
            link: ExchangeLink(
              platformID: real.platformID, key: real.key, hub: real.hub,
              hubKey: Curve25519.Signing.PrivateKey().publicKey))
          await #expect(throws: ExchangeRelay.Failure.unsigned) {
            try await impostor.syncRegistry()
          }
          let relay = ExchangeRelay(platform: f.platform, link: real)
          #expect(try await relay.syncRegistry().parties.count == 1)
          let session = try await signIn(pem, with: client)
          #expect(session.response.status == .created)
          #expect(String(buffer: session.response.body).contains(party))
          let receipt = try await bid(f, token: try token(session.response), with: client)
          #expect(receipt.status == .created)
          // The nonce was single-use.
          let replayed = try await signIn(pem, replay: session.nonce, with: client)
          #expect(problemCode(replayed.response) == "SIGN_IN_FAILED")
        }
      }
    }
    for f in platforms { await f.platform.store.close() }
    await h.store.close()
  }

  /// 条例34: a party registered at the hub as controlled by the tenderer cannot bid in the
  /// tenderer's tender on any platform; the ties are signed with the registration, and the
  /// person in charge's ID number is kept only as a digest.
  @Test func aPartyTheTendererControlsCannotBid() async throws {
    let h = try await HubFixture(backend: .sqlite, now: PlatformFixture.start)
    let f = try await PlatformFixture(backend: .sqlite)
    let pem = try certificate(by: guangdong)
    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await prepareHub(hubClient)
      let representative = "35010219800101123X"
      func declare(signing text: String) async throws -> TestResponse {
        let signature = try partyKey.signature(for: Array(text.utf8))
        let body = try JSONSerialization.data(withJSONObject: [
          "name": "厦门路桥建设集团有限公司", "certificate": pem,
          "signature": Data(signature).base64EncodedString(),
          "representativeID": representative, "controlledBy": [PlatformFixture.tendererCode],
        ])
        return try await hubClient.execute(
          uri: "/api/v1/parties", method: .post, headers: HubFixture.json,
          body: ByteBuffer(data: body))
      }
      let base = "zhaocai-party-registration v1\n\(party)\n厦门路桥建设集团有限公司"
      // Ties the signature does not cover are refused.
      #expect(problemCode(try await declare(signing: base)) == "REGISTRATION_NOT_SIGNED")
      let declared = try await declare(
        signing: base + "\n\(representative)\n\(PlatformFixture.tendererCode)")
      #expect(declared.status == .created)
      let registry = try await hubClient.execute(uri: "/api/v1/registry", method: .get)
      #expect(!String(buffer: registry.body).contains(representative))

      try await f.platform.application(port: 0).test(.live) { client in
        try await f.createAndPublish(with: client)
        f.clock.set(PlatformFixture.start + 10 * 86_400)
        _ = try await ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
          .syncRegistry()
        let session = try await signIn(pem, with: client)
        let refused = try await bid(f, token: try token(session.response), with: client)
        #expect(problemCode(refused) == "RULE_BIDDER_INDEPENDENT")
      }
    }
    await f.platform.store.close()
    await h.store.close()
  }

  /// A platform that takes parties from the hub registers none itself.
  @Test func aPlatformOnTheHubRegistersNoPartyItself() async throws {
    let f = try await PlatformFixture(backend: .sqlite)
    let linked = TradingPlatform(
      store: f.platform.store, blobs: f.platform.blobs, clock: f.clock,
      logSigner: f.platform.logSigner, passwordCost: 4, partiesFromHub: true)
    try await linked.application(port: 0).test(.live) { client in
      let registration =
        #"{"id":"newbidder","password":"password-123","role":"bidder","name":"新投标人","creditCode":"\#(party)","signingKey":"\#(Data(partyKey.verifyingKey.rawRepresentation).base64EncodedString())","signatureAlgorithm":"ed25519"}"#
      let refused = try await client.execute(
        uri: "/api/v1/accounts", method: .post, headers: jsonHeaders,
        body: ByteBuffer(string: registration))
      #expect(refused.status == .conflict)
      #expect(problemCode(refused) == "PARTY_REGISTRY_AT_HUB")
    }
    await f.platform.store.close()
  }

  @Test(arguments: Backend.available)
  func foreignExpiredRevokedAndUnregisteredCertificatesAreRefusedOnEveryPlatform(
    backend: Backend
  ) async throws {
    let h = try await HubFixture(backend: backend, now: PlatformFixture.start)
    let platforms = [
      try await PlatformFixture(backend: backend), try await PlatformFixture(backend: backend),
    ]
    let foreign = try CertificateAuthority(
      name: "境外证书", key: .init(P256.Signing.PrivateKey()), validFrom: Self.now - Self.year,
      validUntil: Self.now + Self.year)
    let good = try certificate(by: guangdong, serial: 1)
    let second = try certificate(by: fujian, serial: 2)
    try await h.hub.application(port: 0).test(.live) { hubClient in
      try await prepareHub(hubClient)
      // The hub refuses what the platforms refuse, and a registration the key did not sign.
      let foreignRegistration = try await register(
        try certificate(by: foreign), with: hubClient)
      #expect(problemCode(foreignRegistration) == "CERTIFICATE_UNTRUSTED")
      let unsigned = try await register(
        good, signer: try SigningKey.generate(.ed25519), with: hubClient)
      #expect(problemCode(unsigned) == "REGISTRATION_NOT_SIGNED")

      var sessions: [String] = []
      for f in platforms {
        let session = try await f.platform.application(port: 0).test(.live) { client in
          try await f.createAndPublish(with: client)
          f.clock.set(PlatformFixture.start + 10 * 86_400)
          try await ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
            .syncRegistry()
          let cases: [(String, String)] = [
            (try certificate(by: foreign), "CERTIFICATE_UNTRUSTED"),
            (try certificate(by: fujian, until: Self.now + 86_400), "CERTIFICATE_EXPIRED"),
            (
              try certificate(
                by: fujian, creditCode: try completed("91350200MA8W9X9X9")),
              "PARTY_NOT_REGISTERED"
            ),
            (
              // A CA vouching for a code whose check character is wrong (GB 32100).
              try certificate(
                by: fujian, creditCode: String(party.dropLast()) + (party.last == "0" ? "1" : "0")),
              "RULE_CREDIT_CODE_VALID"
            ),
          ]
          for (pem, code) in cases {
            let refused = try await signIn(pem, with: client)
            #expect(problemCode(refused.response) == code)
            #expect(refused.response.status != .created)
          }
          let wrongKey = try await signIn(
            good, key: try SigningKey.generate(.ed25519), with: client)
          #expect(problemCode(wrongKey.response) == "SIGN_IN_FAILED")
          // Either recognised authority's certificate of the registered party is good.
          #expect(try await signIn(second, with: client).response.status == .created)
          return try token(try await signIn(good, with: client).response)
        }
        sessions.append(session)
      }

      // Guangdong revokes the certificate; a list it did not sign, or an older one, is refused.
      let revokedAt = Self.now + 9 * 86_400
      let list = try guangdong.revocationList(
        revoking: [.init(1): revokedAt], at: revokedAt, nextUpdate: revokedAt + 30 * 86_400)
      let forged = try foreign.revocationList(
        revoking: [:], at: revokedAt + 60, nextUpdate: revokedAt + 30 * 86_400)
      func publish(_ list: RevocationList) async throws -> TestResponse {
        try await hubClient.execute(
          uri: "/api/v1/trust/authorities/gdca/revocations", method: .put,
          headers: HubFixture.json,
          body: ByteBuffer(
            string: #"{"revocationList":"\#(Data(list.derBytes).base64EncodedString())"}"#))
      }
      #expect(problemCode(try await publish(forged)) == "REVOCATION_LIST_NOT_SIGNED")
      #expect(try await publish(list).status == .ok)
      let older = try guangdong.revocationList(
        revoking: [:], at: revokedAt - 60, nextUpdate: revokedAt + 30 * 86_400)
      #expect(problemCode(try await publish(older)) == "REVOCATION_LIST_NOT_NEWER")

      for (f, session) in zip(platforms, sessions) {
        try await f.platform.application(port: 0).test(.live) { client in
          try await ExchangeRelay(platform: f.platform, link: try h.link(hubClient))
            .syncRegistry()
          // Signed in before the revocation, the party still signs no bid with it.
          let barred = try await bid(f, token: session, with: client)
          #expect(problemCode(barred) == "CERTIFICATE_REVOKED")
          let refused = try await signIn(good, with: client)
          #expect(problemCode(refused.response) == "CERTIFICATE_REVOKED")
        }
      }
    }
    for f in platforms { await f.platform.store.close() }
    await h.store.close()
  }

  static func jsonString(_ object: [String: String]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
  }
}
