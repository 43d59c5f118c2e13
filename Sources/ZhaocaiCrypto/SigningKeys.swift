import Crypto

/// How a bidder signs its envelope.
public enum SignatureAlgorithm: UInt8, Sendable, CaseIterable, CustomStringConvertible {
  case ed25519 = 1
  /// ECDSA over P-256 with SHA-256; the signature is r ‖ s (64 bytes), as WebCrypto writes it.
  case p256 = 2
  /// SM2 with SM3 and the default distinguishing ID.
  case sm2 = 3

  public var description: String {
    switch self {
    case .ed25519: "ed25519"
    case .p256: "p256"
    case .sm2: "sm2"
    }
  }

  public init?(name: String) {
    guard let found = Self.allCases.first(where: { $0.description == name.lowercased() }) else {
      return nil
    }
    self = found
  }

  /// The suite whose envelopes this algorithm may sign.
  public var suite: CipherSuite { self == .sm2 ? .national : .standard }
}

/// A private key that signs envelopes (and, later, confirmations).
public enum SigningKey: Sendable {
  case ed25519(Curve25519.Signing.PrivateKey)
  case p256(P256.Signing.PrivateKey)
  case sm2(SM2.PrivateKey)

  public static func generate(_ algorithm: SignatureAlgorithm) throws -> SigningKey {
    switch algorithm {
    case .ed25519: .ed25519(Curve25519.Signing.PrivateKey())
    case .p256: .p256(P256.Signing.PrivateKey())
    case .sm2: .sm2(try SM2.PrivateKey())
    }
  }

  public init(algorithm: SignatureAlgorithm, rawRepresentation raw: [UInt8]) throws {
    switch algorithm {
    case .ed25519: self = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
    case .p256: self = .p256(try P256.Signing.PrivateKey(rawRepresentation: raw))
    case .sm2: self = .sm2(try SM2.PrivateKey(rawRepresentation: raw))
    }
  }

  public var algorithm: SignatureAlgorithm {
    switch self {
    case .ed25519: .ed25519
    case .p256: .p256
    case .sm2: .sm2
    }
  }

  public var rawRepresentation: [UInt8] {
    switch self {
    case .ed25519(let key): Array(key.rawRepresentation)
    case .p256(let key): Array(key.rawRepresentation)
    case .sm2(let key): key.rawRepresentation
    }
  }

  public var verifyingKey: VerifyingKey {
    switch self {
    case .ed25519(let key): .ed25519(key.publicKey)
    case .p256(let key): .p256(key.publicKey)
    case .sm2(let key): .sm2(key.publicKey)
    }
  }

  public func signature(for message: [UInt8]) throws -> [UInt8] {
    switch self {
    case .ed25519(let key): Array(try key.signature(for: message))
    case .p256(let key): Array(try key.signature(for: message).rawRepresentation)
    case .sm2(let key): try key.signature(for: message)
    }
  }
}

/// The public half of a `SigningKey`.
public enum VerifyingKey: Sendable, Equatable {
  case ed25519(Curve25519.Signing.PublicKey)
  case p256(P256.Signing.PublicKey)
  case sm2(SM2.PublicKey)

  /// Raw encodings: Ed25519 32 bytes; P-256 and SM2 the 65-byte uncompressed point.
  public init(algorithm: SignatureAlgorithm, rawRepresentation raw: [UInt8]) throws {
    switch algorithm {
    case .ed25519: self = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: raw))
    case .p256: self = .p256(try P256.Signing.PublicKey(x963Representation: raw))
    case .sm2: self = .sm2(try SM2.PublicKey(rawRepresentation: raw))
    }
  }

  public var algorithm: SignatureAlgorithm {
    switch self {
    case .ed25519: .ed25519
    case .p256: .p256
    case .sm2: .sm2
    }
  }

  public var rawRepresentation: [UInt8] {
    switch self {
    case .ed25519(let key): Array(key.rawRepresentation)
    case .p256(let key): Array(key.x963Representation)
    case .sm2(let key): key.rawRepresentation
    }
  }

  public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
    switch self {
    case .ed25519(let key):
      return key.isValidSignature(signature, for: message)
    case .p256(let key):
      guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else {
        return false
      }
      return key.isValidSignature(parsed, for: message)
    case .sm2(let key):
      return key.isValidSignature(signature, for: message)
    }
  }

  public static func == (lhs: VerifyingKey, rhs: VerifyingKey) -> Bool {
    lhs.algorithm == rhs.algorithm && lhs.rawRepresentation == rhs.rawRepresentation
  }
}
