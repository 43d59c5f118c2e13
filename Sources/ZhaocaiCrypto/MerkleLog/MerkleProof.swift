/// Verification of RFC 9162 proofs, needing nothing but the proof, the sizes and the roots.
public enum MerkleProof {
  /// Checks that `leaf` is at `index` in the tree of `treeSize` leaves with root `root`
  /// (RFC 9162 §2.1.3.2).
  ///
  /// The path fixes the tree's shape around the leaf, not its exact size: a leaf far from the
  /// right edge has the same path in every tree whose splits around it agree. The size is bound
  /// to the root by the signed checkpoint, which is why receipts carry one.
  public static func verifyInclusion(
    leaf: TreeHash, index: UInt64, treeSize: UInt64, proof: [TreeHash], root: TreeHash
  ) throws {
    guard index < treeSize else { throw MerkleError.indexOutOfRange(index: index, size: treeSize) }
    var fn = index
    var sn = treeSize - 1
    var r = leaf
    for p in proof {
      guard sn != 0 else { throw MerkleError.proofLengthWrong }
      if fn & 1 == 1 || fn == sn {
        r = TreeHash.node(p, r)
        while fn & 1 == 0 && fn != 0 {
          fn >>= 1
          sn >>= 1
        }
      } else {
        r = TreeHash.node(r, p)
      }
      fn >>= 1
      sn >>= 1
    }
    guard sn == 0 else { throw MerkleError.proofLengthWrong }
    guard r == root else { throw MerkleError.rootMismatch }
  }

  /// Checks that the tree of `oldSize` leaves and root `oldRoot` is a prefix of the tree of
  /// `newSize` leaves and root `newRoot` (RFC 9162 §2.1.4.2).
  public static func verifyConsistency(
    oldSize: UInt64, newSize: UInt64, oldRoot: TreeHash, newRoot: TreeHash, proof: [TreeHash]
  ) throws {
    guard oldSize <= newSize else { throw MerkleError.invalidSizes }
    if oldSize == newSize {
      guard proof.isEmpty else { throw MerkleError.proofLengthWrong }
      guard oldRoot == newRoot else { throw MerkleError.rootMismatch }
      return
    }
    if oldSize == 0 {
      // Every tree extends the empty one; there is nothing to prove.
      guard proof.isEmpty else { throw MerkleError.proofLengthWrong }
      return
    }
    guard !proof.isEmpty else { throw MerkleError.proofLengthWrong }
    var path = proof
    if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
    var fn = oldSize - 1
    var sn = newSize - 1
    while fn & 1 == 1 {
      fn >>= 1
      sn >>= 1
    }
    var fr = path[0]
    var sr = path[0]
    for c in path.dropFirst() {
      guard sn != 0 else { throw MerkleError.proofLengthWrong }
      if fn & 1 == 1 || fn == sn {
        fr = TreeHash.node(c, fr)
        sr = TreeHash.node(c, sr)
        while fn & 1 == 0 && fn != 0 {
          fn >>= 1
          sn >>= 1
        }
      } else {
        sr = TreeHash.node(sr, c)
      }
      fn >>= 1
      sn >>= 1
    }
    guard sn == 0 else { throw MerkleError.proofLengthWrong }
    guard fr == oldRoot, sr == newRoot else { throw MerkleError.rootMismatch }
  }
}
