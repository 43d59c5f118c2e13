/// Where a log keeps the hashes of its complete subtrees, so that a database can hold them.
///
/// Node (level, index) is the hash of leaves index·2^level ..< (index+1)·2^level; it exists once
/// all of those leaves do, and never changes after that.
public protocol MerkleNodeStore {
  /// How many leaves the log holds.
  var leafCount: UInt64 { get }
  func node(level: Int, index: UInt64) throws -> TreeHash
  /// Records one new leaf's hash and the complete subtrees it closes (level 1 upwards).
  mutating func appendLeaf(_ leaf: TreeHash, closing nodes: [TreeHash]) throws
}

/// The store of an in-memory log: one contiguous array per level.
public struct InMemoryNodeStore: MerkleNodeStore, Sendable {
  private var levels: [[TreeHash]] = []

  public init() {}

  public var leafCount: UInt64 { UInt64(levels.first?.count ?? 0) }

  public func node(level: Int, index: UInt64) throws -> TreeHash {
    guard level < levels.count, index < UInt64(levels[level].count) else {
      throw MerkleError.nodeMissing(level: level, index: index)
    }
    return levels[level][Int(index)]
  }

  public mutating func appendLeaf(_ leaf: TreeHash, closing nodes: [TreeHash]) {
    if levels.isEmpty { levels.append([]) }
    levels[0].append(leaf)
    for (offset, hash) in nodes.enumerated() {
      if levels.count <= offset + 1 { levels.append([]) }
      levels[offset + 1].append(hash)
    }
  }

  /// Reserves room for `leaves` more leaves on every level.
  public mutating func reserve(leaves: Int) {
    var width = leaves
    var level = 0
    while width > 0 {
      if levels.count <= level { levels.append([]) }
      levels[level].reserveCapacity(levels[level].count + width)
      width /= 2
      level += 1
    }
  }
}

/// Why a log operation or a proof was refused.
public enum MerkleError: Error, Equatable, Sendable {
  case nodeMissing(level: Int, index: UInt64)
  case indexOutOfRange(index: UInt64, size: UInt64)
  case sizeOutOfRange(size: UInt64, logSize: UInt64)
  case proofLengthWrong
  case rootMismatch
  case invalidSizes
}
