import Foundation
import SQLKit
import Testing
import ZhaocaiCrypto
import ZhaocaiTestSupport

@testable import ZhaocaiStore

/// A restored log against the checkpoints the hub holds of it: the same history agrees, a
/// shorter one is missing what the hub saw, another history (or a forged checkpoint) differs,
/// and a note not signed with the platform's key proves nothing.
@Suite struct LogAuditTests {
  @Test(arguments: Backend.available)
  func aRestoredLogIsComparedWithEveryHeldCheckpoint(backend: Backend) async throws {
    let signer = try NoteSigner(name: "trading.fz.localhost/log", key: .init())
    let stranger = try NoteSigner(name: "trading.fz.localhost/log", key: .init())
    var full = MerkleLog()
    for index in 0..<7 { try full.append(Array("entry \(index)".utf8)) }
    func note(_ size: UInt64, root: TreeHash? = nil, by key: NoteSigner? = nil) throws -> String {
      try (key ?? signer).sign(
        Checkpoint(origin: signer.name, size: size, root: try root ?? full.root(size: size)))
    }
    let store = try await backend.open(.storage)
    _ = try await store.transaction {
      try await PersistentLog.append((0..<5).map { Array("entry \($0)".utf8) }, at: 1, on: $0)
    }
    let held = [
      try note(3), try note(5), try note(7), try note(4, root: try full.root(size: 2)),
      try note(2, by: stranger),
    ]
    let audit = try await store.read {
      try await LogAudit.run(against: held, verifier: signer.verifier, on: $0)
    }
    #expect(audit.localSize == 5 && audit.heldSize == 7)
    #expect(
      Array(audit.findings.prefix(4)) == [
        .agrees(size: 3), .agrees(size: 5), .missing(size: 7), .differs(size: 4),
      ])
    if case .unsigned = audit.findings.last {} else { Issue.record("a stranger's note was taken") }
    #expect(!audit.isConsistent && !audit.isComplete)

    let restored = try await store.read {
      try await LogAudit.run(against: Array(held.prefix(2)), verifier: signer.verifier, on: $0)
    }
    #expect(restored.isConsistent && restored.isComplete)

    // An entry altered in the database (its stored hashes left as they were): the tree rebuilt
    // from the entries has other roots.
    try await store.transaction {
      try await $0.raw("UPDATE log_entries SET entry = \(bind: Data("forged".utf8)) WHERE idx = 1")
        .run()
    }
    let forged = try await store.read {
      try await LogAudit.run(against: Array(held.prefix(2)), verifier: signer.verifier, on: $0)
    }
    #expect(forged.findings == [.altered(index: 1), .differs(size: 3), .differs(size: 5)])
    #expect(!forged.isConsistent)
    await store.close()
  }
}
