import ArgumentParser
import Crypto
import Foundation
import ZhaocaiCrypto
import ZhaocaiExchange

/// `zhaocai experts`: checks the hub's expert draws.
struct Experts: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check the hub's expert draws.", subcommands: [Verify.self])

  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Recompute a draw from its record: the same seed, pool and request must give the same committee.",
      discussion: "The record is what POST /experts/draws answered (or the hub keeps).\n\n"
        + ExitStatus.fileHelp)

    @Option(help: "The draw's record (JSON).") var draw: String
    @Option(help: "The hub's log verifier key: also check the checkpoint the seed came from.")
    var hubKey: String?
    @Option(help: "The requesting platform's Ed25519 public key (base64): also check its request.")
    var platformKey: String?

    func run() throws {
      do {
        let record: VerifiableDraw
        do {
          record = try JSONDecoder().decode(VerifiableDraw.self, from: try readData(draw))
        } catch let failure as CommandFailure {
          throw failure
        } catch {
          throw CommandFailure(
            english: "\(draw) is not a draw record", chinese: "抽取记录格式错误", code: ExitStatus.refused)
        }
        if let hubKey {
          _ = try NoteVerifier(verifierKey: hubKey).open(record.checkpoint)
        }
        let key = try platformKey.map { text -> Curve25519.Signing.PublicKey in
          guard let raw = Data(base64Encoded: text) else {
            throw ValidationError("--platform-key is not base64")
          }
          return try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        }
        guard try record.recomputes(requestedBy: key) else {
          throw CommandFailure(
            english: "the draw does not recompute: the record was altered or the draw was not fair",
            chinese: "抽取结果无法复现", code: ExitStatus.refused)
        }
        print("drawn: \(record.drawn.joined(separator: " "))")
        print("recused: \(record.recused.joined(separator: " "))")
        writeStandardError("the draw recomputes from its seed, pool and request")
      } catch {
        throw ExitStatus.fail(error)
      }
    }
  }
}
