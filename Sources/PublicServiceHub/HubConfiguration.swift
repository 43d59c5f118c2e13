import Foundation
import ZhaocaiCrypto
import ZhaocaiStore
import ZhaocaiWeb

/// What one public service hub needs to run: its database and the directory of its key files.
public struct HubConfiguration: Sendable {
  /// The hub's database (migrated at start).
  public var database: StoreLocation
  /// Where the administrator token (`hub-admin.token`) and the log's signing key
  /// (`hub-log.key`) are kept, made on the first start.
  public var directory: String
  /// The name its log's checkpoints are signed under, e.g. `hub.example.gov.cn/log`.
  public var logName: String

  public init(database: StoreLocation, directory: String, logName: String = "hub.localhost/log") {
    self.database = database
    self.directory = directory
    self.logName = logName
  }
}

extension PublicServiceHub {
  /// The hub of `configuration`: its store opened and migrated, its keys read (or made).
  public static func build(_ configuration: HubConfiguration, clock: any PlatformClock)
    async throws -> PublicServiceHub
  {
    let token = try KeyFiles.secret(at: configuration.directory + "/hub-admin.token")
    let signer = try NoteSigner(
      name: configuration.logName,
      key: try KeyFiles.signingKey(at: configuration.directory + "/hub-log.key"))
    let store = try await Store.open(configuration.database, schema: .hub)
    do {
      return try PublicServiceHub(
        store: store, administratorToken: token, logSigner: signer, clock: clock)
    } catch {
      await store.close()
      throw error
    }
  }
}
