import Foundation
import Testing
import ZhaocaiTestSupport

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The README's bidder path against `serve --demo`: three commands per bid — `bidder sign-in`,
/// `bid bundle`, `bid submit` — with nothing made by hand, and the bid then opened.
extension ServeCommandTests {
  @Test func aBidderSubmitsWithThreeCommandsAndTheBidOpens() async throws {
    let ports = try freePorts(4)
    let (process, _, printed) = try started(
      [
        "serve", "--demo", "--port", "\(ports[0])", "--second-port", "\(ports[1])", "--hub-port",
        "\(ports[2])", "--supervision-port", "\(ports[3])",
      ], until: "All platforms are serving")
    defer { stop(process) }
    let data = try #require(
      printed.split(separator: "\n").first { $0.contains("data in ") }?.components(
        separatedBy: "data in "
      ).last)
    let platform = "http://127.0.0.1:\(ports[0])"
    let section = "DEMO-2026-001-1"
    let cli = try CommandRunner()
    defer { cli.remove() }
    try cli.write("技术标.txt", Array("施工组织设计：……".utf8))

    // Three bidders, three commands each (条例44 needs three to open).
    let prices = ["2980000.00", "3100000", "3,050,000.5"]
    for (index, price) in prices.enumerated() {
      let session = cli.path("session\(index + 1).json")
      let signIn = try cli.run(
        "bidder", "sign-in", "--platform", platform, "--key", "\(data)/bidder\(index + 1).key",
        "--session", session)
      #expect(signIn.status == 0, "\(signIn.stderr)")
      #expect(signIn.stdout.hasPrefix("signed in to \(platform)/api/v1 as "))
      let bundle = try cli.run(
        "bid", "bundle", "--session", session, "--section", section, "--price", price,
        "--duration-days", "300", "--project-manager", "闽13500000\(index + 1)", "--file",
        cli.path("技术标.txt"), "--out", cli.path("bid\(index + 1).zcb"))
      #expect(bundle.status == 0, "\(bundle.stderr)")
      let submit = try cli.run(
        "bid", "submit", "--session", session, "--section", section, "--in",
        cli.path("bid\(index + 1).zcb"))
      #expect(submit.status == 0, "\(submit.stderr)")
      #expect(submit.stdout.contains("bid received: section \(section), envelope sha256:"))
      #expect(
        submit.stdout.contains("verified with the log key registered at the hub (trading.fz)"))
      #expect(cli.exists("bid\(index + 1).receipt.json"))
    }

    // The receipt checks offline too, with the key the demo printed.
    let key = try #require(
      printed.split(separator: "\n").first { $0.contains("trading.fz.localhost/log+") }?
        .split(separator: " ").last.map(String.init))
    let verified = try cli.run(
      "log", "verify", "--receipt", cli.path("bid1.receipt.json"), "--key", key)
    #expect(verified.status == 0, "\(verified.stderr)")

    // A plain file is refused before anything is uploaded; the bid stays.
    let plain = try cli.run(
      "bid", "submit", "--session", cli.path("session1.json"), "--section", section, "--in",
      cli.path("技术标.txt"))
    #expect(plain.status == 1)
    #expect(plain.stderr.contains("is neither a bid bundle nor an envelope"))
    let status = try cli.run("bid", "status", "--session", cli.path("session1.json"))
    #expect(status.status == 0)
    #expect(status.stdout.contains("\(section)\tbidding\t"))
    #expect(status.stdout.contains("sha256:"))

    // The deadline passes on the sandbox clock; two holders release; the tenderer opens.
    let sandboxToken = try String(contentsOfFile: data + "/sandbox-admin.token", encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let (_, clock) = try await get("http://127.0.0.1:\(ports[2])/api/v1/sandbox/clock")
    let now = try #require((clock as? [String: Any])?["nowSeconds"] as? Int)
    let (_, view) = try await get("\(platform)/api/v1/sections/\(section)")
    let deadlineText = try #require(
      ((view as? [String: Any])?["schedule"] as? [String: Any])?["bidDeadline"] as? String)
    let deadline = Int(
      try #require(ISO8601DateFormatter().date(from: deadlineText)).timeIntervalSince1970)
    let (moved, _) = try await request(
      "POST", "http://127.0.0.1:\(ports[2])/api/v1/sandbox/clock", token: sandboxToken,
      json: ["advanceSeconds": deadline - now + 60])
    #expect(moved == 200)
    for holder in ["platform", "tenderer-holder"] {
      let released = try CommandRunner.execute(
        CommandRunner.binary,
        [
          "holder", "release", "--platform", platform + "/api/v1", "--section", section, "--name",
          holder, "--key", "\(data)/fz/holder-\(holder).key",
        ], environment: ["ZHAOCAI_PASSWORD": "zhaocai-demo"])
      #expect(released.status == 0, "\(released.stderr)")
    }
    let tenderer = try cli.run(
      "bidder", "sign-in", "--role", "tenderer", "--platform", platform, "--key",
      "\(data)/tenderer.key", "--session", cli.path("tenderer.json"))
    #expect(tenderer.status == 0, "\(tenderer.stderr)")
    let tendererSession =
      try JSONSerialization.jsonObject(with: Data(cli.read("tenderer.json"))) as? [String: Any]
    let (opened, record) = try await request(
      "POST", "\(platform)/api/v1/sections/\(section)/opening",
      token: tendererSession?["token"] as? String)
    #expect(opened == 200, "\(String(describing: record))")
    let announced = (record as? [[String: Any]] ?? []).compactMap { $0["priceFen"] as? Int }
    #expect(announced.sorted() == [298_000_000, 305_000_050, 310_000_000])

    // The bidder sees its bid opened at its price (signed in again: the clock moved by weeks).
    _ = try cli.run(
      "bidder", "sign-in", "--platform", platform, "--key", "\(data)/bidder1.key", "--session",
      cli.path("session1.json"))
    let after = try cli.run(
      "bid", "status", "--session", cli.path("session1.json"), "--section", section)
    #expect(after.status == 0, "\(after.stderr)")
    #expect(after.stdout.contains("at the opening: opened (已开启), price ¥2,980,000.00"))
  }

  @Test func bidCommandsSayWhatToDoWithoutASession() throws {
    let cli = try CommandRunner()
    defer { cli.remove() }
    let missing = try cli.run(
      "bid", "submit", "--session", cli.path("none.json"), "--section", "S1", "--in", "x.zcb")
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("not signed in: run `zhaocai bidder sign-in"))
    let noKey = try cli.run(
      "bidder", "sign-in", "--platform", "http://127.0.0.1:9", "--key", cli.path("k.key"),
      "--session", cli.path("s.json"))
    #expect(noKey.status == 3, "\(noKey.stderr)")
    #expect(noKey.stderr.contains("cannot read \(cli.path("k.key"))"))
    #expect(try cli.run("keys", "generate", "--out", cli.path("k")).status == 0)
    try cli.write("k.pem", Array("-----BEGIN CERTIFICATE-----\n".utf8))
    let unreachable = try cli.run(
      "bidder", "sign-in", "--platform", "http://127.0.0.1:9", "--key", cli.path("k.key"),
      "--session", cli.path("s.json"))
    #expect(unreachable.status == 69, "\(unreachable.stderr)")
    #expect(unreachable.stderr.contains("cannot reach http://127.0.0.1:9/api/v1"))
    #expect(!cli.exists("s.json"))
  }
}
