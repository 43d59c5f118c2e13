import ArgumentParser

/// The `zhaocai` command: the bidder's tool today, the platforms' server later.
@main
struct Zhaocai: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "zhaocai",
    abstract: "Zhaocai (招采) electronic tendering: sealed bids, tamper-evident logs, platforms.",
    discussion: ExitStatus.rootHelp,
    subcommands: [
      Keys.self, Bidder.self, Bid.self, Holder.self, Log.self, Bench.self, Serve.self, Demo.self,
      Export.self,
      Screen.self,
      Experts.self,
    ])
}
