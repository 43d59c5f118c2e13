import Foundation
import Testing

@testable import ZhaocaiCrypto

/// The eight leaves of RFC 6962's reference test tree.
private let rfc6962Leaves: [[UInt8]] = [
  "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map { [UInt8](hex: $0)! }

/// MTH straight from the RFC's recursive definition, to check the stored-node shortcuts against.
private func referenceRoot(_ leaves: ArraySlice<[UInt8]>) -> TreeHash {
  if leaves.isEmpty { return .empty }
  if leaves.count == 1 { return TreeHash.leaf(leaves.first!) }
  let k = Int(largestPowerOfTwo(below: UInt64(leaves.count)))
  let start = leaves.startIndex
  return TreeHash.node(
    referenceRoot(leaves[start..<start + k]), referenceRoot(leaves[(start + k)...]))
}

private func flipped(_ hash: TreeHash, bit: Int) -> TreeHash {
  var copy = hash
  copy.bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
  return copy
}

@Suite struct MerkleLogTests {
  @Test func rfc6962TestTreeRoots() throws {
    var log = MerkleLog()
    for leaf in rfc6962Leaves { try log.append(leaf) }
    #expect(
      try log.root().description
        == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
    #expect(
      try log.root(size: 1).description
        == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    #expect(
      try log.root(size: 7).description
        == "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c")
    #expect(try log.root(size: 0) == TreeHash.empty)
    #expect(
      TreeHash.empty.description
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  @Test func everyProofOfSmallTreesVerifiesAndMatchesTheDefinition() throws {
    let leaves = (0..<70).map { [UInt8]("leaf \($0)".utf8) }
    var log = MerkleLog()
    for leaf in leaves { try log.append(leaf) }
    for size in 1...UInt64(leaves.count) {
      let root = try log.root(size: size)
      #expect(root == referenceRoot(leaves[0..<Int(size)]))
      for index in 0..<size {
        let proof = try log.inclusionProof(index: index, treeSize: size)
        try MerkleProof.verifyInclusion(
          leaf: TreeHash.leaf(leaves[Int(index)]), index: index, treeSize: size, proof: proof,
          root: root)
      }
      for old in 1...size {
        let proof = try log.consistencyProof(from: old, to: size)
        try MerkleProof.verifyConsistency(
          oldSize: old, newSize: size, oldRoot: try log.root(size: old), newRoot: root, proof: proof
        )
      }
    }
  }

  @Test func proofsAreRejectedAfterAnyChange() throws {
    var log = MerkleLog()
    for i in 0..<13 { try log.append([UInt8(i)]) }
    let root = try log.root()
    let leaf = TreeHash.leaf([5])
    let proof = try log.inclusionProof(index: 5)
    for i in proof.indices {
      for bit in 0..<256 {
        var bad = proof
        bad[i] = flipped(bad[i], bit: bit)
        #expect(throws: MerkleError.self) {
          try MerkleProof.verifyInclusion(
            leaf: leaf, index: 5, treeSize: 13, proof: bad, root: root)
        }
      }
    }
    // Sizes that change the proof's shape (a size of the same shape is bound by the checkpoint).
    for (index, size) in [(4, 13), (6, 13), (5, 6), (5, 8), (5, 17), (13, 13)] as [(UInt64, UInt64)]
    {
      #expect(throws: MerkleError.self) {
        try MerkleProof.verifyInclusion(
          leaf: leaf, index: index, treeSize: size, proof: proof, root: root)
      }
    }
    #expect(throws: MerkleError.self) {
      try MerkleProof.verifyInclusion(
        leaf: leaf, index: 5, treeSize: 13, proof: proof.dropLast(), root: root)
    }
    #expect(throws: MerkleError.self) {
      try MerkleProof.verifyInclusion(
        leaf: leaf, index: 5, treeSize: 13, proof: proof + [root], root: root)
    }
  }

  @Test func aRewrittenHistoryFailsConsistency() throws {
    var honest = MerkleLog()
    var forked = MerkleLog()
    for i in 0..<20 {
      try honest.append([UInt8(i)])
      try forked.append([UInt8(i == 7 ? 99 : i)])
    }
    let oldRoot = try honest.root(size: 10)
    let proof = try forked.consistencyProof(from: 10, to: 20)
    #expect(throws: MerkleError.rootMismatch) {
      try MerkleProof.verifyConsistency(
        oldSize: 10, newSize: 20, oldRoot: oldRoot, newRoot: try forked.root(), proof: proof)
    }
  }

  @Test func outOfRangeRequestsAreErrors() throws {
    var log = MerkleLog()
    for i in 0..<4 { try log.append([UInt8(i)]) }
    #expect(throws: MerkleError.indexOutOfRange(index: 4, size: 4)) {
      try log.inclusionProof(index: 4)
    }
    #expect(throws: MerkleError.sizeOutOfRange(size: 5, logSize: 4)) { try log.root(size: 5) }
    #expect(throws: MerkleError.invalidSizes) { try log.consistencyProof(from: 0, to: 4) }
  }
}

