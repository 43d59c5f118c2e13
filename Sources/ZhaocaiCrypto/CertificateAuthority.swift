import Crypto
import Foundation
import SwiftASN1
import X509

/// A small certificate authority, as the demo and the tests need one: a self-signed root that
/// issues party certificates (credit code in organizationIdentifier) and revocation lists.
public struct CertificateAuthority: Sendable {
  public let key: Certificate.PrivateKey
  public let certificate: Certificate

  /// A new authority named `name`, valid over the given period.
  public init(name: String, key: Certificate.PrivateKey, validFrom: Date, validUntil: Date) throws {
    self.key = key
    let subject = try DistinguishedName {
      CountryName("CN")
      OrganizationName(name)
      CommonName("\(name) Root CA")
    }
    certificate = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: key.publicKey, notValidBefore: validFrom,
      notValidAfter: validUntil, issuer: subject, subject: subject,
      signatureAlgorithm: key.defaultSignatureAlgorithm,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
        KeyUsage(keyCertSign: true, cRLSign: true)
      },
      issuerPrivateKey: key)
  }

  /// A party's certificate for `publicKey`.
  public func issue(
    creditCode: String, organization: String, publicKey: Certificate.PublicKey,
    serial: Certificate.SerialNumber = .init(), validFrom: Date, validUntil: Date
  ) throws -> Certificate {
    let subject = try DistinguishedName([
      RelativeDistinguishedName.Attribute(
        type: .RDNAttributeType.countryName, printableString: "CN"),
      RelativeDistinguishedName.Attribute(
        type: .RDNAttributeType.organizationName, utf8String: organization),
      RelativeDistinguishedName.Attribute(
        type: CertificateTrust.creditCodeAttribute, utf8String: creditCode),
    ])
    return try Certificate(
      version: .v3, serialNumber: serial, publicKey: publicKey, notValidBefore: validFrom,
      notValidAfter: validUntil, issuer: certificate.subject, subject: subject,
      signatureAlgorithm: key.defaultSignatureAlgorithm,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        KeyUsage(digitalSignature: true, nonRepudiation: true)
      },
      issuerPrivateKey: key)
  }

  /// A signed list revoking `revoked` (serial → when), current from `at` until `nextUpdate`.
  public func revocationList(
    revoking revoked: [Certificate.SerialNumber: Date], at: Date, nextUpdate: Date
  ) throws -> RevocationList {
    try RevocationList(
      issuer: certificate.subject, thisUpdate: at, nextUpdate: nextUpdate, revoked: revoked,
      issuerKey: key)
  }

  /// The certificate as PEM text.
  public static func pem(_ certificate: Certificate) throws -> String {
    try certificate.serializeAsPEM().pemString
  }
}

extension Certificate.PrivateKey {
  var defaultSignatureAlgorithm: Certificate.SignatureAlgorithm {
    supportedSignatureAlgorithms.first { $0 != .ecdsaWithSHA512 && $0 != .ecdsaWithSHA384 }
      ?? supportedSignatureAlgorithms[0]
  }
}

extension VerifyingKey {
  /// The key as a certificate's subject key (Ed25519 and P-256; SM2 certificates are not supported).
  public var certificateKey: Certificate.PublicKey? {
    switch self {
    case .ed25519(let key): Certificate.PublicKey(key)
    case .p256(let key): Certificate.PublicKey(key)
    case .sm2: nil
    }
  }
}
