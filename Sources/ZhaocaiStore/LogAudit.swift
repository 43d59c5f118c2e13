import SQLKit
import ZhaocaiCrypto

/// How a platform's log compares with the checkpoints of it that another party holds — the hub
/// keeps every one the platform published. After a database is restored from a backup, this is
/// the check that it is the platform's own history (every held checkpoint it reaches has the
/// same root: no other version of events) and that nothing the hub has seen is missing from it.
public struct LogAudit: Sendable, Equatable {
  /// What one held checkpoint says of the log.
  public enum Finding: Sendable, Equatable {
    /// The log has this size and, at it, this checkpoint's root.
    case agrees(size: UInt64)
    /// The checkpoint is larger than the log: `size - localSize` entries the holder has seen
    /// are missing (a restore to an earlier point, lost writes).
    case missing(size: UInt64)
    /// At this size the log has another root: it is not the history the checkpoint signed.
    case differs(size: UInt64)
    /// Not signed with the platform's log key, or not a checkpoint: it proves nothing.
    case unsigned(note: String)
  }

  /// The log's size now.
  public let localSize: UInt64
  /// One per held checkpoint, in the order given.
  public let findings: [Finding]

  /// No held checkpoint contradicts the log.
  public var isConsistent: Bool {
    !findings.contains {
      if case .differs = $0 { true } else if case .unsigned = $0 { true } else { false }
    }
  }

  /// The log reaches every held checkpoint.
  public var isComplete: Bool {
    !findings.contains { if case .missing = $0 { true } else { false } }
  }

  /// The largest size a held checkpoint vouches for.
  public var heldSize: UInt64 {
    findings.reduce(0) {
      switch $1 {
      case .agrees(let size), .missing(let size), .differs(let size): max($0, size)
      case .unsigned: $0
      }
    }
  }

  /// Compares the log in `database` with the signed checkpoint notes `held`, which must be
  /// signed by `verifier` (the platform's own log key).
  public static func run(
    against held: [String], verifier: NoteVerifier, on database: any SQLDatabase
  ) async throws -> LogAudit {
    let size = try await PersistentLog.size(on: database)
    var findings: [Finding] = []
    for note in held {
      guard let checkpoint = try? verifier.open(note) else {
        findings.append(.unsigned(note: String(note.prefix(200))))
        continue
      }
      if checkpoint.size > size {
        findings.append(.missing(size: checkpoint.size))
      } else if checkpoint.size == 0 {
        findings.append(.agrees(size: 0))
      } else {
        let local = try await PersistentLog.root(size: checkpoint.size, on: database).root
        findings.append(
          local == checkpoint.root
            ? .agrees(size: checkpoint.size) : .differs(size: checkpoint.size))
      }
    }
    return LogAudit(localSize: size, findings: findings)
  }
}
