import Foundation
import SQLKit
import ZhaocaiCrypto

/// Signed checkpoints of the platform's log and receipts for its entries.
public enum Receipts {
  /// The current checkpoint, signed, with the time it was made as an extension line.
  public static func checkpoint(
    signer: NoteSigner, at now: Int64, on database: any SQLDatabase
  ) async throws -> String {
    let (size, root) = try await PersistentLog.root(on: database)
    return try signer.sign(
      Checkpoint(origin: signer.name, size: size, root: root, extensions: ["time \(now)"]))
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
    let note = try await checkpoint(signer: signer, at: now, on: database)
    return Receipt(checkpoint: note, index: index, entry: entry, proof: proof)
  }
}
