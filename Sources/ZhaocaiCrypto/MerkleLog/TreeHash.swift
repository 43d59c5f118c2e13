import Crypto
import Foundation

/// A 32-byte SHA-256 value of the log, held inline (no allocation per node).
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
  public var bytes: SIMD32<UInt8>

  public init(bytes: SIMD32<UInt8>) { self.bytes = bytes }

  public init?(_ array: [UInt8]) {
    guard array.count == 32 else { return nil }
    var value = SIMD32<UInt8>()
    for i in 0..<32 { value[i] = array[i] }
    bytes = value
  }

  public init?(base64: String) {
    guard let data = Data(base64Encoded: base64) else { return nil }
    self.init(Array(data))
  }

  public var array: [UInt8] { (0..<32).map { bytes[$0] } }
  public var base64: String { Data(array).base64EncodedString() }
  public var description: String { array.hex }

  init(_ digest: SHA256.Digest) {
    var value = SIMD32<UInt8>()
    withUnsafeMutableBytes(of: &value) { target in
      digest.withUnsafeBytes { target.copyMemory(from: $0) }
    }
    bytes = value
  }

  /// RFC 9162 leaf hash: SHA-256(0x00 ‖ entry).
  public static func leaf<D: DataProtocol>(_ entry: D) -> TreeHash {
    var hasher = SHA256()
    hasher.update(data: [0x00])
    hasher.update(data: entry)
    return TreeHash(hasher.finalize())
  }

  /// RFC 9162 interior node: SHA-256(0x01 ‖ left ‖ right).
  public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
    withUnsafeTemporaryAllocation(byteCount: 65, alignment: 1) { buffer in
      buffer[0] = 1
      withUnsafeBytes(of: left.bytes) {
        buffer.baseAddress!.advanced(by: 1).copyMemory(from: $0.baseAddress!, byteCount: 32)
      }
      withUnsafeBytes(of: right.bytes) {
        buffer.baseAddress!.advanced(by: 33).copyMemory(from: $0.baseAddress!, byteCount: 32)
      }
      var hasher = SHA256()
      hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
      return TreeHash(hasher.finalize())
    }
  }

  /// The root of the empty tree: SHA-256 of nothing.
  public static let empty = TreeHash(SHA256.hash(data: [UInt8]()))
}
