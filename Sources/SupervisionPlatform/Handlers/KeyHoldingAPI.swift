import Foundation
import SQLKit
import TradingClient
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

extension SupervisionAPI {
  func releaseShare(_ input: Operations.releaseShare.Input) async throws
    -> Operations.releaseShare.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let process = try await platform.store.transaction {
        try await platform.process(input.path.platform, input.path.section, of: supervisor, on: $0)
      }
      let release = try await platform.releaseShare(of: process)
      return .created(
        .init(
          body: .json(
            .init(
              platform: release.platform, section: release.section, holder: release.holder,
              shares: release.shares, releasedAt: Self.date(release.at)))))
    }
  }
}
