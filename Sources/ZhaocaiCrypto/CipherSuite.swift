/// The algorithms an envelope uses, chosen per section.
public enum CipherSuite: UInt8, Sendable, CaseIterable, CustomStringConvertible {
  /// AES-256-GCM segments, SHA-256, HPKE (X25519) shares, Ed25519 or ECDSA P-256 signatures.
  case standard = 1
  /// The national algorithms: SM4-CTR + HMAC-SM3 segments, SM3, SM2 shares and signatures.
  case national = 2

  public var description: String {
    switch self {
    case .standard: "standard"
    case .national: "sm"
    }
  }

  /// The suite named on the command line: `standard` or `sm`.
  public init?(name: String) {
    switch name.lowercased() {
    case "standard": self = .standard
    case "sm", "national": self = .national
    default: return nil
    }
  }

  /// The hash of envelopes, key ids and commitments.
  public var hashFunction: HashFunction {
    switch self {
    case .standard: .sha256
    case .national: .sm3
    }
  }

  /// Bytes of each segment's authentication tag.
  var tagSize: Int {
    switch self {
    case .standard: 16
    case .national: 32
    }
  }
}

/// SHA-256 or SM3; both give 32 bytes.
public enum HashFunction: Sendable, CustomStringConvertible {
  case sha256
  case sm3

  public var description: String {
    switch self {
    case .sha256: "sha256"
    case .sm3: "sm3"
    }
  }

  public func hash(_ data: [UInt8]) -> [UInt8] {
    var hasher = StreamingHash(self)
    data.withUnsafeBytes { hasher.update($0) }
    return hasher.finalize()
  }

  /// The hash of a label and then the parts, for commitments and key ids.
  func hash(label: String, _ parts: [UInt8]...) -> [UInt8] {
    var hasher = StreamingHash(self)
    Array(label.utf8).withUnsafeBytes { hasher.update($0) }
    for part in parts { part.withUnsafeBytes { hasher.update($0) } }
    return hasher.finalize()
  }
}
