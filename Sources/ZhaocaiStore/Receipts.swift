import Foundation
import SQLKit
import ZhaocaiCrypto

/// Signed checkpoints of the platform's log and receipts for its entries.
public enum Receipts {
  /// The current checkpoint, signed, with the time it was made as an extension line.
  public static func checkpoint(
    signer: NoteSigner, at now: Int64, on database: any SQLDatabase
  ) async throws -> String {
    try checkpoint(of: try await LogHead.read(on: database), signer: signer, at: now)
  }

  /// The checkpoint of the log's first `size` entries: a size read earlier in the transaction,
  /// which proofs were made for (PostgreSQL reads each statement afresh, so other transactions
  /// may have appended since and the current checkpoint would not fit them).
  public static func checkpoint(
    size: UInt64, signer: NoteSigner, at now: Int64, on database: any SQLDatabase
  ) async throws -> String {
    let (_, root) = try await PersistentLog.root(size: size, on: database)
    return try checkpoint(of: LogHead(size: size, root: root), signer: signer, at: now)
  }

  /// The checkpoint of a log head already read.
  public static func checkpoint(of head: LogHead, signer: NoteSigner, at now: Int64) throws
    -> String
  {
    try signer.sign(
      Checkpoint(
        origin: signer.name, size: head.size, root: head.root, extensions: ["time \(now)"]))
  }

  /// A receipt for entry `index` against the current checkpoint.
  public static func receipt(
    for index: UInt64, signer: NoteSigner, at now: Int64, on database: any SQLDatabase
  ) async throws -> Receipt {
    let size = try await PersistentLog.size(on: database)
    guard index < size, let entry = try await PersistentLog.entry(index, on: database) else {
      throw MerkleError.indexOutOfRange(index: index, size: size)
    }
    let proof = try await PersistentLog.inclusionProof(index: index, size: size, on: database)
    let note = try await checkpoint(size: size, signer: signer, at: now, on: database)
    return Receipt(checkpoint: note, index: index, entry: entry, proof: proof)
  }
}

/// The size and root of a platform's log at one moment.
public struct LogHead: Sendable, Equatable {
  public let size: UInt64
  public let root: TreeHash

  /// Reads the current head. (A static function: an async throwing initializer that assigned
  /// the tuple crashed in swift_task_dealloc with this toolchain.)
  public static func read(on database: any SQLDatabase) async throws -> LogHead {
    let (size, root) = try await PersistentLog.root(on: database)
    return LogHead(size: size, root: root)
  }

}
