import Foundation
import Testing

@testable import ZhaocaiCrypto

@Suite struct ReceiptTests {
  let signer = try! NoteSigner(name: "trading.example/log", key: .init())

  func receipt(index: UInt64, of count: Int) throws -> Receipt {
    var log = MerkleLog()
    for i in 0..<count { try log.append(Array("event \(i)".utf8)) }
    let note = try signer.sign(
      Checkpoint(origin: signer.name, size: log.size, root: try log.root()))
    return Receipt(
      checkpoint: note, index: index, entry: Array("event \(index)".utf8),
      proof: try log.inclusionProof(index: index))
  }

  @Test func aReceiptVerifiesAgainstItsSignedCheckpoint() throws {
    let checkpoint = try receipt(index: 17, of: 30).verify(with: signer.verifier)
    #expect(checkpoint.size == 30)
    let decoded = try JSONDecoder().decode(
      Receipt.self, from: JSONEncoder().encode(try receipt(index: 0, of: 1)))
    #expect(try decoded.verify(with: signer.verifier).size == 1)
  }

  @Test func anyAlterationOrForeignKeyIsRefused() throws {
    let good = try receipt(index: 17, of: 30)
    var bad = good
    bad.entry = Data("event 18".utf8)
    #expect(throws: Receipt.Failure.proof(.rootMismatch)) { try bad.verify(with: signer.verifier) }
    bad = good
    bad.index = 16
    #expect(throws: Receipt.Failure.self) { try bad.verify(with: signer.verifier) }
    bad = good
    bad.proof[2] = TreeHash.leaf([9]).base64
    #expect(throws: Receipt.Failure.proof(.rootMismatch)) { try bad.verify(with: signer.verifier) }
    bad = good
    bad.checkpoint = good.checkpoint.replacingOccurrences(of: "\n30\n", with: "\n31\n")
    #expect(throws: Receipt.Failure.checkpoint(.signatureInvalid)) {
      try bad.verify(with: signer.verifier)
    }
    let stranger = try NoteSigner(name: "trading.example/log", key: .init())
    #expect(throws: Receipt.Failure.checkpoint(.noSignatureByKey("trading.example/log"))) {
      try good.verify(with: stranger.verifier)
    }
  }
}
