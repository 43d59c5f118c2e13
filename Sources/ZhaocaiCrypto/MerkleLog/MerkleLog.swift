/// An append-only Merkle log hashed as RFC 9162 says: appends, roots, inclusion and consistency
/// proofs, each in O(log n) reads of its store (O(log² n) hashes at worst for a proof).
public struct MerkleLog<Store: MerkleNodeStore> {
  public private(set) var store: Store

  public init(store: Store) { self.store = store }

  public var size: UInt64 { store.leafCount }

  /// Appends one entry; returns its leaf index.
  @discardableResult
  public mutating func append<D: Collection>(_ entry: D) throws -> UInt64 where D.Element == UInt8 {
    try appendLeafHash(TreeHash.leaf(Array(entry)))
  }

  /// Appends an already-hashed leaf; returns its index.
  @discardableResult
  public mutating func appendLeafHash(_ leaf: TreeHash) throws -> UInt64 {
    let index = size
    var closing: [TreeHash] = []
    var hash = leaf
    var position = index
    var level = 0
    // Each 1 bit at the bottom of the index is a left sibling now completed by this leaf.
    while position & 1 == 1 {
      let left = try store.node(level: level, index: position - 1)
      hash = TreeHash.node(left, hash)
      closing.append(hash)
      position >>= 1
      level += 1
    }
    try store.appendLeaf(leaf, closing: closing)
    return index
  }

  /// The root of the tree of the first `size` leaves (the current root by default).
  public func root(size treeSize: UInt64? = nil) throws -> TreeHash {
    let n = treeSize ?? size
    guard n <= size else { throw MerkleError.sizeOutOfRange(size: n, logSize: size) }
    return n == 0 ? .empty : try subtreeHash(0, n)
  }

  /// The audit path of leaf `index` in the tree of `treeSize` leaves (RFC 9162 §2.1.3.1).
  public func inclusionProof(index: UInt64, treeSize: UInt64? = nil) throws -> [TreeHash] {
    let n = treeSize ?? size
    guard n <= size else { throw MerkleError.sizeOutOfRange(size: n, logSize: size) }
    guard index < n else { throw MerkleError.indexOutOfRange(index: index, size: n) }
    var proof: [TreeHash] = []
    try path(index, 0, n, into: &proof)
    return proof
  }

  /// The proof that the tree of `oldSize` leaves is a prefix of that of `newSize` (§2.1.4.1).
  public func consistencyProof(from oldSize: UInt64, to newSize: UInt64? = nil) throws -> [TreeHash]
  {
    let n = newSize ?? size
    guard n <= size else { throw MerkleError.sizeOutOfRange(size: n, logSize: size) }
    guard oldSize > 0, oldSize <= n else { throw MerkleError.invalidSizes }
    if oldSize == n { return [] }
    var proof: [TreeHash] = []
    try subproof(oldSize, 0, n, complete: true, into: &proof)
    return proof
  }

  /// MTH(D[begin:end]): a stored node when the range is an aligned power of two, else split at
  /// the largest power of two below its width, as RFC 9162 defines the tree.
  func subtreeHash(_ begin: UInt64, _ end: UInt64) throws -> TreeHash {
    let width = end - begin
    if width & (width - 1) == 0 {
      let level = width.trailingZeroBitCount
      if begin & (width - 1) == 0 { return try store.node(level: level, index: begin >> level) }
    }
    let k = largestPowerOfTwo(below: width)
    return TreeHash.node(try subtreeHash(begin, begin + k), try subtreeHash(begin + k, end))
  }

  private func path(_ m: UInt64, _ begin: UInt64, _ end: UInt64, into proof: inout [TreeHash])
    throws
  {
    let n = end - begin
    if n == 1 { return }
    let k = largestPowerOfTwo(below: n)
    if m < k {
      try path(m, begin, begin + k, into: &proof)
      proof.append(try subtreeHash(begin + k, end))
    } else {
      try path(m - k, begin + k, end, into: &proof)
      proof.append(try subtreeHash(begin, begin + k))
    }
  }

  private func subproof(
    _ m: UInt64, _ begin: UInt64, _ end: UInt64, complete: Bool, into proof: inout [TreeHash]
  ) throws {
    let n = end - begin
    if m == n {
      if !complete { proof.append(try subtreeHash(begin, end)) }
      return
    }
    let k = largestPowerOfTwo(below: n)
    if m <= k {
      try subproof(m, begin, begin + k, complete: complete, into: &proof)
      proof.append(try subtreeHash(begin + k, end))
    } else {
      try subproof(m - k, begin + k, end, complete: false, into: &proof)
      proof.append(try subtreeHash(begin, begin + k))
    }
  }
}

extension MerkleLog where Store == InMemoryNodeStore {
  /// An empty log held in memory.
  public init() { self.init(store: InMemoryNodeStore()) }
}

/// The largest power of two strictly below `n` (n ≥ 2).
func largestPowerOfTwo(below n: UInt64) -> UInt64 {
  UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
}
