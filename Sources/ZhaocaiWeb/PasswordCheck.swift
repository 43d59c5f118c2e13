import HummingbirdBcrypt
import NIOPosix

/// Passwords, hashed with bcrypt off the event loop. A sign-in for a name that does not exist
/// is checked against a decoy hash at the same cost, so timing does not tell who exists.
public struct PasswordCheck: Sendable {
  /// bcrypt's cost: 12 in service; tests lower it to keep their runs short.
  public let cost: UInt8
  private let decoy: String

  public init(cost: UInt8) {
    self.cost = cost
    decoy = Bcrypt.hash("not a password of anyone", cost: cost)
  }

  public func hash(_ password: String) async throws -> String {
    let cost = cost
    return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
  }

  /// Whether `password` matches `hash`; with no hash (no such account) the decoy is checked and
  /// the answer is false.
  public func verify(_ password: String, against hash: String?) async throws -> Bool {
    let checked = hash ?? decoy
    let matches = try await NIOThreadPool.singleton.runIfActive {
      Bcrypt.verify(password, hash: checked)
    }
    return matches && hash != nil
  }
}
