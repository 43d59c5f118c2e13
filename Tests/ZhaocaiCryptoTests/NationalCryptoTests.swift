import Testing

@testable import ZhaocaiCrypto

@Suite struct NationalCryptoTests {
  @Test func sm3KnownAnswerOfGBT32905() {
    #expect(
      SM3.hash(Array("abc".utf8)).hex
        == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    // The standard's second example: "abcd" repeated 16 times.
    #expect(
      SM3.hash(Array(String(repeating: "abcd", count: 16).utf8)).hex
        == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
  }

  @Test func sm3StreamsLikeItHashesWhole() {
    let data = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    var hasher = StreamingHash(.sm3)
    for chunk in stride(from: 0, to: data.count, by: 777) {
      hasher.update(Array(data[chunk..<min(chunk + 777, data.count)]))
    }
    #expect(hasher.finalize() == SM3.hash(data))
  }

  @Test func sm4KnownAnswerOfGBT32907() throws {
    let key = [UInt8](hex: "0123456789abcdeffedcba9876543210")!
    #expect(try SM4.encryptBlock(key: key, key).hex == "681edf34d206965e86b3e94f536e4246")
  }

  @Test func sm2SignaturesVerifyAndRejectTampering() throws {
    let key = try SM2.PrivateKey()
    let message = Array("投标文件哈希".utf8)
    let signature = try key.signature(for: message)
    #expect(key.publicKey.isValidSignature(signature, for: message))
    #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
    var flipped = signature
    flipped[flipped.count / 2] ^= 0x01
    #expect(!key.publicKey.isValidSignature(flipped, for: message))
    #expect(!(try SM2.PrivateKey()).publicKey.isValidSignature(signature, for: message))
  }

  @Test func sm2KeysSurviveTheirRawForm() throws {
    let key = try SM2.PrivateKey()
    let again = try SM2.PrivateKey(rawRepresentation: key.rawRepresentation)
    let message: [UInt8] = [1, 2, 3]
    #expect(key.publicKey.isValidSignature(try again.signature(for: message), for: message))
    // A scalar paired with someone else's point is refused.
    let other = try SM2.PrivateKey()
    #expect(throws: NationalCryptoError.self) {
      try SM2.PrivateKey(rawRepresentation: key.scalar + other.publicKey.rawRepresentation)
    }
  }

  @Test func sm2EncryptionRoundTripsAndRejectsTampering() throws {
    let key = try SM2.PrivateKey()
    let plaintext = (0..<64).map { UInt8($0) }
    let ciphertext = try key.publicKey.encrypt(plaintext)
    #expect(try key.decrypt(ciphertext) == plaintext)
    #expect(throws: NationalCryptoError.self) { try (try SM2.PrivateKey()).decrypt(ciphertext) }
    // Any flipped bit in C1, C3 or C2 must be caught (C3 is the SM3 check of the plaintext).
    for index in stride(from: 0, to: ciphertext.count, by: 3) {
      var tampered = ciphertext
      tampered[index] ^= 0x10
      let result = try? key.decrypt(tampered)
      #expect(result != plaintext, "flip at byte \(index) went unnoticed")
    }
  }

  @Test func invalidSM2PointIsRefused() {
    #expect(throws: NationalCryptoError.self) {
      try SM2.PublicKey(rawRepresentation: [0x04] + [UInt8](repeating: 1, count: 64))
    }
  }
}
