import Crypto
import Foundation
import ZhaocaiCrypto
import ZhaocaiStore
import ZhaocaiWeb

/// What one supervision platform needs to run: who it is, its database, the directory of its key
/// files and the hub it publishes through.
public struct SupervisionConfiguration: Sendable {
  /// Its id at the hub, e.g. `supervision.fj`.
  public var platformID: String
  public var database: StoreLocation
  /// Where its exchange key (`exchange.key`), log key (`log-signer.key`), administrator token
  /// (`supervision-admin.token`) and opening-key holdings (`holder/`) are kept.
  public var directory: String
  /// The hub's API (…/api/v1) and the key its log and registry are signed with.
  public var hub: (url: String, key: Curve25519.Signing.PublicKey)?
  public var passwordCost: UInt8

  public init(
    platformID: String, database: StoreLocation, directory: String,
    hub: (url: String, key: Curve25519.Signing.PublicKey)? = nil, passwordCost: UInt8 = 12
  ) {
    self.platformID = platformID
    self.database = database
    self.directory = directory
    self.hub = hub
    self.passwordCost = passwordCost
  }
}

extension SupervisionPlatform {
  /// The platform of `configuration`: its store opened and migrated, its keys read (or made).
  public static func build(_ configuration: SupervisionConfiguration, clock: any PlatformClock)
    async throws -> SupervisionPlatform
  {
    let directory = configuration.directory
    let key = try KeyFiles.signingKey(at: directory + "/exchange.key")
    let signer = try NoteSigner(
      name: "\(configuration.platformID).localhost/log",
      key: try KeyFiles.signingKey(at: directory + "/log-signer.key"))
    let token = try KeyFiles.secret(at: directory + "/supervision-admin.token")
    try FileManager.default.createDirectory(
      atPath: directory + "/holder", withIntermediateDirectories: true)
    let store = try await Store.open(configuration.database, schema: .supervision)
    return SupervisionPlatform(
      store: store, platformID: configuration.platformID, key: key, logSigner: signer,
      hub: configuration.hub?.url, hubKey: configuration.hub?.key,
      keyHolder: KeyHolding(name: "supervisor", directory: directory + "/holder"),
      passwordCost: configuration.passwordCost, administratorToken: token, clock: clock)
  }
}
