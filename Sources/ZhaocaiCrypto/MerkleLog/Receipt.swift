import Foundation

/// Proof that an entry is in a platform's log (回执): the signed checkpoint, the entry, its index
/// and its inclusion proof. Anyone holding the platform's verifier key checks it offline.
public struct Receipt: Codable, Sendable, Equatable {
  public var version = 1
  /// The C2SP signed note of the checkpoint the proof leads to.
  public var checkpoint: String
  public var index: UInt64
  /// The log entry, as appended (base64 in JSON).
  public var entry: Data
  /// The inclusion proof, base64 hashes from the leaf upwards.
  public var proof: [String]

  public init(checkpoint: String, index: UInt64, entry: [UInt8], proof: [TreeHash]) {
    self.checkpoint = checkpoint
    self.index = index
    self.entry = Data(entry)
    self.proof = proof.map(\.base64)
  }

  /// Why a receipt was refused.
  public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
    case checkpoint(CheckpointError)
    case proof(MerkleError)
    case malformed(String)

    public var description: String {
      switch self {
      case .checkpoint(.signatureInvalid): "the checkpoint's signature is invalid"
      case .checkpoint(.noSignatureByKey(let name)): "the checkpoint is not signed by \(name)"
      case .checkpoint(let error): "the checkpoint is malformed: \(error)"
      case .proof(let error): "the entry is not in the log at that index: \(error)"
      case .malformed(let why): "the receipt is malformed: \(why)"
      }
    }
  }

  /// Checks the checkpoint's signature and the entry's inclusion; returns the checkpoint.
  public func verify(with verifier: NoteVerifier) throws(Failure) -> Checkpoint {
    guard version == 1 else { throw .malformed("version \(version)") }
    let checkpoint: Checkpoint
    do {
      checkpoint = try verifier.open(self.checkpoint)
    } catch {
      throw .checkpoint(error)
    }
    var path: [TreeHash] = []
    for item in proof {
      guard let hash = TreeHash(base64: item) else { throw .malformed("proof hash '\(item)'") }
      path.append(hash)
    }
    do {
      try MerkleProof.verifyInclusion(
        leaf: TreeHash.leaf(entry), index: index, treeSize: checkpoint.size, proof: path,
        root: checkpoint.root)
    } catch let error as MerkleError {
      throw .proof(error)
    } catch {
      throw .malformed("\(error)")
    }
    return checkpoint
  }
}
