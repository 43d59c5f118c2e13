import Crypto
import Foundation

/// One message between platforms (docs/EXCHANGE.md): who sent it, its place in the sender's
/// sequence, what kind of fact it carries, and the fact itself as JSON.
public struct ExchangeMessage: Codable, Sendable, Equatable {
  public static let currentVersion = 1

  public var version: Int
  /// The sending platform's id at the hub.
  public var sender: String
  /// Whom it is for: the hub (`ExchangeMessage.hub`), a platform's id, or `anyone` for what any
  /// platform may read (a registry snapshot). Signed with the rest, so a message sent to one
  /// receiver cannot be replayed to another: the hub's copy of a log entry (public facts only)
  /// is refused by the supervision platform, whose copy of the same sequence tells more.
  public var recipient: String
  /// 1, 2, 3 … per sender, without gaps: receivers apply each sender's messages in this order.
  public var sequence: UInt64
  /// What the payload is, e.g. `section.event`, `checkpoint`.
  public var kind: String
  public var sentAt: Int64
  /// The fact, as a JSON text (kept verbatim).
  public var payload: String

  /// The recipient that names the public service hub (one per market).
  public static let hub = "hub"
  /// The recipient of what every platform may read and none may be sent.
  public static let anyone = "*"

  public init(
    sender: String, recipient: String, sequence: UInt64, kind: String, sentAt: Int64,
    payload: String
  ) {
    version = Self.currentVersion
    self.sender = sender
    self.recipient = recipient
    self.sequence = sequence
    self.kind = kind
    self.sentAt = sentAt
    self.payload = payload
  }
}

/// A message as it travels: the exact bytes of the message's JSON and the sender's Ed25519
/// signature over a domain-separated form of them. Carrying the bytes, not a re-encoding, means
/// no two implementations need agree on a canonical JSON.
public struct SignedMessage: Codable, Sendable, Equatable {
  /// Base64 of the message's JSON bytes.
  public var message: String
  /// Base64 of the Ed25519 signature over `"zhaocai-exchange v1\n" ‖ bytes`.
  public var signature: String

  static let context = Array("zhaocai-exchange v1\n".utf8)

  public init(message: String, signature: String) {
    self.message = message
    self.signature = signature
  }

  /// How a message is encoded for signing: keys sorted, slashes not escaped.
  public static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// Encodes (keys sorted) and signs a message.
  public static func sign(_ message: ExchangeMessage, with key: Curve25519.Signing.PrivateKey)
    throws -> SignedMessage
  {
    let bytes = try encoder.encode(message)
    let signature = try key.signature(for: context + Array(bytes))
    return SignedMessage(
      message: bytes.base64EncodedString(), signature: Data(signature).base64EncodedString())
  }

  /// The message, if `key` signed exactly these bytes, they are a message of this version and
  /// they are addressed to `recipient`.
  public func verified(with key: Curve25519.Signing.PublicKey, for recipient: String)
    throws(ExchangeError) -> ExchangeMessage
  {
    try verifiedBytes(with: key, for: recipient).message
  }

  /// The same, with the exact bytes the sender signed (what a receiver logs as evidence).
  public func verifiedBytes(with key: Curve25519.Signing.PublicKey, for recipient: String)
    throws(ExchangeError) -> (message: ExchangeMessage, bytes: Data)
  {
    guard let bytes = Data(base64Encoded: message), let signature = Data(base64Encoded: signature)
    else { throw .malformed("the message or its signature is not base64") }
    guard key.isValidSignature(signature, for: Self.context + Array(bytes)) else {
      throw .badSignature
    }
    let decoded: ExchangeMessage
    do {
      decoded = try JSONDecoder().decode(ExchangeMessage.self, from: bytes)
    } catch {
      throw .malformed("the signed bytes are not a message")
    }
    guard decoded.version == ExchangeMessage.currentVersion else {
      throw .malformed("message version \(decoded.version)")
    }
    // Stores keep sequences as BIGINT: one past Int64.max would trap on the way in.
    guard decoded.sequence > 0, decoded.sequence <= UInt64(Int64.max) else {
      throw .malformed("sequences run from 1 to 2^63 - 1")
    }
    guard decoded.recipient == recipient else { throw .misaddressed(decoded.recipient) }
    return (decoded, bytes)
  }

