import Crypto
import Foundation

/// Bearer tokens, sign-in nonces and one-time passwords, made and compared one way on every
/// platform: 256 random bits from the system's generator, base64url without padding; only a
/// token's SHA-256 is ever stored, so a database leak gives no live session.
public enum Secrets {
  /// `bytes` random bytes as base64url (no padding).
  public static func random(bytes: Int = 32) -> String {
    var generator = SystemRandomNumberGenerator()
    let raw = (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return Data(raw).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  /// The SHA-256 of a token, hex, as sessions keep it.
  public static func digest(_ token: String) -> String {
    SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  /// Whether two byte strings are equal, in a time that does not depend on where they differ.
  public static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count, !b.isEmpty else { return false }
    return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
  }
}

/// An administrator's bearer token (hub, supervision, sandbox), kept only as its SHA-256; nil
/// for an empty token, so an empty bearer never passes.
public struct AdministratorToken: Sendable {
  private let digest: [UInt8]

  public init?(_ token: String?) {
    guard let token, !token.isEmpty else { return nil }
    digest = Array(SHA256.hash(data: Data(token.utf8)))
  }

  /// Whether `presented` is the token (digests compared in constant time).
  public func accepts(_ presented: String) -> Bool {
    Secrets.same(Array(SHA256.hash(data: Data(presented.utf8))), digest)
  }

  /// Whether an `Authorization` header carries the token as `Bearer …`.
  public func accepts(authorization header: String) -> Bool {
    header.hasPrefix("Bearer ") && accepts(String(header.dropFirst(7)))
  }
}
