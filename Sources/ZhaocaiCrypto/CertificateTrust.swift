import Crypto
import Foundation
import SwiftASN1
import X509

/// Why a party's certificate is not accepted; each has a stable code for problem answers.
public enum CertificateProblem: Error, Equatable, Sendable {
  /// Not PEM or DER of an X.509 certificate.
  case unreadable
  /// No recognised authority issued it (or its signature does not verify).
  case untrusted(issuer: String)
  case notYetValid(Date)
  case expired(Date)
  /// Its authority's revocation list names it.
  case revoked(Date)
  /// The authority's revocation list is past its next update: the status cannot be known.
  case statusUnknown
  /// The subject carries no unified social credit code (its check character is the domain's).
  case noCreditCode
  /// Its key is not one the platform checks envelopes with (Ed25519 or P-256).
  case unsupportedKey

  public var code: String {
    switch self {
    case .unreadable: "CERTIFICATE_UNREADABLE"
    case .untrusted: "CERTIFICATE_UNTRUSTED"
    case .notYetValid: "CERTIFICATE_NOT_YET_VALID"
    case .expired: "CERTIFICATE_EXPIRED"
    case .revoked: "CERTIFICATE_REVOKED"
    case .statusUnknown: "CERTIFICATE_STATUS_UNKNOWN"
    case .noCreditCode: "CERTIFICATE_NO_CREDIT_CODE"
    case .unsupportedKey: "CERTIFICATE_UNSUPPORTED_KEY"
    }
  }

  public var english: String {
    switch self {
    case .unreadable: "the certificate is not a readable X.509 certificate"
    case .untrusted(let issuer): "the certificate's issuer \(issuer) is not a recognised CA"
    case .notYetValid(let from): "the certificate is valid only from \(from)"
    case .expired(let until): "the certificate expired at \(until)"
    case .revoked(let at): "the certificate was revoked at \(at)"
    case .statusUnknown:
      "the CA's revocation list is out of date; the certificate cannot be checked"
    case .noCreditCode: "the certificate's subject has no unified social credit code"
    case .unsupportedKey: "the certificate's key is neither Ed25519 nor P-256"
    }
  }

  public var chinese: String {
    switch self {
    case .unreadable: "证书无法读取"
    case .untrusted: "证书不是互认的CA机构签发的"
    case .notYetValid: "证书尚未生效"
    case .expired: "证书已过期"
    case .revoked: "证书已被吊销"
    case .statusUnknown: "CA机构的证书吊销列表已过期，无法确认证书状态"
    case .noCreditCode: "证书主体中没有有效的统一社会信用代码"
    case .unsupportedKey: "证书密钥算法不受支持"
    }
  }
}

/// What a certificate accepted by the trust store says about its holder.
public struct CertifiedParty: Sendable, Equatable {
  public let creditCode: String
  public let name: String
  /// The key the party signs envelopes and sign-ins with.
  public let key: VerifyingKey
  /// The id of the recognised authority that issued the certificate.
  public let authority: String
}

/// The certificate authorities the hub recognises (CA互认) with their revocation lists. Each
/// authority certificate is a trust anchor: a party's certificate must be issued directly by
/// one of them, valid at the time of use and not revoked by the anchor's current list.
public struct CertificateTrust: Sendable {
  /// A recognised authority: its certificate and its latest revocation list, if it published one.
  public struct Authority: Sendable {
    public let id: String
    public let certificate: Certificate
    public let revocations: RevocationList?

    public init(id: String, certificate: Certificate, revocations: RevocationList?) {
      self.id = id
      self.certificate = certificate
      self.revocations = revocations
    }
    /// As published (PEM certificate, base64 DER list); nil if the certificate is unreadable.
    /// An unreadable list counts as none, since the hub accepts only lists it could read.
    public init?(id: String, pem: String, revocationList: String?) {
      guard let certificate = try? CertificateTrust.certificate(pem) else { return nil }
      self.init(
        id: id, certificate: certificate,
        revocations: revocationList.flatMap { Data(base64Encoded: $0) }.flatMap {
          try? RevocationList(derEncoded: Array($0))
        })
    }
  }

  /// The subject attribute that carries the unified social credit code (organizationIdentifier).
  public static let creditCodeAttribute: ASN1ObjectIdentifier = [2, 5, 4, 97]

  public let authorities: [Authority]

  public init(_ authorities: [Authority]) { self.authorities = authorities }

  /// Reads a PEM (or base64 DER) certificate.
  public static func certificate(_ text: String) throws(CertificateProblem) -> Certificate {
    if let certificate = try? Certificate(pemEncoded: text) { return certificate }
    if let der = Data(base64Encoded: text),
      let certificate = try? Certificate(derEncoded: Array(der))
    {
      return certificate
    }
    throw .unreadable
  }

  /// The certificate's holder if an authority of this store issued it and it is good at `now`.
  public func check(_ certificate: Certificate, at now: Date) throws(CertificateProblem)
    -> CertifiedParty
  {
    guard
      let authority = authorities.first(where: {
        $0.certificate.subject == certificate.issuer
          && $0.certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
      })
    else { throw .untrusted(issuer: "\(certificate.issuer)") }
    guard authority.certificate.notValidAfter > now, authority.certificate.notValidBefore <= now
    else { throw .untrusted(issuer: "\(certificate.issuer)") }
    guard certificate.notValidBefore <= now else { throw .notYetValid(certificate.notValidBefore) }
    guard now < certificate.notValidAfter else { throw .expired(certificate.notValidAfter) }
    if let list = authority.revocations {
      if let revokedAt = list.revocation(of: certificate), revokedAt <= now {
        throw .revoked(revokedAt)
      }
      if let next = list.nextUpdate, next < now { throw .statusUnknown }
    }
    let subject = certificate.subject.flatMap { $0 }
    guard
      let code = subject.first(where: { $0.type == Self.creditCodeAttribute }).flatMap({
        String($0.value)
      }),
      !code.isEmpty
    else { throw .noCreditCode }
    let name =
      subject.first(where: { $0.type == .RDNAttributeType.organizationName }).flatMap {
        String($0.value)
      } ?? subject.first(where: { $0.type == .RDNAttributeType.commonName }).flatMap {
        String($0.value)
      } ?? code
    guard let key = Self.verifyingKey(certificate.publicKey) else { throw .unsupportedKey }
    return CertifiedParty(
      creditCode: code, name: name, key: key, authority: authority.id)
  }

  /// The key a certificate certifies, if it is of a kind parties sign with.
  public static func verifyingKey(_ key: Certificate.PublicKey) -> VerifyingKey? {
    if let ed25519 = Curve25519.Signing.PublicKey(key) { return .ed25519(ed25519) }
    if let p256 = P256.Signing.PublicKey(key) { return .p256(p256) }
    return nil
  }
}
