import Foundation
import SQLKit
import ZhaocaiCrypto

/// How a platform's log compares with the checkpoints of it that another party holds — the hub
/// keeps every one the platform published. After a database is restored from a backup, this is
/// the check that it is the platform's own history (the tree rebuilt from the entries
/// themselves, not from the stored hashes, has each held checkpoint's root at its size: no
/// entry altered, no other version of events) and that nothing the hub has seen is missing.
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
    /// The entry at this index does not hash to the leaf stored for it (altered), or is not
    /// there (a gap).
    case altered(index: UInt64)
  }

  /// How many altered entries are named before the audit stops naming them.
  public static let alteredNamed = 100

  /// The log's size now.
  public let localSize: UInt64
  /// One per held checkpoint, in the order given.
  public let findings: [Finding]

  /// No held checkpoint contradicts the log.
  public var isConsistent: Bool {
    !findings.contains {
      switch $0 {
      case .agrees, .missing: false
      case .differs, .unsigned, .altered: true
      }
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
      case .unsigned, .altered: $0
      }
    }
  }

  /// Compares the log in `database` with the signed checkpoint notes `held`, which must be
  /// signed by `verifier` (the platform's own log key). Reads every entry once, in pages.
  public static func run(
    against held: [String], verifier: NoteVerifier, on database: any SQLDatabase
  ) async throws -> LogAudit {
    let size = try await PersistentLog.size(on: database)
    var findings: [Finding] = []
    var rebuilt = MerkleLog()
    var next: UInt64 = 0
    let page = 1000
    while next < size {
      let rows = try await database.raw(
        """
        SELECT e.idx, e.entry, n.hash FROM log_entries e
        LEFT JOIN log_nodes n ON n.level = 0 AND n.idx = e.idx
        WHERE e.idx >= \(bind: Int64(next)) ORDER BY e.idx LIMIT \(bind: page)
        """
      ).all()
      guard !rows.isEmpty else { break }
      for row in rows {
        let index = UInt64(try row.decode(column: "idx", as: Int64.self))
        // A gap: the missing entries are altered too; the tree cannot be rebuilt past it.
        while next < index, next < size {
          findings.append(.altered(index: next))
          try rebuilt.appendLeafHash(.empty)
          next += 1
        }
        guard index < size else { break }
        let leaf = TreeHash.leaf(Array(try row.decode(column: "entry", as: Data.self)))
        let stored = try row.decode(column: "hash", as: Data?.self).flatMap { TreeHash(Array($0)) }
        if stored != leaf { findings.append(.altered(index: index)) }
        try rebuilt.appendLeafHash(leaf)
        next = index + 1
      }
    }
    while next < size {
      findings.append(.altered(index: next))
      try rebuilt.appendLeafHash(.empty)
      next += 1
    }
    if findings.count > alteredNamed { findings = Array(findings.prefix(alteredNamed)) }
    for note in held {
      guard let checkpoint = try? verifier.open(note) else {
        findings.append(.unsigned(note: String(note.prefix(200))))
        continue
      }
      if checkpoint.size > size {
        findings.append(.missing(size: checkpoint.size))
      } else {
        findings.append(
          try rebuilt.root(size: checkpoint.size) == checkpoint.root
            ? .agrees(size: checkpoint.size) : .differs(size: checkpoint.size))
      }
    }
    return LogAudit(localSize: size, findings: findings)
  }
}
