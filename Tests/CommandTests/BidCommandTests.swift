import Foundation
import Testing

/// The bidder's command in the exact forms the documentation promises.
@Suite struct BidCommandTests {
  let cli: CommandRunner
  let plaintext = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }

  init() throws {
    cli = try CommandRunner()
    try cli.write("bid.zip", plaintext)
  }

  func makeKeys(suite: String = "standard") throws {
    for name in ["A", "B", "C", "bidder"] {
      let result = try cli.run("keys", "generate", "--out", "keys/\(name)", "--suite", suite)
      #expect(result.status == 0, "\(result.stderr)")
    }
  }

  func seal(
    section: String = "SEC-1", holders: [String] = ["A", "B", "C"], threshold: String = "2",
    out: String = "bid.sealed"
  ) throws -> CommandRunner.Result {
    var arguments = [
      "bid", "seal", "--section", section, "--opening-time", "2026-12-15T09:00:00+08:00",
    ]
    for holder in holders { arguments += ["--holder", "keys/\(holder).pub"] }
    arguments += [
      "--threshold", threshold, "--signer", "keys/bidder.key", "--in", "bid.zip", "--out", out,
      "--raw",
    ]
    return try cli.run(arguments)
  }

  @Test func sealRefusesWhatIsNotABundleOfThisSectionAndBidder() throws {
    defer { cli.remove() }
    try makeKeys()
    func sealing(_ file: String) throws -> CommandRunner.Result {
      try cli.run(
        "bid", "seal", "--section", "SEC-1", "--opening-time", "2026-12-15T09:00:00+08:00",
        "--holder", "keys/A.pub", "--holder", "keys/B.pub", "--signer", "keys/bidder.key",
        "--bidder", "91350100MA0000001P", "--in", file, "--out", "bid.sealed")
    }
    // A plain file (before, sealed and accepted, and revoked at the opening).
    try cli.write("scan.pdf", Array("%PDF-1.7 扫描件".utf8))
    let plain = try sealing("scan.pdf")
    #expect(plain.status == 1)
    #expect(plain.stderr.contains("not a bid bundle") && plain.stderr.contains("bid bundle"))
    #expect(!cli.exists("bid.sealed"))
    func bundle(section: String, bidder: String) throws {
      try cli.write(
        "manifest.json",
        Array(
          #"{"sectionID":"\#(section)","bidderCreditCode":"\#(bidder)","bidderName":"示范","priceFen":100,"durationDays":30,"quality":"合格","warrantyMonths":12,"projectManagerID":"PM"}"#
            .utf8))
      try cli.write("技术标.txt", Array("施工方案".utf8))
      let made = try cli.run(
        "bid", "bundle", "--manifest", "manifest.json", "--file", "技术标.txt", "--out", "bid.zcb")
      #expect(made.status == 0, "\(made.stderr)")
    }
    try bundle(section: "SEC-2", bidder: "91350100MA0000001P")
    let otherSection = try sealing("bid.zcb")
    #expect(otherSection.status == 1 && otherSection.stderr.contains("for section SEC-2"))
    try bundle(section: "SEC-1", bidder: "91350100MA0000002T")
    let otherBidder = try sealing("bid.zcb")
    #expect(otherBidder.status == 1 && otherBidder.stderr.contains("names bidder"))
    try bundle(section: "SEC-1", bidder: "91350100MA0000001P")
    let sealed = try sealing("bid.zcb")
    #expect(sealed.status == 0, "\(sealed.stderr)")
  }

  @Test(arguments: ["standard", "sm"])
  func sealVerifyAndOpenWithAnyTwoHolderKeys(suite: String) throws {
    defer { cli.remove() }
    try makeKeys(suite: suite)
    let sealed = try seal()
    #expect(sealed.status == 0, "\(sealed.stderr)")
    let hash = sealed.stdout.trimmingCharacters(in: .newlines)
    #expect(hash.hasPrefix(suite == "sm" ? "sm3:" : "sha256:") && hash.count > 64)

    let verified = try cli.run("bid", "verify", "--in", "bid.sealed", "--signer", "keys/bidder.pub")
    #expect(verified.status == 0)
    #expect(verified.stdout.trimmingCharacters(in: .newlines) == hash)

    for pair in [("A", "B"), ("C", "A")] {
      let opened = try cli.run(
        "bid", "open", "--in", "bid.sealed", "--holder-key", "keys/\(pair.0).key",
        "--holder-key", "keys/\(pair.1).key", "--out", "opened.zip")
      #expect(opened.status == 0, "\(opened.stderr)")
      #expect(try cli.read("opened.zip") == plaintext)
    }
  }

  @Test func refusalsExitWithTheirDocumentedCodesAndLeaveNoOutput() throws {
    defer { cli.remove() }
    try makeKeys()
    #expect(try seal().status == 0)

    let oneKey = try cli.run(
      "bid", "open", "--in", "bid.sealed", "--holder-key", "keys/A.key", "--out", "x.zip")
    #expect(oneKey.status == 2)
    #expect(oneKey.stderr.contains("1 holder share(s) given, 2 needed"))
    let notHolder = try cli.run(
      "bid", "open", "--in", "bid.sealed", "--holder-key", "keys/A.key", "--holder-key",
      "keys/bidder.key",
      "--out", "x.zip")
    #expect(notHolder.status == 2)
    #expect(notHolder.stderr.contains("not one of the envelope's key holders"))

    let wrongSigner = try cli.run("bid", "verify", "--in", "bid.sealed", "--signer", "keys/A.pub")
    #expect(wrongSigner.status == 1)
    #expect(wrongSigner.stderr.contains("signed by a different key"))

    var tampered = try cli.read("bid.sealed")
    tampered[tampered.count / 2] ^= 0x40
    try cli.write("bad.sealed", tampered)
    let badVerify = try cli.run(
      "bid", "verify", "--in", "bad.sealed", "--signer", "keys/bidder.pub")
    #expect(badVerify.status == 1)
    #expect(badVerify.stderr.contains("signature over the envelope hash is invalid"))
    let badOpen = try cli.run(
      "bid", "open", "--in", "bad.sealed", "--holder-key", "keys/A.key", "--holder-key",
      "keys/B.key",
      "--out", "x.zip")
    #expect(badOpen.status == 1)
    #expect(badOpen.stderr.contains("fails authentication"))
    #expect(!cli.exists("x.zip"))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).allSatisfy {
        !$0.contains("partial")
      })

    let cut = try cli.read("bid.sealed")
    try cli.write("cut.sealed", Array(cut.prefix(cut.count - 100)))
    let truncated = try cli.run(
      "bid", "verify", "--in", "cut.sealed", "--signer", "keys/bidder.pub")
    #expect(truncated.status == 1)
    #expect(truncated.stderr.contains("truncated"))

    let section = try cli.run(
      "bid", "verify", "--in", "bid.sealed", "--signer", "keys/bidder.pub", "--section", "SEC-2")
    #expect(section.status == 1)
    #expect(section.stderr.contains("section 'SEC-1', not 'SEC-2'"))

    let missing = try cli.run(
      "bid", "verify", "--in", "nothing.sealed", "--signer", "keys/bidder.pub")
    #expect(missing.status == 3)

    #expect(try seal(threshold: "4", out: "t.sealed").status == 64)
    #expect(!cli.exists("t.sealed"))
    let badTime = try cli.run([
      "bid", "seal", "--section", "S", "--opening-time", "tomorrow", "--holder", "keys/A.pub",
      "--holder", "keys/B.pub", "--signer", "keys/bidder.key", "--in", "bid.zip", "--out",
      "t.sealed", "--raw",
    ])
    #expect(badTime.status == 64)
    #expect(badTime.stderr.contains("ISO 8601"))
    // Every error is one line on stderr.
    for result in [
      oneKey, notHolder, wrongSigner, badVerify, badOpen, truncated, section, missing, badTime,
    ] {
      #expect(result.stderr.split(separator: "\n").count == 1 || result.stderr.contains("Usage"))
    }
  }

  @Test func keyGenerationNeverOverwritesAPrivateKeySilently() throws {
    defer { cli.remove() }
    try makeKeys()
    let before = try cli.read("keys/A.key")
    let again = try cli.run("keys", "generate", "--out", "keys/A")
    #expect(again.status == 3)
    #expect(try cli.read("keys/A.key") == before)
    let attributes = try FileManager.default.attributesOfItem(atPath: cli.path("keys/A.key"))
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
  }

  @Test func helpDocumentsTheExitCodes() throws {
    defer { cli.remove() }
    let help = try cli.run("bid", "open", "--help")
    #expect(help.stdout.contains("Exit codes"))
    #expect(help.stdout.contains("64"))
    #expect(try cli.run("bid", "seal", "--help").stdout.contains("not a bid bundle"))
    // Each command its own table: the envelope's is not the server's or the keys'.
    let serve = try cli.run("serve", "--help").stdout
    #expect(!serve.contains("envelope refused") && serve.contains("stopped by SIGINT or SIGTERM"))
    #expect(try cli.run("demo", "--help").stdout.contains("a step was refused or a check failed"))
    #expect(try cli.run("bid", "submit", "--help").stdout.contains("69  the platform cannot be"))
    let keys = try cli.run("keys", "generate", "--help").stdout
    #expect(keys.contains("Exit codes") && !keys.contains("envelope refused"))
  }
}
