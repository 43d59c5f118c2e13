import Foundation
import Testing

@Suite struct BundleCommandTests {
  let manifest = """
    {"sectionID": "ZC-2026-0042-1", "bidderCreditCode": "91350100M000100Y43",
     "bidderName": "福建某建设有限公司", "priceFen": 4120000000, "durationDays": 365,
     "quality": "合格", "warrantyMonths": 24, "projectManagerID": "闽135000001"}
    """

  @Test func bundleAndUnbundleRoundTripWithTheManifestFilledIn() throws {
    let cli = try CommandRunner()
    defer { cli.remove() }
    try cli.write("manifest.json", Array(manifest.utf8))
    let technical = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    try cli.write("技术标.pdf", technical)
    try cli.write("商务标.pdf", Array("商务".utf8))
    let bundled = try cli.run(
      "bid", "bundle", "--manifest", "manifest.json", "--file", "技术标.pdf", "--file", "商务标.pdf",
      "--out", "bid.zcb")
    #expect(bundled.status == 0, "\(bundled.stderr)")

    let unbundled = try cli.run("bid", "unbundle", "--in", "bid.zcb", "--out", "opened")
    #expect(unbundled.status == 0, "\(unbundled.stderr)")
    #expect(try cli.read("opened/技术标.pdf") == technical)
    let printed =
      try JSONSerialization.jsonObject(with: Data(unbundled.stdout.utf8)) as? [String: Any]
    let documents = printed?["documents"] as? [[String: Any]]
    #expect(documents?.count == 2)
    #expect((documents?.first?["size"] as? Int) == 100_000)
    #expect((printed?["deviceFingerprint"] as? String)?.hasPrefix("sha256:") == true)
  }

  @Test func aBadCreditCodeOrAnAlteredDocumentIsRefused() throws {
    let cli = try CommandRunner()
    defer { cli.remove() }
    try cli.write("bad.json", Array(manifest.replacingOccurrences(of: "Y43", with: "Y44").utf8))
    try cli.write("a.pdf", [1, 2, 3])
    let badCode = try cli.run(
      "bid", "bundle", "--manifest", "bad.json", "--file", "a.pdf", "--out", "x.zcb")
    #expect(badCode.status != 0)
    #expect(badCode.stderr.contains("credit code"))
    #expect(!cli.exists("x.zcb"))

    try cli.write("manifest.json", Array(manifest.utf8))
    #expect(
      try cli.run(
        "bid", "bundle", "--manifest", "manifest.json", "--file", "a.pdf", "--out", "b.zcb"
      ).status == 0)
    var bytes = try cli.read("b.zcb")
    bytes[bytes.count - 1] ^= 0xff
    try cli.write("altered.zcb", bytes)
    let altered = try cli.run("bid", "unbundle", "--in", "altered.zcb", "--out", "out")
    #expect(altered.status == 1)
    #expect(altered.stderr.contains("SHA-256"))
    #expect(!cli.exists("out/a.pdf"))
  }
}
