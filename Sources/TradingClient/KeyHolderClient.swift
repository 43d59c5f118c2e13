import Foundation
import ZhaocaiCrypto
import ZhaocaiExchange

/// What an opening key holder does with its private key, on its own machine (`zhaocai holder
/// release`, and the supervision platform for its share): after the deadline it signs in to the
/// trading platform as the holder the notice names, downloads each envelope of the section,
/// opens the share sealed to its key, checks it against the envelope, and sends the shares. The
/// private key never leaves the machine.
public struct KeyHolderClient: Sendable {
  /// The trading platform's API base, e.g. http://127.0.0.1:8080/api/v1.
  public let platform: String
  /// The holder's name in the notice, which is also its account.
  public let name: String
  public let keys: PrivateKeyFile
  public let password: String

  public init(platform: String, name: String, keys: PrivateKeyFile, password: String) {
    self.platform = platform.hasSuffix("/") ? String(platform.dropLast()) : platform
    self.name = name
    self.keys = keys
    self.password = password
  }

  /// The trading platform refused a step: its problem's code and both messages.
  public typealias Refusal = PeerRefusal

  /// Releases this holder's shares of every bid of `section`; returns how many.
  @discardableResult
  public func release(section: String) async throws -> Int {
    let token = try await TradingConnection(platform).signIn(account: name, password: password)
    let session = try TradingConnection(platform, token: token)
    var shares: [(bidder: String, x: UInt8, y: [UInt8])] = []
    for bidder in try await session.bidders(of: section) {
      let envelope = try await session.envelope(of: bidder, in: section)
      let share = try EnvelopeReader(MemorySource(envelope)).header.share(using: keys.sealing)
      shares.append((bidder, share.x, share.y))
    }
    try await session.releaseShares(shares, of: name, in: section)
    return shares.count
  }
}
