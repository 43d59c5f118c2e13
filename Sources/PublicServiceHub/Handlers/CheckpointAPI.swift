import Foundation
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiStore
import ZhaocaiWeb

/// Checkpoints: the hub accepts a platform's new checkpoint only with a consistency proof from
/// the last one it holds, so a platform cannot rewrite its history unnoticed, and only if it
/// covers every message the platform already sent; an inconsistent checkpoint is refused,
/// raises an alert and is kept as evidence.
extension HubAPI {
  func submitCheckpoint(_ input: Operations.submitCheckpoint.Input) async throws
    -> Operations.submitCheckpoint.Output
  {
    return await answering {
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      let now = hub.now()
      let accepted = try await hub.store.transaction { database in
        guard let platform = try await HubRepository.find(body.platform, on: database),
          platform.status == .approved, let key = platform.logVerifierKey,
          let verifier = try? NoteVerifier(verifierKey: key)
        else {
          throw HubProblem(
            status: 403, code: "PLATFORM_NOT_APPROVED",
            english: "\(body.platform) is not an approved platform with a log key",
            chinese: "平台未获批准或未登记日志密钥")
        }
        let checkpoint: Checkpoint
        do {
          checkpoint = try verifier.open(body.checkpoint)
        } catch {
          throw HubProblem(
            status: 422, code: "CHECKPOINT_BAD_SIGNATURE",
            english: "the checkpoint is not signed with \(body.platform)'s log key: \(error)",
            chinese: "检查点签名无效")
        }
        // Stores keep sizes as BIGINT; no log here will ever hold 2^63 entries.
        guard checkpoint.size <= UInt64(Int64.max) else {
          throw HubProblem(
            status: 422, code: "CHECKPOINT_BAD_SIZE",
            english: "a checkpoint's size is at most 2^63 - 1", chinese: "检查点的日志大小超出范围")
        }
        let proof = body.proof.compactMap(TreeHash.init(base64:))
        if let last = try await HubCheckpointRepository.latest(body.platform, on: database),
          let lastRoot = TreeHash(base64: last.root)
        {
          do {
            guard proof.count == body.proof.count else { throw MerkleError.invalidSizes }
            try MerkleProof.verifyConsistency(
              oldSize: last.size, newSize: checkpoint.size, oldRoot: lastRoot,
              newRoot: checkpoint.root, proof: proof)
          } catch {
            let reason =
              "size \(checkpoint.size) is not consistent with size \(last.size) held since before: \(error)"
            // The refusal is the answer; the evidence commits with it.
            try await HubCheckpointRepository.alert(
              platform: body.platform, note: body.checkpoint,
              proof: body.proof.joined(separator: ","), reason: reason, at: now, on: database)
            return Result<HubCheckpointRepository.Stored, HubProblem>.failure(
              HubProblem(
                status: 409, code: "CHECKPOINT_INCONSISTENT", english: reason,
                chinese: "检查点与此前发布的日志不一致，已告警并留存为证据"))
          }
        }
        // Message n carried log entry n - 1: a log shorter than what its platform already sent
        // has lost entries (or the checkpoint hides them).
        let sent = try await HubRepository.lastApplied(body.platform, on: database)
        if checkpoint.size < sent {
          let reason =
            "size \(checkpoint.size) is smaller than the \(sent) messages the platform already sent"
          try await HubCheckpointRepository.alert(
            platform: body.platform, note: body.checkpoint,
            proof: body.proof.joined(separator: ","), reason: reason, at: now, on: database)
          return .failure(
            HubProblem(
              status: 409, code: "CHECKPOINT_BEHIND_MESSAGES", english: reason,
              chinese: "检查点的日志规模小于该平台已发送的消息数，已告警并留存为证据"))
        }
        let stored = HubCheckpointRepository.Stored(
          platform: body.platform, size: checkpoint.size, root: checkpoint.root.base64,
          note: body.checkpoint)
        try await HubCheckpointRepository.accept(stored, at: now, on: database)
        return .success(stored)
      }
      return .created(.init(body: .json(Self.view(try accepted.get()))))
    }
  }

  func listCheckpoints(_ input: Operations.listCheckpoints.Input) async throws
    -> Operations.listCheckpoints.Output
  {
    let platform = input.query.platform
    let all = try await hub.store.transaction {
      try await HubCheckpointRepository.all(platform, on: $0)
    }
    return .ok(.init(body: .json(all.map(Self.view))))
  }

  func listCheckpointAlerts(_ input: Operations.listCheckpointAlerts.Input) async throws
    -> Operations.listCheckpointAlerts.Output
  {
    let alerts = try await hub.store.transaction {
      try await HubCheckpointRepository.alerts(on: $0)
    }
    return .ok(
      .init(
        body: .json(
          alerts.map { .init(platform: $0.platform, reason: $0.reason, checkpoint: $0.note) })))
  }

  static func view(_ stored: HubCheckpointRepository.Stored) -> Components.Schemas.HubCheckpoint {
    .init(
      platform: stored.platform, size: Int64(stored.size), root: stored.root,
      checkpoint: stored.note)
  }
}
