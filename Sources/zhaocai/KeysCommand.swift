import ArgumentParser
import Foundation
import ZhaocaiCrypto

/// `zhaocai keys`: key pairs for bidders and key holders.
struct Keys: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Make key pairs for bidders and key holders.", subcommands: [Generate.self])

  struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write NAME.key (private, mode 600) and NAME.pub (to hand out).",
      discussion: ExitStatus.fileHelp)

    @Option(help: "DIR/NAME: the files are DIR/NAME.key and DIR/NAME.pub.")
    var out: String

    @Option(help: "standard (X25519, Ed25519/P-256) or sm (SM2).")
    var suite: String = "standard"

    @Option(help: "Signature algorithm of the standard suite: ed25519 or p256.")
    var signature: String?

    @Option(help: "The party's id written into the files (default: NAME).")
    var id: String?

    @Flag(help: "Replace existing key files (the old private key is lost).")
    var force = false

    func run() throws {
      do {
        guard let cipherSuite = CipherSuite(name: suite) else {
          throw ValidationError("--suite must be standard or sm")
        }
        var algorithm: SignatureAlgorithm?
        if let signature {
          guard let parsed = SignatureAlgorithm(name: signature) else {
            throw ValidationError("--signature must be ed25519, p256 or sm2")
          }
          algorithm = parsed
        }
        if !force, FileManager.default.fileExists(atPath: out + ".key") {
          throw CommandFailure(
            english: "\(out).key exists; keep it, or pass --force to replace it",
            chinese: "密钥文件 \(out).key 已存在，如需替换请加 --force", code: ExitStatus.fileProblem)
        }
        let name = URL(fileURLWithPath: out).lastPathComponent
        let keys = try PrivateKeyFile.generate(
          id: id ?? name, suite: cipherSuite, signature: algorithm)
        try writeFile(Data(keys.text.utf8), to: out + ".key", mode: 0o600)
        try writeFile(Data(keys.publicKeys.text.utf8), to: out + ".pub", mode: 0o644)
        print("\(out).key")
        print("\(out).pub")
      } catch {
        throw ExitStatus.fail(error)
      }
    }
  }
}
