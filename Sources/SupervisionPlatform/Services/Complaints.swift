import Foundation
import HubClient
import OpenAPIRuntime
import SQLKit
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Complaints as the supervision platform keeps them: within a supervisor's remit, filed by a certified party.
extension SupervisionPlatform {
  /// A complaint whose process is in the supervisor's remit.
  func complaint(
    _ id: String, of supervisor: Supervisor, forUpdate: Bool = false, on database: any SQLDatabase
  ) async throws -> (Complaint, String) {
    guard
      let (complaint, platformID) = try await ComplaintRepository.find(
        id, forUpdate: forUpdate, on: database),
      try await oversees(supervisor, platform: platformID, section: complaint.section, on: database)
    else { throw SupervisionProblem.notInRemit("complaint \(id)") }
    return (complaint, platformID)
  }

  /// The credit code of a party registered at the hub whose certificate, from a CA the hub
  /// recognises and good now, made `signature` over `bytes`.
  func certify(_ pem: String, signature: [UInt8], over bytes: [UInt8], at now: Int64)
    async throws -> String
  {
    guard let hub else {
      throw SupervisionProblem(
        status: 503, code: "NO_HUB", english: "this platform is not linked to a hub",
        chinese: "本平台未接入公共服务平台，无法核验证书")
    }
    // The signature first: what costs nothing to check goes before asking the hub.
    let certificate = try CertificateTrust.certificate(pem)
    guard let key = CertificateTrust.verifyingKey(certificate.publicKey),
      key.isValidSignature(signature, for: bytes)
    else {
      throw SupervisionProblem(
        status: 422, code: "SIGNATURE_INVALID",
        english: "the statement's signature does not verify with the certificate's key",
        chinese: "投诉书签名验证失败")
    }
    let hubKey = hubKey
    let fetch = { @Sendable in try await HubConnection(hub).registry(key: hubKey) }
    let trusted = try await registry.snapshot(at: now, fetch: fetch)
    let party = try PartyRegistry.trust(trusted.authorities).check(
      certificate, at: Date(timeIntervalSince1970: TimeInterval(now)))
    let code = try Account.checkedCreditCode(party.creditCode)
    let snapshot = try await registry.snapshot(at: now, listing: code, fetch: fetch)
    guard snapshot.parties.contains(where: { $0.creditCode == code }) else {
      throw SupervisionProblem(
        status: 403, code: "PARTY_NOT_REGISTERED",
        english: "\(code) is not registered at the public service hub",
        chinese: "该单位未在公共服务平台注册")
    }
    return code
  }
}
