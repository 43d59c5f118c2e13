import Crypto
import Foundation

/// Seals each share of a bid key to one holder, bound to section, bidder, opening time and the
/// bid's key commitment (the `info`), and opens it.
enum ShareSealing {
  /// HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM (RFC 9180).
  static let hpkeSuite = HPKE.Ciphersuite(
    kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_256)

  /// The additional data of a share: which holder and which point.
  static func shareAAD(keyID: [UInt8], x: UInt8) -> [UInt8] { keyID + [x] }

  /// Returns the encapsulated key (empty for SM2) and the sealed share.
  static func seal(
    share: [UInt8], x: UInt8, to holder: SealingPublicKey, info: [UInt8]
  ) throws -> (encapsulatedKey: [UInt8], sealedShare: [UInt8]) {
    let aad = shareAAD(keyID: holder.keyID, x: x)
    switch holder {
    case .x25519(let key):
      var sender = try HPKE.Sender(recipientKey: key, ciphersuite: hpkeSuite, info: Data(info))
      let sealed = try sender.seal(share, authenticating: aad)
      return (Array(sender.encapsulatedKey), Array(sealed))
    case .sm2(let key):
      // SM2 encryption has no info or AAD, so their SM3 hash travels inside the plaintext.
      let binding = SM3.hash(info + aad)
      return ([], try key.encrypt(binding + share))
    }
  }

  /// The share sealed in `holder`, or nil if `key` cannot open it for this bid.
  static func open(
    _ holder: EnvelopeHeader.Holder, with key: SealingPrivateKey, info: [UInt8]
  ) -> [UInt8]? {
    let aad = shareAAD(keyID: holder.keyID, x: holder.x)
    switch key {
    case .x25519(let privateKey):
      guard
        var recipient = try? HPKE.Recipient(
          privateKey: privateKey, ciphersuite: hpkeSuite, info: Data(info),
          encapsulatedKey: Data(holder.encapsulatedKey)),
        let share = try? recipient.open(holder.sealedShare, authenticating: aad)
      else { return nil }
      return Array(share)
    case .sm2(let privateKey):
      guard holder.encapsulatedKey.isEmpty,
        let plaintext = try? privateKey.decrypt(holder.sealedShare), plaintext.count == 64,
        constantTimeEqual(Array(plaintext.prefix(32)), SM3.hash(info + aad))
      else { return nil }
      return Array(plaintext.suffix(32))
    }
  }
}
