import Crypto

/// A key holder's private key, which opens the shares sealed to it.
public enum SealingPrivateKey: Sendable {
  case x25519(Curve25519.KeyAgreement.PrivateKey)
  case sm2(SM2.PrivateKey)

  public static func generate(_ suite: CipherSuite) throws -> SealingPrivateKey {
    switch suite {
    case .standard: .x25519(Curve25519.KeyAgreement.PrivateKey())
    case .national: .sm2(try SM2.PrivateKey())
    }
  }

  public init(suite: CipherSuite, rawRepresentation raw: [UInt8]) throws {
    switch suite {
    case .standard: self = .x25519(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw))
    case .national: self = .sm2(try SM2.PrivateKey(rawRepresentation: raw))
    }
  }

  public var suite: CipherSuite {
    switch self {
    case .x25519: .standard
    case .sm2: .national
    }
  }

  public var rawRepresentation: [UInt8] {
    switch self {
    case .x25519(let key): Array(key.rawRepresentation)
    case .sm2(let key): key.rawRepresentation
    }
  }

  public var publicKey: SealingPublicKey {
    switch self {
    case .x25519(let key): .x25519(key.publicKey)
    case .sm2(let key): .sm2(key.publicKey)
    }
  }
}

/// A key holder's public key, to which bidders seal the shares of their bid keys.
public enum SealingPublicKey: Sendable {
  case x25519(Curve25519.KeyAgreement.PublicKey)
  case sm2(SM2.PublicKey)

  public init(suite: CipherSuite, rawRepresentation raw: [UInt8]) throws {
    switch suite {
    case .standard: self = .x25519(try Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw))
    case .national: self = .sm2(try SM2.PublicKey(rawRepresentation: raw))
    }
  }

  public var suite: CipherSuite {
    switch self {
    case .x25519: .standard
    case .sm2: .national
    }
  }

  /// X25519: the 32-byte u-coordinate; SM2: the 65-byte uncompressed point.
  public var rawRepresentation: [UInt8] {
    switch self {
    case .x25519(let key): Array(key.rawRepresentation)
    case .sm2(let key): key.rawRepresentation
    }
  }

  /// How an envelope names this holder: the suite's hash of the raw key.
  public var keyID: [UInt8] {
    suite.hashFunction.hash(label: EnvelopeFormat.holderKeyLabel, rawRepresentation)
  }
}
