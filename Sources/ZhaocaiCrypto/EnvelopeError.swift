import Foundation

/// Every way an envelope can be refused, each its own case so callers and tests can tell them apart.
public enum EnvelopeError: Error, Equatable, Sendable {
  case notAnEnvelope
  case unsupportedVersion(UInt8)
  case unsupportedSuite(UInt8)
  case malformedHeader(String)
  case wrongSection(expected: String, found: String)
  case wrongOpeningTime(expected: Int64, found: Int64)
  case signerMismatch
  case suiteMismatch(envelope: CipherSuite, key: CipherSuite)
  case invalidParameters(String)
  /// The envelope ends before its last segment or its signature.
  case truncated
  case malformedSegment(index: Int, reason: String)
  /// Segments are all there but out of order (or one is repeated).
  case segmentsReordered(position: Int, found: Int)
  /// A segment is missing from the middle: `missing` is the first absent counter.
  case segmentDropped(missing: Int)
  case segmentAfterLast(index: Int)
  case trailingData
  /// The segment at `index` does not decrypt and authenticate under the envelope's key.
  case segmentAuthenticationFailed(index: Int)
  case signatureInvalid
  case notAHolder
  case fewerThanThreshold(have: Int, need: Int)
  case shareDecryptionFailed(x: Int)
  /// A released share is not the one committed to in the header for its point.
  case shareCommitmentMismatch(x: Int)
  case keyCommitmentMismatch
  case io(String)
}

extension EnvelopeError: CustomStringConvertible {
  public var description: String { english }

  /// One line a bidder or operator can act on.
  public var english: String {
    switch self {
    case .notAnEnvelope: "not a sealed envelope (no ZCSEAL magic)"
    case .unsupportedVersion(let v): "envelope format version \(v) is not supported (only 1)"
    case .unsupportedSuite(let s): "cipher suite \(s) is not supported (1 standard, 2 sm)"
    case .malformedHeader(let why): "envelope header is malformed: \(why)"
    case .wrongSection(let expected, let found):
      "envelope is for section '\(found)', not '\(expected)'"
    case .wrongOpeningTime(let expected, let found):
      "envelope is sealed for opening at \(Self.iso(found)), not \(Self.iso(expected))"
    case .signerMismatch: "envelope was signed by a different key than the expected bidder's"
    case .suiteMismatch(let envelope, let key):
      "envelope uses the \(envelope) suite but the key is for the \(key) suite"
    case .invalidParameters(let why): "cannot seal: \(why)"
    case .truncated: "envelope is truncated: it ends before its last segment and signature"
    case .malformedSegment(let index, let reason): "segment \(index) is malformed: \(reason)"
    case .segmentsReordered(let position, let found):
      "segments are reordered: segment \(found) stands at position \(position)"
    case .segmentDropped(let missing): "segment \(missing) has been removed from the envelope"
    case .segmentAfterLast(let index): "a segment (\(index)) follows the last segment"
    case .trailingData: "bytes follow the envelope's signature"
    case .segmentAuthenticationFailed(let index):
      "segment \(index) fails authentication: the envelope was altered or the key is wrong"
    case .signatureInvalid: "the bidder's signature over the envelope hash is invalid"
    case .notAHolder: "this key is not one of the envelope's key holders"
    case .fewerThanThreshold(let have, let need):
      "\(have) holder share(s) given, \(need) needed to open"
    case .shareDecryptionFailed(let x): "share \(x) cannot be decrypted with the holder's key"
    case .shareCommitmentMismatch(let x): "share \(x) is not the share the bidder sealed"
    case .keyCommitmentMismatch: "the rebuilt bid key does not match the envelope's commitment"
    case .io(let why): "cannot read or write: \(why)"
    }
  }

  /// The same, in Simplified Chinese.
  public var chinese: String {
    switch self {
    case .notAnEnvelope: "不是加密投标文件（缺少 ZCSEAL 标识）"
    case .unsupportedVersion(let v): "不支持的信封格式版本 \(v)（仅支持 1）"
    case .unsupportedSuite(let s): "不支持的密码套件 \(s)"
    case .malformedHeader(let why): "信封头格式错误：\(why)"
    case .wrongSection(let expected, let found): "该投标文件属于标段「\(found)」，而非「\(expected)」"
    case .wrongOpeningTime: "该投标文件的开标时间与本标段不符"
    case .signerMismatch: "投标文件签名人与投标人密钥不符"
    case .suiteMismatch: "密钥与信封的密码套件不符"
    case .invalidParameters(let why): "无法加密：\(why)"
    case .truncated: "投标文件不完整（被截断）"
    case .malformedSegment(let index, _): "第 \(index) 段格式错误"
    case .segmentsReordered: "投标文件分段顺序被打乱"
    case .segmentDropped(let missing): "投标文件缺少第 \(missing) 段"
    case .segmentAfterLast: "最后一段之后还有分段"
    case .trailingData: "签名之后有多余数据"
    case .segmentAuthenticationFailed(let index): "第 \(index) 段解密校验失败：文件被篡改或密钥错误"
    case .signatureInvalid: "投标人签名无效"
    case .notAHolder: "该密钥不是本投标文件的解密密钥持有人"
    case .fewerThanThreshold(let have, let need): "仅提供 \(have) 份密钥分片，至少需要 \(need) 份"
    case .shareDecryptionFailed(let x): "第 \(x) 份密钥分片无法解密"
    case .shareCommitmentMismatch(let x): "第 \(x) 份密钥分片与投标人承诺不符"
    case .keyCommitmentMismatch: "重建的投标密钥与承诺不符"
    case .io(let why): "读写失败：\(why)"
    }
  }

  private static func iso(_ seconds: Int64) -> String {
    let date = Date(timeIntervalSince1970: TimeInterval(seconds))
    return date.formatted(.iso8601)
  }
}
