import Foundation

/// A party's private keys as written by `zhaocai keys generate`: one to sign, one to open shares.
///
/// The text form (docs/ENVELOPE.md, "Key files") is two PKCS#8 PEM blocks under a short header,
/// so that a browser's WebCrypto and OpenSSL read the keys as they are; the earlier line form
/// (`zhaocai-private-key v1`) is still read.
public struct PrivateKeyFile: Sendable {
  public let id: String
  public let signing: SigningKey
  public let sealing: SealingPrivateKey

  public init(id: String, signing: SigningKey, sealing: SealingPrivateKey) {
    self.id = id
    self.signing = signing
    self.sealing = sealing
  }

  /// Fresh keys for `suite`; the standard suite signs with Ed25519 unless P-256 is asked for.
  public static func generate(
    id: String, suite: CipherSuite, signature: SignatureAlgorithm? = nil
  ) throws -> PrivateKeyFile {
    let algorithm = signature ?? (suite == .national ? .sm2 : .ed25519)
    guard algorithm.suite == suite else { throw KeyFileError.algorithmNotInSuite(algorithm, suite) }
    return PrivateKeyFile(
      id: id, signing: try .generate(algorithm), sealing: try .generate(suite))
  }

  public var publicKeys: PublicKeyFile {
    PublicKeyFile(id: id, signing: signing.verifyingKey, sealing: sealing.publicKey)
  }

  /// The PEM form: the signing key's block first, then the sealing key's.
  public var text: String {
    """
    \(KeyFileText.privateHeaderPEM)
    id: \(id)
    suite: \(sealing.suite)

    """ + PrivateKeyInfo.pem(PrivateKeyInfo.der(signing.infoKind, raw: signing.infoRaw))
      + PrivateKeyInfo.pem(PrivateKeyInfo.der(sealing.infoKind, raw: sealing.infoRaw))
  }

  /// The earlier line form, for tools that read only it.
  public var lineText: String {
    KeyFileText.render(
      kind: KeyFileText.privateHeader, id: id, suite: sealing.suite,
      signing: (signing.algorithm, signing.rawRepresentation),
      sealing: sealing.rawRepresentation)
  }

  public init(text: String) throws {
    let fields = try KeyFileText.parse(text, kind: KeyFileText.privateHeader)
    do {
      self.id = fields.id
      self.signing = try SigningKey(algorithm: fields.algorithm, rawRepresentation: fields.signing)
      self.sealing = try SealingPrivateKey(suite: fields.suite, rawRepresentation: fields.sealing)
    } catch {
      throw KeyFileError.invalidKey
    }
  }
}

/// The public half of a `PrivateKeyFile`, handed to others (the `.pub` file).
public struct PublicKeyFile: Sendable {
  public let id: String
  public let signing: VerifyingKey
  public let sealing: SealingPublicKey

  public init(id: String, signing: VerifyingKey, sealing: SealingPublicKey) {
    self.id = id
    self.signing = signing
    self.sealing = sealing
  }

  public var text: String {
    KeyFileText.render(
      kind: KeyFileText.publicHeader, id: id, suite: sealing.suite,
      signing: (signing.algorithm, signing.rawRepresentation),
      sealing: sealing.rawRepresentation)
  }

  public init(text: String) throws {
    let fields = try KeyFileText.parse(text, kind: KeyFileText.publicHeader)
    do {
      self.id = fields.id
      self.signing = try VerifyingKey(
        algorithm: fields.algorithm, rawRepresentation: fields.signing)
      self.sealing = try SealingPublicKey(suite: fields.suite, rawRepresentation: fields.sealing)
    } catch {
      throw KeyFileError.invalidKey
    }
  }
}

/// Why a key file could not be used.
public enum KeyFileError: Error, Equatable, Sendable, CustomStringConvertible {
  case notAKeyFile(expected: String)
  case missingField(String)
  case unknownSuite(String)
  case unknownAlgorithm(String)
  case algorithmNotInSuite(SignatureAlgorithm, CipherSuite)
  case invalidKey

  public var description: String {
    switch self {
    case .notAKeyFile(let expected): "not a key file (its first line must be '\(expected)')"
    case .missingField(let name): "key file lacks its '\(name)' line"
    case .unknownSuite(let name): "unknown suite '\(name)' (use standard or sm)"
    case .unknownAlgorithm(let name): "unknown signature algorithm '\(name)'"
    case .algorithmNotInSuite(let algorithm, let suite):
      "\(algorithm) signatures are not part of the \(suite) suite"
    case .invalidKey: "key file holds a key that is not valid for its algorithm"
    }
  }
}

private enum KeyFileText {
  static let privateHeader = "zhaocai-private-key v1"
  static let privateHeaderPEM = "zhaocai-private-key v2"
  static let publicHeader = "zhaocai-public-key v1"

  struct Fields {
    var id: String
    var suite: CipherSuite
    var algorithm: SignatureAlgorithm
    var signing: [UInt8]
    var sealing: [UInt8]
  }

