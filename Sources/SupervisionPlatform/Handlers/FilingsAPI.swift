import Crypto
import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

extension SupervisionAPI {
  func listFilings(_ input: Operations.listFilings.Input) async throws
    -> Operations.listFilings.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let filings = try await platform.store.transaction { database in
        var mine: [FilingRepository.Filing] = []
        for filing in try await FilingRepository.all(on: database)
        where try await platform.oversees(
          supervisor, platform: filing.platform, section: filing.section, on: database)
        {
          mine.append(filing)
        }
        return mine
      }
      return .ok(
        .init(
          body: .json(
            try filings.map {
              let signed = try JSONDecoder().decode(
                SignedMessage.self, from: Data($0.acknowledgement.utf8))
              return .init(
                platform: $0.platform, section: $0.section,
                kind: .init(rawValue: $0.kind) ?? .writtenReport, filedAt: Self.date($0.filedAt),
                acknowledgement: .init(message: signed.message, signature: signed.signature))
            })))
    }
  }
}
