import ArgumentParser
import Foundation
import TradingClient
import ZhaocaiCrypto

/// `zhaocai bidder`: a bidder's session at a trading platform, for the bid commands.
struct Bidder: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Sign a bidder in to a trading platform with its certificate, or out.",
    subcommands: [SignIn.self, SignOut.self])

  /// The exit codes of the commands that talk to a platform.
  static let exitHelp = """
    Exit codes:
      0   success
      1   refused: by the platform (its code and message are printed),
          or by this tool's own checks; also when not signed in
      3   a file cannot be read or written, or a key file is invalid
      64  wrong command line (a missing or malformed option)
      69  the platform cannot be reached (EX_UNAVAILABLE)
    """

  struct SignIn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sign-in",
      abstract: "Sign in with the party's certificate; keeps the session for `zhaocai bid`.",
      discussion: "Proves the key by signing the platform's one-time challenge on this machine; "
        + "the key never leaves it. The session (token, platform, the key file's path) is kept "
        + "in --session, else $ZHAOCAI_SESSION, else ~/.config/zhaocai/session.json, readable "
        + "by you only.\n\n" + Bidder.exitHelp)

    @Option(help: "The trading platform, e.g. http://127.0.0.1:8080.") var platform: String
    @Option(help: "The party's .key file (made with its certificate at registration).")
    var key: String
    @Option(help: "The party's certificate (PEM); default: the key file's name with .pem.")
    var certificate: String?
    @Option(help: "As which role to sign in: bidder, tenderer or agency.") var role = "bidder"
    @Option(help: "Where to keep the session.") var session: String?

    func run() async throws {
      let client = BidderClient(platform: platform)
      do {
        let keys = try PrivateKeyFile(text: readText(key))
        let certificatePath =
          certificate ?? (URL(fileURLWithPath: key).deletingPathExtension().path + ".pem")
        let pem = try readText(certificatePath)
        let signedIn = try await client.signIn(certificate: pem, key: keys.signing, role: role)
        let kept = BidderSession(
          platform: client.platform, token: signedIn.token, expiresAt: signedIn.expiresAt,
          account: signedIn.account, name: signedIn.name, creditCode: signedIn.creditCode,
          key: URL(fileURLWithPath: key).standardizedFileURL.path)
        try kept.save(session)
        print(
          "signed in to \(client.platform) as \(signedIn.name) (\(signedIn.creditCode)) until "
            + "\(ISO8601DateFormatter().string(from: signedIn.expiresAt))")
      } catch {
        throw ExitStatus.fail(bidderFailure(error, platform: client.platform))
      }
    }
  }

  struct SignOut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sign-out", abstract: "End the session at the platform and forget it.",
      discussion: Bidder.exitHelp)

    @Option(help: "The session file (as for sign-in).") var session: String?

    func run() async throws {
      do {
        let kept = try BidderSession.load(session)
        // An expired or already ended session is as good as signed out.
        do {
          try await kept.client.signOut()
        } catch let refusal as BidderClient.Refusal where refusal.status == 401 {}
        try? FileManager.default.removeItem(atPath: BidderSession.path(session))
        print("signed out of \(kept.platform)")
      } catch {
        throw ExitStatus.fail(bidderFailure(error, platform: "the platform"))
      }
    }
  }
}
