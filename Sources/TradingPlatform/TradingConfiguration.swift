import Crypto
import Foundation
import ZhaocaiCrypto
import ZhaocaiStore
import ZhaocaiWeb

/// What one trading platform needs to run: who it is, its database, the directory of its key
/// files and uploads, and the hub and supervision platform it is linked to.
public struct TradingConfiguration: Sendable {
  /// Its id at the hub, e.g. `trading.fz`.
  public var platformID: String
  public var database: StoreLocation
  /// Where its exchange key (`exchange.key`), log key (`log-signer.key`) and, on SQLite, the
  /// uploaded files (`blobs/`) are kept; on PostgreSQL the files are chunked in the database,
  /// so several nodes share them.
  public var directory: String
  /// The hub's API (…/api/v1) and the key its log and registry are signed with; with a hub,
  /// parties are the hub's registered parties (一地注册、全网通用).
  public var hub: (url: String, key: Curve25519.Signing.PublicKey)?
  /// The supervision platform it reports to and takes orders from.
  public var supervision: SupervisionLink?
  public var passwordCost: UInt8

  public init(
    platformID: String, database: StoreLocation, directory: String,
    hub: (url: String, key: Curve25519.Signing.PublicKey)? = nil,
    supervision: SupervisionLink? = nil, passwordCost: UInt8 = 12
  ) {
    self.platformID = platformID
    self.database = database
    self.directory = directory
    self.hub = hub
    self.supervision = supervision
    self.passwordCost = passwordCost
  }
}

extension TradingPlatform {
  /// The platform of `configuration`: its store opened and migrated, its keys read (or made),
  /// its administrator's calendar loaded.
  public static func build(_ configuration: TradingConfiguration, clock: any PlatformClock)
    async throws -> TradingPlatform
  {
    let directory = configuration.directory
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let exchangeKey = try KeyFiles.signingKey(at: directory + "/exchange.key")
    let signer = try NoteSigner(
      name: "\(configuration.platformID).localhost/log",
      key: try KeyFiles.signingKey(at: directory + "/log-signer.key"))
    let store = try await Store.open(configuration.database, schema: .trading)
    do {
      let platform = TradingPlatform(
        store: store, blobs: try BlobStore.forStore(store, directory: directory + "/blobs"),
        clock: clock, logSigner: signer, passwordCost: configuration.passwordCost,
        partiesFromHub: configuration.hub != nil,
        exchange: configuration.hub.map {
          ExchangeLink(
            platformID: configuration.platformID, key: exchangeKey, hub: $0.url, hubKey: $0.key)
        }, supervision: configuration.supervision)
      try await platform.loadCalendar()
      return platform
    } catch {
      await store.close()
      throw error
    }
  }
}
