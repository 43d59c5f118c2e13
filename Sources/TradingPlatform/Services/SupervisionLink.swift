import Crypto
import Foundation

/// The supervision platform (行政监督平台) this trading platform reports to: whose signature its
/// orders must carry, and where the process events go (docs/EXCHANGE.md, "Supervision").
public struct SupervisionLink: Sendable {
  /// The supervision platform's id at the hub.
  public let platformID: String
  public let key: Curve25519.Signing.PublicKey
  /// Its API base, e.g. http://127.0.0.1:8070/api/v1.
  public let endpoint: String
  /// Its opening key's sealing public key (base64 raw, as in a notice), which every notice here
  /// must name among its key holders; nil: not required.
  public let holderKey: String?

  public init(
    platformID: String, key: Curve25519.Signing.PublicKey, endpoint: String,
    holderKey: String? = nil
  ) {
    self.platformID = platformID
    self.key = key
    self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
    self.holderKey = holderKey
  }
}