  static func render(
    kind: String, id: String, suite: CipherSuite, signing: (SignatureAlgorithm, [UInt8]),
    sealing: [UInt8]
  ) -> String {
    let sealingName = suite == .national ? "sm2" : "x25519"
    return """
      \(kind)
      id: \(id)
      suite: \(suite)
      signing: \(signing.0) \(Data(signing.1).base64EncodedString())
      sealing: \(sealingName) \(Data(sealing).base64EncodedString())

      """
  }

  static func parse(_ text: String, kind: String) throws(KeyFileError) -> Fields {
    // Split on any line break: "\r\n" is a single Character, so splitting on "\n" would miss it.
    let lines = text.split(whereSeparator: \.isNewline).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    if kind == privateHeader, lines.first == privateHeaderPEM { return try parsePEM(lines) }
    guard lines.first == kind else { throw .notAKeyFile(expected: kind) }
    var values: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      values[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    func value(_ name: String) throws(KeyFileError) -> String {
      guard let found = values[name], !found.isEmpty else { throw .missingField(name) }
      return found
    }
    func key(_ name: String) throws(KeyFileError) -> (String, [UInt8]) {
      let parts = try value(name).split(separator: " ")
      guard parts.count == 2, let bytes = Data(base64Encoded: String(parts[1])) else {
        throw .invalidKey
      }
      return (String(parts[0]), Array(bytes))
    }
    let suiteName = try value("suite")
    guard let suite = CipherSuite(name: suiteName) else { throw .unknownSuite(suiteName) }
    let (algorithmName, signing) = try key("signing")
    guard let algorithm = SignatureAlgorithm(name: algorithmName) else {
      throw .unknownAlgorithm(algorithmName)
    }
    guard algorithm.suite == suite else { throw .algorithmNotInSuite(algorithm, suite) }
    let (sealingName, sealing) = try key("sealing")
    guard sealingName == (suite == .national ? "sm2" : "x25519") else {
      throw .unknownAlgorithm(sealingName)
    }
    return Fields(
      id: try value("id"), suite: suite, algorithm: algorithm, signing: signing, sealing: sealing)
  }

  /// The PEM form: `id` and `suite` lines, then the signing and the sealing key's PKCS#8 blocks.
  static func parsePEM(_ lines: [String]) throws(KeyFileError) -> Fields {
    guard let blocks = PrivateKeyInfo.blocks(in: lines) else { throw .invalidKey }
    guard blocks.count == 2 else { throw .missingField(blocks.isEmpty ? "signing" : "sealing") }
    guard let signing = PrivateKeyInfo.parse(blocks[0]),
      let sealing = PrivateKeyInfo.parse(blocks[1])
    else { throw .invalidKey }
    let header = lines.prefix { !$0.hasPrefix("-----") }
    func value(_ name: String) throws(KeyFileError) -> String {
      let found = header.last { $0.hasPrefix(name + ":") }?.dropFirst(name.count + 1)
      guard let found, !found.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw .missingField(name)
      }
      return found.trimmingCharacters(in: .whitespaces)
    }
    let suiteName = try value("suite")
    guard let suite = CipherSuite(name: suiteName) else { throw .unknownSuite(suiteName) }
    let algorithm: SignatureAlgorithm =
      switch signing.kind {
      case .ed25519: .ed25519
      case .p256: .p256
      case .sm2: .sm2
      case .x25519: throw .unknownAlgorithm("x25519")
      }
    guard algorithm.suite == suite else { throw .algorithmNotInSuite(algorithm, suite) }
    guard sealing.kind == (suite == .national ? .sm2 : .x25519) else {
      throw .unknownAlgorithm("\(sealing.kind)")
    }
    // P-256 keys are kept as their scalar; the point in the block must be that scalar's.
    var signingRaw = signing.raw
    if signing.kind == .p256 {
      signingRaw = Array(signing.raw.prefix(32))
      guard
        let key = try? SigningKey(algorithm: .p256, rawRepresentation: signingRaw),
        key.verifyingKey.rawRepresentation == Array(signing.raw.suffix(65))
      else { throw .invalidKey }
    }
    return Fields(
      id: try value("id"), suite: suite, algorithm: algorithm, signing: signingRaw,
      sealing: sealing.raw)
  }
}

extension SigningKey {
  fileprivate var infoKind: PrivateKeyInfo.Kind {
    switch algorithm {
    case .ed25519: .ed25519
    case .p256: .p256
    case .sm2: .sm2
    }
  }

  /// The raw key as `PrivateKeyInfo` writes it: elliptic keys with their point.
  fileprivate var infoRaw: [UInt8] {
    algorithm == .p256 ? rawRepresentation + verifyingKey.rawRepresentation : rawRepresentation
  }
}

extension SealingPrivateKey {
  fileprivate var infoKind: PrivateKeyInfo.Kind { suite == .national ? .sm2 : .x25519 }
  fileprivate var infoRaw: [UInt8] { rawRepresentation }
}
