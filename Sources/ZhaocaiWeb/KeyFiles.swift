import Crypto
import Foundation

/// A platform's secrets kept as files in its data directory (mode 600): read if present, made on
/// the first start, so signatures stay verifiable and tokens valid across restarts.
public enum KeyFiles {
  /// A key file that exists but cannot be used.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let why: String
    public var description: String { "\(path): \(why)" }
  }

  /// The one-line secret at `path` (a random 256-bit base64url token if it is made here).
  public static func secret(at path: String, make: () -> String = { Secrets.random() }) throws
    -> String
  {
    if let data = FileManager.default.contents(atPath: path) {
      guard data.count <= 4096 else { throw Failure(path: path, why: "larger than a key file") }
      let text = String(decoding: data, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      guard !text.isEmpty else { throw Failure(path: path, why: "empty") }
      return text
    }
    let value = make()
    try write(Data((value + "\n").utf8), to: path)
    return value
  }

  /// The Ed25519 signing key at `path` (raw 32 bytes, base64).
  public static func signingKey(at path: String) throws -> Curve25519.Signing.PrivateKey {
    let text = try secret(at: path) {
      Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
    }
    guard let raw = Data(base64Encoded: text), raw.count == 32,
      let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    else { throw Failure(path: path, why: "not a base64 Ed25519 private key") }
    return key
  }

  /// Writes `data` readable by its owner only, making the directory if needed.
  public static func write(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    guard
      FileManager.default.createFile(
        atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
    else { throw Failure(path: path, why: "cannot be written") }
  }
}
