import Foundation

/// A private key as PKCS#8 `PrivateKeyInfo` (RFC 5208) in PEM (RFC 7468), the form WebCrypto,
/// OpenSSL and most libraries import. Only the layouts Zhaocai writes are read: Ed25519 and
/// X25519 (RFC 8410), and P-256 and SM2 as RFC 5915 `ECPrivateKey` carrying its public point.
enum PrivateKeyInfo {
  /// The four kinds of key a key file holds.
  enum Kind: CaseIterable {
    case ed25519, x25519, p256, sm2
  }

  static let pemLabel = "PRIVATE KEY"

  /// The DER of `raw` (for P-256 and SM2: the 32-byte scalar ‖ the 65-byte point).
  static func der(_ kind: Kind, raw: [UInt8]) -> [UInt8] {
    switch kind {
    case .ed25519, .x25519: montgomeryPrefix(kind) + raw
    case .p256, .sm2: ellipticPrefix(kind) + raw.prefix(32) + ellipticMiddle + raw.suffix(65)
    }
  }

  /// The kind and raw key of a DER `PrivateKeyInfo` of one of the layouts above.
  static func parse(_ der: [UInt8]) -> (kind: Kind, raw: [UInt8])? {
    for kind in Kind.allCases {
      switch kind {
      case .ed25519, .x25519:
        let prefix = montgomeryPrefix(kind)
        if der.count == prefix.count + 32, der.starts(with: prefix) {
          return (kind, Array(der.dropFirst(prefix.count)))
        }
      case .p256, .sm2:
        let prefix = ellipticPrefix(kind)
        let middleAt = prefix.count + 32
        guard der.count == middleAt + ellipticMiddle.count + 65, der.starts(with: prefix),
          Array(der[middleAt..<middleAt + ellipticMiddle.count]) == ellipticMiddle
        else { continue }
        return (kind, Array(der[prefix.count..<middleAt]) + der.suffix(65))
      }
    }
    return nil
  }

  /// `der` as one PEM block, base64 in lines of 64 characters.
  static func pem(_ der: [UInt8]) -> String {
    let base64 = Data(der).base64EncodedString(options: [
      .lineLength64Characters, .endLineWithLineFeed,
    ])
    return "-----BEGIN \(pemLabel)-----\n\(base64)\n-----END \(pemLabel)-----\n"
  }

  /// The DER of every `PRIVATE KEY` block in `text`, in order; text outside the blocks is
  /// ignored (RFC 7468, section 2).
  static func blocks(in lines: [String]) -> [[UInt8]]? {
    var found: [[UInt8]] = []
    var body: String?
    for line in lines {
      if line == "-----BEGIN \(pemLabel)-----" {
        guard body == nil else { return nil }
        body = ""
      } else if line == "-----END \(pemLabel)-----" {
        guard let text = body, let der = Data(base64Encoded: text) else { return nil }
        found.append(Array(der))
        body = nil
      } else if body != nil {
        body! += line
      }
    }
    return body == nil ? found : nil
  }

  // RFC 8410: SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { OCTET STRING (32) } }.
  private static func montgomeryPrefix(_ kind: Kind) -> [UInt8] {
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65]
      + [kind == .ed25519 ? 0x70 : 0x6e] + [0x04, 0x22, 0x04, 0x20]
  }

  // RFC 5208 around RFC 5915: SEQUENCE { INTEGER 0, SEQUENCE { id-ecPublicKey, curve },
  // OCTET STRING { SEQUENCE { INTEGER 1, OCTET STRING d, [1] BIT STRING point } } }.
  private static func ellipticPrefix(_ kind: Kind) -> [UInt8] {
    let curve: [UInt8] =
      kind == .p256
      ? [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]  // prime256v1
      : [0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d]  // SM2 (GM/T 0006)
    return [0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13]
      + [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01] + curve
      + [0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20]
  }

  private static let ellipticMiddle: [UInt8] = [0xa1, 0x44, 0x03, 0x42, 0x00]
}
