import Crypto
import Foundation
import ZhaocaiStore

extension PartyRegistry.Snapshot {
  /// The message kind the hub signs its snapshot as.
  public static let messageKind = "registry.snapshot"

  /// The hub's registry, trust store and bans (`GET /registry`), taken only if the hub's key
  /// signed them; what every platform certifies parties and refuses banned ones against
  /// (一地注册、全网通用; CA互认; 一处受罚、处处受限).
  public static func verified(_ signed: SignedMessage, key: Curve25519.Signing.PublicKey) throws
    -> PartyRegistry.Snapshot
  {
    guard let message = try? signed.verified(with: key, for: ExchangeMessage.anyone),
      message.sender == ExchangeMessage.hub, message.kind == messageKind,
      let snapshot = try? JSONDecoder().decode(
        PartyRegistry.Snapshot.self, from: Data(message.payload.utf8))
    else { throw OutboxRelay.Failure.unsigned }
    return snapshot
  }
}
