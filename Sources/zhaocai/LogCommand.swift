import ArgumentParser
import Foundation
import ZhaocaiCrypto

/// `zhaocai log`: checks receipts and records against a platform's log, offline.
struct Log: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check receipts against a platform's signed log checkpoints.",
    subcommands: [Verify.self, Check.self])

  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Check a receipt, or a section's archive, against the platform's signed checkpoint.",
      discussion: "With --receipt: the checkpoint's signature and the entry's inclusion proof. "
        + "With --archive: every logged event of the section, every file's hash, and that each "
        + "file is named by a logged event. Prints the checkpoint (origin, size, root).\n\n"
        + ExitStatus.fileHelp)

    @Option(help: "The receipt (JSON) the platform returned.") var receipt: String?
    @Option(help: "A section's archive file (GET /sections/{id}/archive).") var archive: String?
    @Option(help: "The platform's log verifier key (name+hash+base64), from the hub or notice.")
    var key: String
    @Option(help: "Also require the entry to name this envelope hash (sha256:HEX).")
    var envelopeHash: String?

    func validate() throws {
      guard (receipt == nil) != (archive == nil) else {
        throw ValidationError("give either --receipt or --archive")
      }
    }

    func run() throws {
      do {
        if let archive { return try verifyArchive(archive) }
        let receipt = self.receipt!
        let data = try readData(receipt)
        let parsed: Receipt
        do {
          parsed = try JSONDecoder().decode(Receipt.self, from: data)
        } catch {
          throw CommandFailure(
            english: "\(receipt) is not a receipt", chinese: "回执格式错误", code: ExitStatus.refused)
        }
        let verifier = try NoteVerifier(verifierKey: key)
        let checkpoint = try parsed.verify(with: verifier)
        if let envelopeHash, !String(decoding: parsed.entry, as: UTF8.self).contains(envelopeHash) {
          throw CommandFailure(
            english: "the logged entry does not name \(envelopeHash)",
            chinese: "回执记录的投标文件哈希不符", code: ExitStatus.refused)
        }
        print("\(checkpoint.origin) \(checkpoint.size) \(checkpoint.root.base64)")
        writeStandardError("entry \(parsed.index) is in the log of \(checkpoint.size) entries")
      } catch let failure as SectionArchive.Failure {
        throw ExitStatus.fail(
          CommandFailure(
            english: failure.description, chinese: "电子档案校验失败", code: ExitStatus.refused))
      } catch let failure as Receipt.Failure {
        throw ExitStatus.fail(
          CommandFailure(english: failure.description, chinese: "回执校验失败", code: ExitStatus.refused))
      } catch let failure as CheckpointError {
        throw ExitStatus.fail(
          CommandFailure(
            english: "the verifier key is malformed: \(failure)", chinese: "验证密钥格式错误",
            code: .validationFailure))
      } catch {
        throw ExitStatus.fail(error)
      }
    }

    private func verifyArchive(_ path: String) throws {
      let parsed: SectionArchive
      do {
        parsed = try JSONDecoder().decode(SectionArchive.self, from: try readData(path))
      } catch let failure as CommandFailure {
        throw failure
      } catch {
        throw CommandFailure(
          english: "\(path) is not an archive", chinese: "电子档案格式错误", code: ExitStatus.refused)
      }
      let summary = try parsed.verify(with: try NoteVerifier(verifierKey: key))
      let checkpoint = summary.checkpoint
      print("\(checkpoint.origin) \(checkpoint.size) \(checkpoint.root.base64)")
      writeStandardError(
        "section \(parsed.section): \(summary.entries) logged events and \(summary.files) files verified"
      )
    }
  }
}
