import Foundation

/// A party's private keys as written by `zhaocai keys generate`: one to sign, one to open shares.
///
/// The text form (docs/ENVELOPE.md, "Key files") is line-based so that any tool can read it.
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

  public var text: String {
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
}
