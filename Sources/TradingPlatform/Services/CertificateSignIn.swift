import Foundation
import SQLKit
import X509
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Parties registered once at the hub (一地注册、全网通用) sign in here with a certificate from
/// any recognised CA (CA互认): the platform checks it against its copy of the hub's trust store
/// and registry, makes or renews the party's account from it, and checks it again at each bid.
extension TradingPlatform {
  static let challengeSeconds: Int64 = 300

  /// A fresh single-use nonce for a certificate sign-in.
  func issueChallenge() async throws -> (nonce: String, expiresAt: Int64) {
    let nonce = Secrets.random()
    let expiresAt = clock.now() + Self.challengeSeconds
    try await store.transaction {
      try await AccountRepository.issueChallenge(nonce, expiresAt: expiresAt, on: $0)
    }
    return (nonce, expiresAt)
  }

  /// The certificate's holder, if a recognised CA issued it, it is good at `now`, and it names
  /// a party registered at the hub.
  func certify(_ pem: String, at now: Int64, on database: any SQLDatabase) async throws
    -> CertifiedParty
  {
    let certificate = try CertificateTrust.certificate(pem)
    let trust = PartyRegistry.trust(try await RegistryCopyRepository.authorities(on: database))
    let party = try trust.check(certificate, at: Date(timeIntervalSince1970: TimeInterval(now)))
    let code = try Account.checkedCreditCode(party.creditCode)
    guard try await RegistryCopyRepository.party(code, on: database) != nil else {
      throw Problem(
        status: 403, code: "PARTY_NOT_REGISTERED", article: nil,
        english: "\(code) is not registered at the public service hub; register there once",
        chinese: "该单位未在公共服务平台注册，请先到公共服务平台注册（一地注册、全网通用）")
    }
    return party
  }

  /// Signs in a party by its certificate and a signature over a live nonce; its account for
  /// `role` is made, or renewed when the certificate changed.
  func signIn(
    certificate pem: String, role: Role, nonce: String, signature: [UInt8], from address: String
  ) async throws -> (token: String, expiresAt: Int64, account: Account) {
    guard role.selfRegistered else { throw Problem.forbidden("parties sign in as \(role)") }
    let now = clock.now()
    let account = try await store.transaction { database in
      guard try await AccountRepository.takeChallenge(nonce, at: now, on: database) else {
        throw Problem.signInFailed
      }
      let party = try await self.certify(pem, at: now, on: database)
      guard
        party.key.isValidSignature(signature, for: SignInChallenge.message(nonce: nonce))
      else { throw Problem.signInFailed }
      let account = Account(
        id: "\(role.rawValue)-\(party.creditCode)", role: role, name: party.name,
        creditCode: party.creditCode,
        signingKey: Data(party.key.rawRepresentation).base64EncodedString(),
        signatureAlgorithm: party.key.algorithm.description, certificate: pem)
      let actor = Operator(account: account.id, role: role.rawValue, address: address)
      switch try await AccountRepository.find(account.id, on: database) {
      case nil:
        try await AccountRepository.create(
          account, passwordHash: "", at: now, by: actor, on: database)
      case let found? where found.account != account:
        try await AccountRepository.renew(account, at: now, by: actor, on: database)
      default: break
      }
      return account
    }
    return try await startSession(for: account)
  }

  /// A certificate-holding bidder's certificate must still be good when it signs a bid.
  func checkStillCertified(_ account: Account, at now: Int64, on database: any SQLDatabase)
    async throws
  {
    guard let pem = account.certificate else { return }
    _ = try await certify(pem, at: now, on: database)
  }
}

extension Problem {
  static let signInFailed = Problem(
    status: 401, code: "SIGN_IN_FAILED", article: nil,
    english: "the challenge is unknown or expired, or the signature does not verify",
    chinese: "登录失败：挑战码无效或已过期，或签名验证失败")
}
