import Crypto
import Foundation

/// A log's state as the C2SP tlog-checkpoint format writes it: origin, size, root, then
/// optional extension lines (we add the time the checkpoint was made).
public struct Checkpoint: Sendable, Equatable {
  public var origin: String
  public var size: UInt64
  public var root: TreeHash
  public var extensions: [String]

  public init(origin: String, size: UInt64, root: TreeHash, extensions: [String] = []) {
    self.origin = origin
    self.size = size
    self.root = root
    self.extensions = extensions
  }

  /// The note body: every line ends with a newline.
  public var body: String {
    ([origin, String(size), root.base64] + extensions).map { $0 + "\n" }.joined()
  }

  public init(body: String) throws(CheckpointError) {
    guard body.hasSuffix("\n") else { throw .malformed("the body must end with a newline") }
    let lines = body.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(
      String.init)
    guard lines.count >= 3, !lines[0].isEmpty, !lines.dropFirst(3).contains(where: \.isEmpty) else {
      throw .malformed("a checkpoint has an origin, a size and a root line")
    }
    guard let size = UInt64(lines[1]), String(size) == lines[1] else {
      throw .malformed("size '\(lines[1])' is not a decimal number")
    }
    guard let root = TreeHash(base64: lines[2]) else {
      throw .malformed("root is not 32 bytes of base64")
    }
    self.init(origin: lines[0], size: size, root: root, extensions: Array(lines.dropFirst(3)))
  }
}

/// Why a checkpoint or signed note was refused.
public enum CheckpointError: Error, Equatable, Sendable {
  case malformed(String)
  case noSignatureByKey(String)
  case signatureInvalid
  case invalidKeyName
}

/// A C2SP signed-note key: its name and Ed25519 key (signature type 0x01).
public struct NoteSigner: Sendable {
  public let name: String
  public let key: Curve25519.Signing.PrivateKey

  public init(name: String, key: Curve25519.Signing.PrivateKey) throws(CheckpointError) {
    guard NoteVerifier.isValidName(name) else { throw .invalidKeyName }
    self.name = name
    self.key = key
  }

  public var verifier: NoteVerifier {
    NoteVerifier(name: name, publicKey: key.publicKey)
  }

  /// The signed note: body, a blank line, then `— name base64(key hash ‖ signature)`.
  public func sign(_ checkpoint: Checkpoint) throws -> String {
    let body = checkpoint.body
    let signature = try key.signature(for: Array(body.utf8))
    let blob = Data(verifier.keyHash + Array(signature)).base64EncodedString()
    return body + "\n" + "\u{2014} \(name) \(blob)\n"
  }
}

/// The public side of a `NoteSigner`, written as `name+hex(key hash)+base64(0x01 ‖ key)`.
public struct NoteVerifier: Sendable {
  public let name: String
  public let publicKey: Curve25519.Signing.PublicKey

  public init(name: String, publicKey: Curve25519.Signing.PublicKey) {
    self.name = name
    self.publicKey = publicKey
  }

  public init(verifierKey: String) throws(CheckpointError) {
    let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, Self.isValidName(String(parts[0])),
      let encoded = Data(base64Encoded: String(parts[2])), encoded.first == 0x01,
      let key = try? Curve25519.Signing.PublicKey(rawRepresentation: encoded.dropFirst())
    else { throw .malformed("not a verifier key") }
    self.init(name: String(parts[0]), publicKey: key)
    guard keyHash.hex == parts[1] else { throw .malformed("verifier key hash does not match") }
  }

  /// The first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ key).
  public var keyHash: [UInt8] {
    let input = Array(name.utf8) + [0x0a, 0x01] + Array(publicKey.rawRepresentation)
    return Array(SHA256.hash(data: input).prefix(4))
  }

  public var verifierKey: String {
    "\(name)+\(keyHash.hex)+\(Data([0x01] + Array(publicKey.rawRepresentation)).base64EncodedString())"
  }

  /// Parses a signed note and returns its checkpoint if this key signed it.
  public func open(_ note: String) throws(CheckpointError) -> Checkpoint {
    guard let split = note.range(of: "\n\n", options: .backwards) else {
      throw .malformed("a signed note has a blank line before its signatures")
    }
    let body = String(note[..<split.lowerBound]) + "\n"
    let signatureLines = note[split.upperBound...].split(separator: "\n")
    guard !signatureLines.isEmpty, note.hasSuffix("\n") else {
      throw .malformed("a signed note ends with signature lines")
    }
    for line in signatureLines {
      let fields = line.split(separator: " ")
      guard fields.count == 3, fields[0] == "\u{2014}" else {
        throw .malformed("signature line '\(line)' is not '— name signature'")
      }
      guard fields[1] == name, let blob = Data(base64Encoded: String(fields[2])), blob.count > 4,
        Array(blob.prefix(4)) == keyHash
      else { continue }
      guard publicKey.isValidSignature(blob.dropFirst(4), for: Array(body.utf8)) else {
        throw .signatureInvalid
      }
      return try Checkpoint(body: body)
    }
    throw .noSignatureByKey(name)
  }

  static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && !name.contains(where: { $0 == "+" || $0.isWhitespace })
  }
}
