import ArgumentParser
import Foundation
import TradingClient
import ZhaocaiCrypto
import ZhaocaiExchange

/// `zhaocai holder`: what an opening key holder does with its private key.
struct Holder: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Act as an opening key holder of a trading platform.", subcommands: [Release.self])

  struct Release: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "After the deadline, open this holder's shares of every bid and send them.",
      discussion: "Downloads each envelope of the section, opens the share sealed to this "
        + "holder's key on this machine, checks it against the envelope, and posts the shares. "
        + "The private key never leaves the machine.\n\n" + ExitStatus.help)

    @Option(help: "The trading platform's API base, e.g. http://127.0.0.1:8080/api/v1.")
    var platform: String
    @Option(help: "The section id.") var section: String
    @Option(help: "This holder's name in the notice, which is also its account.") var name: String
    @Option(help: "This holder's .key file.") var key: String
    @Option(
      help:
        "A file holding the account's password (else the ZHAOCAI_PASSWORD environment variable)."
    )
    var passwordFile: String?

    func run() async throws {
      do {
        let keys = try PrivateKeyFile(text: readText(key))
        let password =
          try passwordFile.map { try readText($0).trimmingCharacters(in: .newlines) }
          ?? ProcessInfo.processInfo.environment["ZHAOCAI_PASSWORD"]
        guard let password else {
          throw CommandFailure(
            english: "give the account's password with --password-file or ZHAOCAI_PASSWORD",
            chinese: "请提供账号密码", code: .validationFailure)
        }
        let released = try await KeyHolderClient(
          platform: platform, name: name, keys: keys, password: password
        ).release(section: section)
        print("released \(released) share(s) of section \(section) as \(name)")
      } catch let refused as KeyHolderClient.Refusal {
        throw ExitStatus.fail(
          CommandFailure(
            english: "\(refused.code): \(refused.english)", chinese: refused.chinese,
            code: ExitStatus.refused))
      } catch {
        throw ExitStatus.fail(error)
      }
    }
  }
}