/// Real Certificate Transparency data: the argon2020 log's tree head, leaf 10,000, its audit path
/// and a consistency proof (Tests/Fixtures/tlog, as kept with Go's sumdb/tlog tests). Without the
/// fixtures these tests fail.
@Suite struct CertificateTransparencyTests {
  struct Fixture {
    let size: UInt64
    let root: TreeHash
    let leaf: TreeHash
    let auditPath: [TreeHash]
    let consistency: [TreeHash]
    // Go's sumdb/tlog test pins the argon2020 root at size 3,654,490 to this value.
    let oldRoot = TreeHash(base64: "AuIZ5V6sDUj1vn3Y1K85oOaQ7y+FJJKtyRTl1edIKBQ=")!
    let oldSize: UInt64 = 3_654_490

    init() throws {
      let sth = try Fixtures.json("tlog/sth.json")
      size = try #require(sth["tree_size"] as? NSNumber).uint64Value
      root = try #require((sth["sha256_root_hash"] as? String).flatMap { TreeHash(base64: $0) })
      let entries = try #require(
        try Fixtures.json("tlog/entries.json")["entries"] as? [[String: Any]])
      let input = try #require(
        (entries.first?["leaf_input"] as? String).flatMap { Data(base64Encoded: $0) })
      leaf = TreeHash.leaf(input)
      let path = try #require(try Fixtures.json("tlog/proof.json")["audit_path"] as? [String])
      auditPath = try path.map { try #require(TreeHash(base64: $0)) }
      let proof = try #require(
        try Fixtures.json("tlog/consistency.json")["consistency"] as? [String])
      consistency = try proof.map { try #require(TreeHash(base64: $0)) }
    }
  }

  @Test func inclusionOfLeaf10000InTheArgon2020Tree() throws {
    let f = try Fixture()
    #expect(f.size == 961_984_013)
    try MerkleProof.verifyInclusion(
      leaf: f.leaf, index: 10_000, treeSize: f.size, proof: f.auditPath, root: f.root)
    for i in f.auditPath.indices {
      for bit in 0..<256 {
        var bad = f.auditPath
        bad[i] = flipped(bad[i], bit: bit)
        #expect(throws: MerkleError.self) {
          try MerkleProof.verifyInclusion(
            leaf: f.leaf, index: 10_000, treeSize: f.size, proof: bad, root: f.root)
        }
      }
    }
    // Wrong sizes of another shape: a smaller top split, one more level, the leaf at the edge.
    for (index, size) in [
      (9_999, f.size), (10_001, f.size), (10_000 ^ (1 << 20), f.size), (10_000, 1 << 29),
      (10_000, (1 << 30) + 1), (10_000, 10_001),
    ] as [(UInt64, UInt64)] {
      #expect(throws: MerkleError.self) {
        try MerkleProof.verifyInclusion(
          leaf: f.leaf, index: index, treeSize: size, proof: f.auditPath, root: f.root)
      }
    }
  }

  @Test func consistencyFromSize3654490() throws {
    let f = try Fixture()
    try MerkleProof.verifyConsistency(
      oldSize: f.oldSize, newSize: f.size, oldRoot: f.oldRoot, newRoot: f.root, proof: f.consistency
    )
    for i in f.consistency.indices {
      for bit in 0..<256 {
        var bad = f.consistency
        bad[i] = flipped(bad[i], bit: bit)
        #expect(throws: MerkleError.self) {
          try MerkleProof.verifyConsistency(
            oldSize: f.oldSize, newSize: f.size, oldRoot: f.oldRoot, newRoot: f.root, proof: bad)
        }
      }
    }
    for (old, new) in [
      (f.oldSize - 1, f.size), (f.oldSize + 1, f.size), (f.oldSize, 1 << 29),
      (f.oldSize, (1 << 30) + 1),
    ] as [(UInt64, UInt64)] {
      #expect(throws: MerkleError.self) {
        try MerkleProof.verifyConsistency(
          oldSize: old, newSize: new, oldRoot: f.oldRoot, newRoot: f.root, proof: f.consistency)
      }
    }
  }
}

