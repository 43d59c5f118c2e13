import ArgumentParser

/// `zhaocai serve`: the platforms' server. None of the platforms exists yet, so it says so.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the platforms (trading, hub, supervision) on loopback.")

  @Flag(help: "Run all platforms with SQLite and demo data.") var demo = false

  func run() throws {
    print(
      """
      Zhaocai (招采): the platforms are not built yet — the trading platform, the public service
      hub and the supervision platform come next (see README.md, "Status").

      Available now:
        zhaocai keys generate --out DIR/NAME [--suite standard|sm]
        zhaocai bid seal | verify | open      (sealed bids, docs/ENVELOPE.md)
        zhaocai bench opening | log           (docs/PERFORMANCE.md)
      """)
  }
}
