import Crypto
import Foundation
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// The shared expert pool and its verifiable draw.
extension HubAPI {
  func addExpert(_ input: Operations.addExpert.Input) async throws -> Operations.addExpert.Output {
    return await answering {
      guard HubCaller.isAdministrator else { throw HubProblem.signInNeeded }
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      let expert = try Account(
        id: body.id, role: .expert, name: body.name, creditCode: body.creditCode,
        pastEmployers: body.pastEmployers, conflicts: body.conflicts,
        specialities: body.specialities
      ).validated()
      let now = hub.now()
      try await hub.store.transaction { try await HubExpertRepository.add(expert, at: now, on: $0) }
      return .created(.init(body: .json(Self.profile(expert))))
    }
  }

  /// Draws from the pool for an approved platform's signed request. The seed comes from the
  /// hub's checkpoint before the draw, which the draw's record is then appended after, so the
  /// hub cannot choose the seed and anyone can recompute the committee.
  func drawExperts(_ input: Operations.drawExperts.Input) async throws
    -> Operations.drawExperts.Output
  {
    return await answering {
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      let signed = SignedMessage(message: body.message, signature: body.signature)
      let sender = try signed.claimedSender()
      let signer = hub.logSigner
      let now = hub.now()
      let draw = try await hub.store.transaction { database in
        guard let platform = try await HubRepository.find(sender, on: database) else {
          throw ExchangeError.unknownSender(sender)
        }
        guard platform.status == .approved, let raw = Data(base64Encoded: platform.publicKey),
          let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { throw ExchangeError.senderNotApproved(sender) }
        let message = try signed.verified(with: key, for: ExchangeMessage.hub)
        guard message.kind == "expert.draw.request" else {
          throw ExchangeError.malformed("kind \(message.kind) is not a draw request")
        }
        let checkpoint = try await Receipts.checkpoint(signer: signer, at: now, on: database)
        let pool = try await HubExpertRepository.pool(on: database)
        let draw = try VerifiableDraw.draw(
          checkpoint: checkpoint, request: signed, requestMessage: message, pool: pool)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let section =
          (try? JSONDecoder().decode(
            VerifiableDraw.Request.self, from: Data(message.payload.utf8)))?.section ?? ""
        _ = try await HubExpertRepository.record(
          platform: sender, section: section, record: try encoder.encode(draw), at: now,
          on: database)
        return draw
      }
      return .created(
        .init(
          body: .json(
            .init(
              checkpoint: draw.checkpoint,
              request: .init(message: draw.request.message, signature: draw.request.signature),
              pool: draw.pool.map(Self.profile), drawn: draw.drawn, recused: draw.recused))))
    }
  }

  static func profile(_ expert: Account) -> Components.Schemas.ExpertProfile {
    .init(
      id: expert.id, role: .expert, name: expert.name, creditCode: expert.creditCode,
      pastEmployers: expert.pastEmployers, conflicts: expert.conflicts,
      specialities: expert.specialities)
  }
}
