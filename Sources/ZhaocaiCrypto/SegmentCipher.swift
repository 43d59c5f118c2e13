import Crypto
import Foundation

/// Encrypts and authenticates one segment of a bid under the bid key.
///
/// The segment counter and the last-segment flag are in the nonce (standard) or the counter block
/// and MAC input (national), so segments cannot be reordered, dropped or cut off unnoticed.
struct SegmentCipher {
  private enum Keys {
    case aesGCM(SymmetricKey)
    case sm4HMAC(encryption: [UInt8], mac: [UInt8])
  }

  private let keys: Keys
  private let associatedData: [UInt8]
  let tagSize: Int

  init(suite: CipherSuite, contentKey: [UInt8], associatedData: [UInt8]) {
    self.associatedData = associatedData
    self.tagSize = suite.tagSize
    switch suite {
    case .standard:
      keys = .aesGCM(SymmetricKey(data: contentKey))
    case .national:
      let encryption = SM3.hmac(key: contentKey, Array(EnvelopeFormat.sm4KeyLabel.utf8))
      let mac = SM3.hmac(key: contentKey, Array(EnvelopeFormat.sm3MacKeyLabel.utf8))
      keys = .sm4HMAC(encryption: Array(encryption.prefix(SM4.keySize)), mac: mac)
    }
  }

  /// 12-byte GCM nonce: seven zero bytes, the counter (big-endian u32), the flag.
  static func nonce(counter: UInt32, last: Bool) -> [UInt8] {
    var writer = ByteWriter()
    writer.raw([UInt8](repeating: 0, count: 7))
    writer.u32(counter)
    writer.u8(last ? 1 : 0)
    return writer.bytes
  }

  /// 16-byte SM4-CTR initial block: counter, flag, then zeros (the low 32 bits count blocks).
  static func counterBlock(counter: UInt32, last: Bool) -> [UInt8] {
    var writer = ByteWriter()
    writer.u32(counter)
    writer.u8(last ? 1 : 0)
    writer.raw([UInt8](repeating: 0, count: 11))
    return writer.bytes
  }

  /// Ciphertext followed by its tag.
  func seal(counter: UInt32, last: Bool, plaintext: UnsafeRawBufferPointer) throws -> [UInt8] {
    switch keys {
    case .aesGCM(let key):
      let nonce = try AES.GCM.Nonce(data: Self.nonce(counter: counter, last: last))
      let box = try AES.GCM.seal(
        plaintext, using: key, nonce: nonce, authenticating: associatedData)
      var out = [UInt8](box.ciphertext)
      out.append(contentsOf: box.tag)
      return out
    case .sm4HMAC(let encryption, let mac):
      var out = [UInt8](repeating: 0, count: plaintext.count)
      try out.withUnsafeMutableBytes { output in
        try SM4.ctr(
          key: encryption, iv: Self.counterBlock(counter: counter, last: last), input: plaintext,
          output: output)
      }
      out.append(contentsOf: macTag(key: mac, counter: counter, last: last, ciphertext: out))
      return out
    }
  }

  /// The plaintext of a segment, or nil if it does not authenticate.
  func open(
    counter: UInt32, last: Bool, ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer
  ) -> Data? {
    switch keys {
    case .aesGCM(let key):
      guard let nonce = try? AES.GCM.Nonce(data: Self.nonce(counter: counter, last: last)),
        let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
      else { return nil }
      return try? AES.GCM.open(box, using: key, authenticating: associatedData)
    case .sm4HMAC(let encryption, let mac):
      let expected = macTag(key: mac, counter: counter, last: last, ciphertext: Array(ciphertext))
      guard constantTimeEqual(expected, Array(tag)) else { return nil }
      var plaintext = Data(count: ciphertext.count)
      let ok = plaintext.withUnsafeMutableBytes { output in
        (try? SM4.ctr(
          key: encryption, iv: Self.counterBlock(counter: counter, last: last), input: ciphertext,
          output: output)) != nil
      }
      return ok ? plaintext : nil
    }
  }

  /// HMAC-SM3 over associated data ‖ counter ‖ flag ‖ length ‖ ciphertext (encrypt-then-MAC).
  private func macTag(key: [UInt8], counter: UInt32, last: Bool, ciphertext: [UInt8]) -> [UInt8] {
    var input = ByteWriter()
    input.raw(associatedData)
    input.u32(counter)
    input.u8(last ? 1 : 0)
    input.u32(UInt32(ciphertext.count))
    input.raw(ciphertext)
    return SM3.hmac(key: key, input.bytes)
  }
}
