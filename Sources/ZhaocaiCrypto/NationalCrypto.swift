import COpenSSL

/// A failure inside the system OpenSSL while using a national algorithm.
public struct NationalCryptoError: Error, Equatable, Sendable {
  public let operation: String
}

/// SM3 (GB/T 32905), the national hash, from the system OpenSSL.
public enum SM3 {
  public static let digestSize = 32

  public static func hash(_ data: [UInt8]) -> [UInt8] {
    var hasher = StreamingHash(.sm3)
    data.withUnsafeBytes { hasher.update($0) }
    return hasher.finalize()
  }

  /// HMAC-SM3 (the MAC of the national suite's encrypt-then-MAC segments).
  public static func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: digestSize)
    let ok = key.withUnsafeBufferPointer { k in
      data.withUnsafeBufferPointer { d in
        out.withUnsafeMutableBufferPointer { o in
          zc_hmac(zc_sm3(), k.baseAddress, k.count, d.baseAddress, d.count, o.baseAddress)
        }
      }
    }
    precondition(ok == 1, "HMAC-SM3 failed in libcrypto")
    return out
  }
}

/// SM4 (GB/T 32907), the national block cipher, from the system OpenSSL.
public enum SM4 {
  public static let keySize = 16

  /// One block in ECB mode: only for the standard's known-answer test.
  public static func encryptBlock(key: [UInt8], _ block: [UInt8]) throws -> [UInt8] {
    guard key.count == 16, block.count == 16 else {
      throw NationalCryptoError(operation: "sm4-block")
    }
    var out = [UInt8](repeating: 0, count: 16)
    let ok = zc_sm4_encrypt_block(key, block, &out)
    guard ok == 1 else { throw NationalCryptoError(operation: "sm4-block") }
    return out
  }

  /// Counter mode over `input` into `output` (same length); encrypting and decrypting are one.
  static func ctr(
    key: [UInt8], iv: [UInt8], input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer
  ) throws {
    precondition(output.count >= input.count)
    if input.isEmpty { return }
    let ok = zc_sm4_ctr(
      key, iv, input.baseAddress!.assumingMemoryBound(to: UInt8.self), input.count,
      output.baseAddress!.assumingMemoryBound(to: UInt8.self))
    guard ok == 1 else { throw NationalCryptoError(operation: "sm4-ctr") }
  }
}

/// SM2 (GB/T 32918) signatures and public-key encryption, from the system OpenSSL.
///
/// Keys are kept as bytes (so they are plain `Sendable` values) and turned into OpenSSL keys
/// for each operation.
public enum SM2 {
  /// The distinguishing identifier used for every signature: the standard's default.
  public static let defaultID = "1234567812345678"

  /// An SM2 public key: the uncompressed point 04 ‖ x ‖ y.
  public struct PublicKey: Sendable, Hashable {
    public let rawRepresentation: [UInt8]

    public init(rawRepresentation: [UInt8]) throws {
      guard rawRepresentation.count == 65, let key = zc_sm2_public_from_bytes(rawRepresentation, 65)
      else { throw NationalCryptoError(operation: "sm2-public-key") }
      EVP_PKEY_free(key)
      self.rawRepresentation = rawRepresentation
    }

    /// Checks an SM2-with-SM3 signature (DER) made with the default distinguishing ID.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
      guard let key = zc_sm2_public_from_bytes(rawRepresentation, 65) else { return false }
      defer { EVP_PKEY_free(key) }
      return zc_sm2_verify(key, message, message.count, signature, signature.count) == 1
    }

    /// Encrypts `plaintext` to this key (C1C3C2, DER-encoded as OpenSSL writes it).
    public func encrypt(_ plaintext: [UInt8]) throws -> [UInt8] {
      guard let key = zc_sm2_public_from_bytes(rawRepresentation, 65) else {
        throw NationalCryptoError(operation: "sm2-encrypt")
      }
      defer { EVP_PKEY_free(key) }
      var out = [UInt8](repeating: 0, count: plaintext.count + 160)
      let length = zc_sm2_crypt(key, 1, plaintext, plaintext.count, &out, out.count)
      guard length > 0 else { throw NationalCryptoError(operation: "sm2-encrypt") }
      return Array(out.prefix(length))
    }
  }

  /// An SM2 private key: the scalar d and its public point.
  public struct PrivateKey: Sendable {
    public let scalar: [UInt8]
    public let publicKey: PublicKey

    /// A fresh key pair from OpenSSL's generator.
    public init() throws {
      guard let key = zc_sm2_generate() else {
        throw NationalCryptoError(operation: "sm2-generate")
      }
      defer { EVP_PKEY_free(key) }
      var d = [UInt8](repeating: 0, count: 32)
      var point = [UInt8](repeating: 0, count: 65)
      guard zc_sm2_private_bytes(key, &d) == 1, zc_sm2_public_bytes(key, &point) == 1 else {
        throw NationalCryptoError(operation: "sm2-generate")
      }
      self.scalar = d
      self.publicKey = try PublicKey(rawRepresentation: point)
    }

    /// A key from its 32-byte scalar followed by its 65-byte public point.
    public init(rawRepresentation: [UInt8]) throws {
      guard rawRepresentation.count == 97 else {
        throw NationalCryptoError(operation: "sm2-private-key")
      }
      let scalar = Array(rawRepresentation.prefix(32))
      let publicKey = try PublicKey(rawRepresentation: Array(rawRepresentation.suffix(65)))
      guard let key = zc_sm2_private_from_bytes(scalar, publicKey.rawRepresentation) else {
        throw NationalCryptoError(operation: "sm2-private-key")
      }
      defer { EVP_PKEY_free(key) }
      // The point must belong to the scalar, or signatures would verify under another key.
      var derived = [UInt8](repeating: 0, count: 65)
      let probe = try Self.sign([0x7a, 0x63], with: key)
      guard zc_sm2_public_bytes(key, &derived) == 1,
        publicKey.isValidSignature(probe, for: [0x7a, 0x63])
      else { throw NationalCryptoError(operation: "sm2-private-key") }
      self.scalar = scalar
      self.publicKey = publicKey
    }

    public var rawRepresentation: [UInt8] { scalar + publicKey.rawRepresentation }

    /// An SM2-with-SM3 signature (DER) with the default distinguishing ID.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
      guard let key = zc_sm2_private_from_bytes(scalar, publicKey.rawRepresentation) else {
        throw NationalCryptoError(operation: "sm2-sign")
      }
      defer { EVP_PKEY_free(key) }
      return try Self.sign(message, with: key)
    }

    /// Decrypts what `PublicKey.encrypt` made; fails on any altered byte (C3 is checked).
    public func decrypt(_ ciphertext: [UInt8]) throws -> [UInt8] {
      guard let key = zc_sm2_private_from_bytes(scalar, publicKey.rawRepresentation) else {
        throw NationalCryptoError(operation: "sm2-decrypt")
      }
      defer { EVP_PKEY_free(key) }
      var out = [UInt8](repeating: 0, count: max(ciphertext.count, 1))
      let length = zc_sm2_crypt(key, 0, ciphertext, ciphertext.count, &out, out.count)
      guard length >= 0 else { throw NationalCryptoError(operation: "sm2-decrypt") }
      return Array(out.prefix(length))
    }

    private static func sign(_ message: [UInt8], with key: OpaquePointer) throws -> [UInt8] {
      var out = [UInt8](repeating: 0, count: 80)
      let length = zc_sm2_sign(key, message, message.count, &out, out.count)
      guard length > 0 else { throw NationalCryptoError(operation: "sm2-sign") }
      return Array(out.prefix(length))
    }
  }
}
