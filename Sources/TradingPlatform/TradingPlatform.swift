import Hummingbird
import Logging
import OpenAPIHummingbird
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore

/// 交易平台: everything one trading platform needs, built once and shared by its handlers.
public struct TradingPlatform: Sendable {
  public let store: Store
  public let blobs: BlobStore
  public let clock: any PlatformClock
  public let logSigner: NoteSigner
  public let calendar: WorkingCalendar

  public init(
    store: Store, blobs: BlobStore, clock: any PlatformClock, logSigner: NoteSigner,
    calendar: WorkingCalendar = .china2026
  ) {
    self.store = store
    self.blobs = blobs
    self.clock = clock
    self.logSigner = logSigner
    self.calendar = calendar
  }

  /// The HTTP application serving openapi/trading.yaml under /api/v1.
  public func application(
    host: String = "127.0.0.1", port: Int = 8080, logger: Logger = Logger(label: "zhaocai.trading")
  ) throws -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: ProblemMiddleware())
    try TradingAPI(platform: self).registerHandlers(on: router, serverURL: Servers.Server1.url())
    return Application(
      router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
  }
}
