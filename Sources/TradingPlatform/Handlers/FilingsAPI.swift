import Foundation
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Filings with the supervisor (备案): the self-tendering filing here, the written report with
/// the lifecycle; both reach the supervision platform in the section's stream and come back
/// with its signed acknowledgement (`deliverToSupervision`).
extension TradingAPI {
  func fileSelfTendering(_ input: Operations.fileSelfTendering.Input) async throws
    -> Operations.fileSelfTendering.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let section = try await transition(input.path.sectionID, as: .manager) {
        try $0.fileSelfTendering(basis: body.basis, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func listFilings(_ input: Operations.listFilings.Input) async throws
    -> Operations.listFilings.Output
  {
    await answering {
      let id = input.path.sectionID
      let section = try await load(id)
      try Caller.current.authorize(.managerOrPlatform, on: section)
      let filings = try await platform.store.transaction {
        try await SentFilingRepository.acknowledgements(of: id, on: $0)
      }
      return .ok(
        .init(
          body: .json(
            try filings.map {
              let signed = try JSONDecoder().decode(
                SignedMessage.self, from: Data($0.acknowledgement.utf8))
              return .init(
                kind: .init(rawValue: $0.kind) ?? .writtenReport,
                acknowledgement: .init(message: signed.message, signature: signed.signature))
            })))
    }
  }
}

extension Operations.fileSelfTendering.Output: ProblemAnswerable {}
extension Operations.listFilings.Output: ProblemAnswerable {}
