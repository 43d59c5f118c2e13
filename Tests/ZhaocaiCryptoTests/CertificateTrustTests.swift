import Crypto
import Foundation
import Testing
import X509

@testable import ZhaocaiCrypto

/// CA mutual recognition: certificates of two recognised authorities (one P-256, one Ed25519)
/// are accepted; expired, not yet valid, revoked and foreign ones are refused, each by its code.
@Suite struct CertificateTrustTests {
  static let now = Date(timeIntervalSince1970: 1_793_581_200)  // 2026-11-02
  static let year: TimeInterval = 365 * 86_400
  let fujian = try! CertificateAuthority(
    name: "福建数字证书", key: .init(P256.Signing.PrivateKey()), validFrom: now - year,
    validUntil: now + 5 * year)
  let guangdong = try! CertificateAuthority(
    name: "广东数字证书", key: .init(Curve25519.Signing.PrivateKey()), validFrom: now - year,
    validUntil: now + 5 * year)

  func trust(revocations: RevocationList? = nil) -> CertificateTrust {
    CertificateTrust([
      .init(id: "fjca", certificate: fujian.certificate, revocations: nil),
      .init(id: "gdca", certificate: guangdong.certificate, revocations: revocations),
    ])
  }

  func party(
    _ authority: CertificateAuthority, key: VerifyingKey, serial: Int = 7,
    from: Date = now - 86_400, until: Date = now + year
  ) throws -> Certificate {
    try authority.issue(
      creditCode: "91350100M000100Y43", organization: "福州建工集团有限公司",
      publicKey: try #require(key.certificateKey), serial: .init(serial), validFrom: from,
      validUntil: until)
  }

  @Test func certificatesOfEitherRecognisedAuthorityNameTheirParty() throws {
    let ed25519 = try SigningKey.generate(.ed25519).verifyingKey
    let p256 = try SigningKey.generate(.p256).verifyingKey
    let fromFujian = try trust().check(try party(fujian, key: ed25519), at: Self.now)
    #expect(fromFujian.creditCode == "91350100M000100Y43")
    #expect(fromFujian.name == "福州建工集团有限公司")
    #expect(fromFujian.key == ed25519)
    #expect(fromFujian.authority == "fjca")
    let pem = try CertificateAuthority.pem(try party(guangdong, key: p256))
    let fromGuangdong = try trust().check(try CertificateTrust.certificate(pem), at: Self.now)
    #expect(fromGuangdong.key == p256)
    #expect(fromGuangdong.authority == "gdca")
  }

  @Test func expiredNotYetValidAndForeignCertificatesAreRefused() throws {
    let key = try SigningKey.generate(.ed25519).verifyingKey
    let expired = try party(fujian, key: key, from: Self.now - Self.year, until: Self.now - 1)
    #expect(throws: CertificateProblem.expired(Self.now - 1)) {
      try trust().check(expired, at: Self.now)
    }
    let early = try party(fujian, key: key, from: Self.now + 60)
    #expect(throws: CertificateProblem.notYetValid(Self.now + 60)) {
      try trust().check(early, at: Self.now)
    }
    // A foreign authority that even copies a recognised one's name is not recognised.
    let impostor = try CertificateAuthority(
      name: "福建数字证书", key: .init(P256.Signing.PrivateKey()), validFrom: Self.now - Self.year,
      validUntil: Self.now + Self.year)
    #expect(impostor.certificate.subject == fujian.certificate.subject)
    #expect(throws: CertificateProblem.untrusted(issuer: "\(fujian.certificate.subject)")) {
      try trust().check(try party(impostor, key: key), at: Self.now)
    }
    #expect(throws: CertificateProblem.unreadable) {
      try CertificateTrust.certificate(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
    }
  }

  @Test func aRevokedCertificateIsRefusedFromItsRevocationOn() throws {
    let key = try SigningKey.generate(.p256).verifyingKey
    let revoked = try party(guangdong, key: key, serial: 41)
    let kept = try party(guangdong, key: key, serial: 42)
    let list = try guangdong.revocationList(
      revoking: [revoked.serialNumber: Self.now - 3600], at: Self.now - 3600,
      nextUpdate: Self.now + 7 * 86_400)
    let reread = try RevocationList(derEncoded: list.derBytes)
    #expect(reread.isSigned(by: guangdong.certificate))
    #expect(!reread.isSigned(by: fujian.certificate))
    #expect(reread.revoked.count == 1)
    let store = trust(revocations: reread)
    #expect(throws: CertificateProblem.revoked(Self.now - 3600)) {
      try store.check(revoked, at: Self.now)
    }
    #expect(try store.check(kept, at: Self.now).authority == "gdca")
    // Past its next update the list no longer tells whether a certificate is good.
    #expect(throws: CertificateProblem.statusUnknown) {
      try store.check(kept, at: Self.now + 8 * 86_400)
    }
  }

  /// OpenSSL checks the list's signature and reads the revoked serial: the format is standard.
  @Test func openSSLVerifiesTheRevocationList() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crl-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for authority in [fujian, guangdong] {
      let key = try SigningKey.generate(.ed25519).verifyingKey
      let revoked = try party(authority, key: key, serial: 0x1234)
      let list = try authority.revocationList(
        revoking: [revoked.serialNumber: Self.now], at: Self.now, nextUpdate: Self.now + 86_400)
      let crl = directory.appendingPathComponent("list.der")
      let ca = directory.appendingPathComponent("ca.pem")
      try Data(list.derBytes).write(to: crl)
      try CertificateAuthority.pem(authority.certificate).write(
        to: ca, atomically: true, encoding: .utf8)
      let output = try openssl([
        "crl", "-inform", "DER", "-in", crl.path, "-CAfile", ca.path, "-noout", "-text",
      ])
      #expect(output.contains("verify OK"))
      #expect(output.contains("Serial Number: 1234"))
    }
  }

  private func openssl(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}