@Suite struct CheckpointTests {
  let signer = try! NoteSigner(name: "trading.example/log", key: .init())

  @Test func signedCheckpointRoundTripsInTheC2SPFormat() throws {
    let checkpoint = Checkpoint(
      origin: "trading.example/log", size: 42, root: TreeHash.leaf([1]),
      extensions: ["time 1795000000"])
    let note = try signer.sign(checkpoint)
    let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[0] == "trading.example/log")
    #expect(lines[1] == "42")
    #expect(lines[4] == "")
    #expect(lines[5].hasPrefix("\u{2014} trading.example/log "))
    let verifier = try NoteVerifier(verifierKey: signer.verifier.verifierKey)
    #expect(try verifier.open(note) == checkpoint)
  }

  @Test func alteredCheckpointsAndForeignKeysAreRefused() throws {
    let note = try signer.sign(Checkpoint(origin: "o", size: 7, root: TreeHash.leaf([2])))
    #expect(throws: CheckpointError.signatureInvalid) {
      try signer.verifier.open(note.replacingOccurrences(of: "\n7\n", with: "\n8\n"))
    }
    let stranger = try NoteSigner(name: "trading.example/log", key: .init())
    #expect(throws: CheckpointError.noSignatureByKey("trading.example/log")) {
      try stranger.verifier.open(note)
    }
    #expect(throws: CheckpointError.self) { try NoteVerifier(verifierKey: "a+00000000+AAAA") }
  }
}

@Suite struct PrefetchedNodeStoreTests {
  /// A log of 1…40 leaves, the same log served only the nodes each operation says it reads.
  @Test func operationsRunOnExactlyTheNodesTheyDeclare() throws {
    var full = MerkleLog()
    for i in 0..<40 { try full.append([UInt8(i)]) }
    func prefetched(_ operation: MerkleOperation, size: UInt64) throws -> MerkleLog<
      PrefetchedNodeStore
    > {
      var nodes: [NodeKey: TreeHash] = [:]
      for key in operation.nodesRead(logSize: size) {
        nodes[key] = try full.store.node(level: key.level, index: key.index)
      }
      return MerkleLog(store: PrefetchedNodeStore(leafCount: size, nodes: nodes))
    }
    for size in UInt64(1)...40 {
      #expect(try prefetched(.root(size: size), size: 40).root(size: size) == full.root(size: size))
      for index in 0..<size {
        let log = try prefetched(.inclusion(index: index, size: size), size: 40)
        #expect(
          try log.inclusionProof(index: index, treeSize: size)
            == full.inclusionProof(index: index, treeSize: size))
      }
      for old in 1...size {
        let log = try prefetched(.consistency(from: old, to: size), size: 40)
        #expect(
          try log.consistencyProof(from: old, to: size)
            == full.consistencyProof(from: old, to: size))
      }
    }
  }

  @Test func appendsOnPrefetchedNodesMatchTheFullLog() throws {
    var full = MerkleLog()
    for i in 0..<23 { try full.append([UInt8(i)]) }
    var nodes: [NodeKey: TreeHash] = [:]
    for key in MerkleOperation.append(count: 5).nodesRead(logSize: 23) {
      nodes[key] = try full.store.node(level: key.level, index: key.index)
    }
    var partial = MerkleLog(store: PrefetchedNodeStore(leafCount: 23, nodes: nodes))
    for i in 23..<28 {
      try full.append([UInt8(i)])
      try partial.append([UInt8(i)])
    }
    #expect(partial.size == 28)
    // 5 leaves, and the nodes that leaves 23, 25 and 27 close: 3 + 1 + 2.
    #expect(partial.store.appended.count == 5 + 6)
    for (key, hash) in partial.store.appended {
      #expect(try full.store.node(level: key.level, index: key.index) == hash)
    }
  }
}
