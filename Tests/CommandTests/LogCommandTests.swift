import Foundation
import Testing
import ZhaocaiCrypto

@Suite struct LogCommandTests {
  @Test func logVerifyAcceptsAGoodReceiptAndRefusesAnAlteredOne() throws {
    let cli = try CommandRunner()
    defer { cli.remove() }
    let signer = try NoteSigner(name: "trading.test/log", key: .init())
    var log = MerkleLog()
    let hash = "sha256:" + String(repeating: "ab", count: 32)
    for i in 0..<9 { try log.append(Array(#"{"envelopeHash":"\#(i == 4 ? hash : "x")"}"#.utf8)) }
    let receipt = Receipt(
      checkpoint: try signer.sign(Checkpoint(origin: signer.name, size: 9, root: try log.root())),
      index: 4, entry: Array(#"{"envelopeHash":"\#(hash)"}"#.utf8),
      proof: try log.inclusionProof(index: 4))
    try cli.write("receipt.json", Array(try JSONEncoder().encode(receipt)))

    let key = signer.verifier.verifierKey
    let ok = try cli.run(
      "log", "verify", "--receipt", "receipt.json", "--key", key, "--envelope-hash", hash)
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout.hasPrefix("trading.test/log 9 "))

    let otherHash = try cli.run(
      "log", "verify", "--receipt", "receipt.json", "--key", key, "--envelope-hash", "sha256:00")
    #expect(otherHash.status == 1)

    var altered = receipt
    altered.index = 5
    try cli.write("bad.json", Array(try JSONEncoder().encode(altered)))
    let bad = try cli.run("log", "verify", "--receipt", "bad.json", "--key", key)
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("not in the log"))

    let foreign = try NoteSigner(name: "trading.test/log", key: .init()).verifier.verifierKey
    let wrongKey = try cli.run("log", "verify", "--receipt", "receipt.json", "--key", foreign)
    #expect(wrongKey.status == 1)
    #expect(
      try cli.run("log", "verify", "--receipt", "receipt.json", "--key", "nonsense").status == 64)
  }
}
