import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
  public static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
  /// The bidder tool's name for the machine it runs on (docs/BID-BUNDLE.md).
  public static let zhaocaiDevice = HTTPField.Name("Zhaocai-Device")!
}

/// Where a request came from, as the log records it: the client's address and device.
public enum RequestOrigin {
  /// The peer's address, or, when the peer is a proxy on this host (the nginx of deploy/), the
  /// address that proxy appended last to `X-Forwarded-For`. A remote peer's header is ignored:
  /// anyone can write one.
  public static func address(peer: String?, forwardedFor: String?) -> String {
    let peer = peer ?? "unknown"
    guard isLoopback(peer), let header = forwardedFor, header.utf8.count <= 1_024,
      let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
      isAddress(last)
    else { return peer }
    return last
  }

  /// The device a tool names: up to 128 printable ASCII characters, otherwise none.
  public static func device(_ header: String?) -> String? {
    guard let header, !header.isEmpty, header.utf8.count <= 128,
      header.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
    else { return nil }
    return header
  }

  static func isLoopback(_ address: String) -> Bool {
    address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
  }

  /// IPv4 or IPv6 text: digits, hex, dots and colons, as long as an address can be.
  static func isAddress(_ text: String) -> Bool {
    (2...45).contains(text.utf8.count)
      && text.unicodeScalars.allSatisfy {
        $0.properties.isASCIIHexDigit || $0 == "." || $0 == ":"
      }
  }
}