  /// The sender the message claims, read before verification to find its key. Only a claim:
  /// verification decodes the message and refuses one whose sender is not the key's platform,
  /// so the common case may read the `"sender":"…"` member straight from the bytes (inside a
  /// JSON string those quotes would be escaped, so the pattern only matches a member).
  public func claimedSender() throws(ExchangeError) -> String {
    guard let bytes = Data(base64Encoded: message) else { throw .malformed("no sender") }
    let found = bytes.withUnsafeBytes { raw -> String? in
      let key = Array(#""sender":""#.utf8)
      guard raw.count > key.count else { return nil }
      var at = 0
      var start: Int?
      // A plain loop: the generic `firstRange(of:)` cost more than decoding the JSON.
      while at <= raw.count - key.count {
        if raw[at] == key[0], raw[at + 1] == key[1], raw[at + 7] == key[7] {
          var matches = true
          for offset in 2..<key.count where raw[at + offset] != key[offset] {
            matches = false
            break
          }
          if matches {
            start = at + key.count
            break
          }
        }
        at += 1
      }
      guard let start else { return nil }
      var end = start
      while end < raw.count, raw[end] != UInt8(ascii: "\""), raw[end] != UInt8(ascii: "\\") {
        end += 1
      }
      guard end < raw.count, raw[end] == UInt8(ascii: "\""), end > start else { return nil }
      return String(decoding: raw[start..<end], as: UTF8.self)
    }
    if let found { return found }
    struct Claim: Decodable { let sender: String }
    guard let claim = try? JSONDecoder().decode(Claim.self, from: bytes) else {
      throw .malformed("no sender")
    }
    return claim.sender
  }
}

/// Why a message was refused.
public enum ExchangeError: Error, Equatable, Sendable, CustomStringConvertible {
  case malformed(String)
  case badSignature
  case unknownSender(String)
  case senderNotApproved(String)
  /// Addressed to another receiver (the recipient it names).
  case misaddressed(String)
  /// Another message already holds this sender's sequence number here.
  case conflicting(UInt64)

  /// The stable code an API answers with.
  public var code: String {
    switch self {
    case .malformed: "MESSAGE_MALFORMED"
    case .badSignature: "MESSAGE_BAD_SIGNATURE"
    case .unknownSender: "PLATFORM_UNKNOWN"
    case .senderNotApproved: "PLATFORM_NOT_APPROVED"
    case .misaddressed: "MESSAGE_MISADDRESSED"
    case .conflicting: "MESSAGE_CONFLICTING"
    }
  }

  public var description: String {
    switch self {
    case .malformed(let why): "malformed message: \(why)"
    case .badSignature: "the signature does not verify with the sender's registered key"
    case .unknownSender(let id): "no platform \(id) is registered"
    case .senderNotApproved(let id): "platform \(id) is not approved"
    case .misaddressed(let recipient):
      "the message is addressed to \(recipient), not to this receiver"
    case .conflicting(let sequence):
      "another message of this sender already holds sequence \(sequence) here"
    }
  }

  /// The reason in Chinese, for the problem answers of every platform.
  public var chinese: String {
    switch self {
    case .malformed: "消息格式错误"
    case .badSignature: "消息签名无法用发送方登记的公钥验证"
    case .unknownSender(let id): "发送方平台 \(id) 未登记"
    case .senderNotApproved(let id): "发送方平台 \(id) 未获批准"
    case .misaddressed(let recipient): "该消息发给 \(recipient)，不是本平台"
    case .conflicting(let sequence): "该发送方序号 \(sequence) 已有另一条消息"
    }
  }
}
