import Foundation
import Testing

/// An independent reader written from docs/ENVELOPE.md alone (scripts/interop, Python) must
/// verify and decrypt what `zhaocai bid seal` makes: the document is enough to interoperate.
@Suite struct EnvelopeInteropTests {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/interop/envelope_reader.py")

  @Test(arguments: ["ed25519", "p256"])
  func anIndependentReaderOpensWhatTheCommandSeals(signature: String) throws {
    let cli = try CommandRunner()
    defer { cli.remove() }
    for name in ["A", "B", "C"] { try cli.run("keys", "generate", "--out", name) }
    try cli.run("keys", "generate", "--out", "bidder", "--signature", signature)
    let plaintext = (0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
    try cli.write("bid.zip", plaintext)
    let sealed = try cli.run(
      "bid", "seal", "--section", "S1", "--opening-time", "2026-12-15T09:00:00+08:00",
      "--holder", "A.pub", "--holder", "B.pub", "--holder", "C.pub", "--threshold", "2",
      "--signer", "bidder.key", "--in", "bid.zip", "--out", "bid.sealed", "--raw")
    #expect(sealed.status == 0)
    let opened = try cli.run(
      "bid", "open", "--in", "bid.sealed", "--holder-key", "B.key", "--holder-key", "C.key",
      "--out", "opened.zip")
    let key = try #require(
      opened.stderr.components(separatedBy: "bid key ").last?.trimmingCharacters(
        in: .whitespacesAndNewlines))

    let python = try runPython([
      cli.path("bid.sealed"), cli.path("bidder.pub"), key, cli.path("py.zip"),
    ])
    #expect(python.status == 0, "\(python.stderr)")
    #expect(python.stdout == sealed.stdout)
    #expect(try cli.read("py.zip") == plaintext)

    var tampered = try cli.read("bid.sealed")
    tampered[tampered.count - 70] ^= 1
    try cli.write("bad.sealed", tampered)
    let refused = try runPython([
      cli.path("bad.sealed"), cli.path("bidder.pub"), key, cli.path("x.zip"),
    ])
    #expect(refused.status == 1)
  }

  private func runPython(_ arguments: [String]) throws -> CommandRunner.Result {
    try CommandRunner.execute(
      URL(fileURLWithPath: "/usr/bin/env"), ["python3", Self.script.path] + arguments)
  }
}
