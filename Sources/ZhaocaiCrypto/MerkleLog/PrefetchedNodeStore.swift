/// The position of one stored node: the subtree of 2^level leaves starting at index · 2^level.
public struct NodeKey: Hashable, Sendable {
  public let level: Int
  public let index: UInt64

  public init(level: Int, index: UInt64) {
    self.level = level
    self.index = index
  }

  /// Whether a log of `size` leaves already has this node.
  func exists(inLogOf size: UInt64) -> Bool {
    level < 64 && (index + 1) <= size >> UInt64(level)
  }
}

/// A log operation whose node reads can be predicted, so a database-backed log can fetch them
/// in one query before running the synchronous algorithm.
public enum MerkleOperation: Sendable {
  case append(count: Int)
  case root(size: UInt64)
  case inclusion(index: UInt64, size: UInt64)
  case consistency(from: UInt64, to: UInt64)
}

/// A node store that serves a known set of nodes and keeps what is appended.
///
/// The algorithms' control flow never depends on hash values, so running an operation over
/// placeholders (`MerkleOperation.nodesRead(logSize:)`) tells exactly which nodes to fetch.
public struct PrefetchedNodeStore: MerkleNodeStore, Sendable {
  public private(set) var leafCount: UInt64
  private var nodes: [NodeKey: TreeHash]
  /// Nodes created by appends since this store was made, in order.
  public private(set) var appended: [(key: NodeKey, hash: TreeHash)] = []

  public init(leafCount: UInt64, nodes: [NodeKey: TreeHash]) {
    self.leafCount = leafCount
    self.nodes = nodes
  }

  public func node(level: Int, index: UInt64) throws -> TreeHash {
    guard let hash = nodes[NodeKey(level: level, index: index)] else {
      throw MerkleError.nodeMissing(level: level, index: index)
    }
    return hash
  }

  public mutating func appendLeaf(_ leaf: TreeHash, closing closed: [TreeHash]) {
    let index = leafCount
    var created = [(NodeKey(level: 0, index: index), leaf)]
    for (offset, hash) in closed.enumerated() {
      created.append((NodeKey(level: offset + 1, index: index >> UInt64(offset + 1)), hash))
    }
    for (key, hash) in created {
      nodes[key] = hash
      appended.append((key, hash))
    }
    leafCount += 1
  }
}

extension MerkleOperation {
  /// The nodes of a log of `logSize` leaves that this operation reads.
  public func nodesRead(logSize: UInt64) -> Set<NodeKey> {
    let recorder = ReadRecorder()
    var log = MerkleLog(store: RecordingNodeStore(leafCount: logSize, recorder: recorder))
    switch self {
    case .append(let count):
      for _ in 0..<count { _ = try? log.appendLeafHash(TreeHash(bytes: .zero)) }
    case .root(let size):
      _ = try? log.root(size: size)
    case .inclusion(let index, let size):
      _ = try? log.inclusionProof(index: index, treeSize: size)
    case .consistency(let from, let to):
      _ = try? log.consistencyProof(from: from, to: to)
    }
    return recorder.keys.filter { $0.exists(inLogOf: logSize) }
  }
}

/// Collects node reads; a reference so the non-mutating `node(level:index:)` can record.
private final class ReadRecorder {
  var keys: Set<NodeKey> = []
}

/// Answers every read with a placeholder and remembers it.
private struct RecordingNodeStore: MerkleNodeStore {
  var leafCount: UInt64
  let recorder: ReadRecorder

  func node(level: Int, index: UInt64) throws -> TreeHash {
    recorder.keys.insert(NodeKey(level: level, index: index))
    return TreeHash(bytes: .zero)
  }

  mutating func appendLeaf(_ leaf: TreeHash, closing nodes: [TreeHash]) { leafCount += 1 }
}
