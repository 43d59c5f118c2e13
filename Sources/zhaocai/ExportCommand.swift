import ArgumentParser
import Foundation
import ZhaocaiCrypto
import ZhaocaiExchange
import ZhaocaiStore

/// `zhaocai export`: open data from the platforms' records.
struct Export: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export open data.", subcommands: [OCDS.self])

  struct OCDS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ocds",
      abstract: "Write sections' archives as an OCDS 1.1 release package (bid extension).",
      discussion: "Each archive is verified first when --key is given.\n\n" + ExitStatus.help)

    @Option(help: "A section's archive file (GET /sections/{id}/archive); repeat for each.")
    var archive: [String] = []
    @Option(help: "The platform's log verifier key, to verify each archive before export.")
    var key: String?
    @Option(help: "The publisher's name in the package.") var publisher = "Zhaocai 招采"
    @Option(help: "Where to write the release package.") var out: String

    func validate() throws {
      if archive.isEmpty { throw ValidationError("give at least one --archive") }
    }

    func run() async throws {
      do {
        var releases: [[String: Any]] = []
        for path in archive {
          let parsed: SectionArchive
          do {
            parsed = try JSONDecoder().decode(SectionArchive.self, from: try readData(path))
          } catch let failure as CommandFailure {
            throw failure
          } catch {
            throw CommandFailure(
              english: "\(path) is not an archive", chinese: "电子档案格式错误", code: ExitStatus.refused)
          }
          if let key { _ = try parsed.verify(with: try NoteVerifier(verifierKey: key)) }
          let events = try parsed.entries.compactMap { entry -> OCDSReleases.Logged? in
            // Section events and the notices they published; nothing else.
            if (try? JSONDecoder().decode(SectionStore.LoggedNotice.self, from: entry.entry))
              != nil
            {
              return nil
            }
            guard
              let logged = try? JSONDecoder().decode(
                SectionStore.LoggedEvent.self, from: entry.entry)
            else {
              throw CommandFailure(
                english: "entry \(entry.index) of \(path) is not a section event",
                chinese: "电子档案内容格式错误", code: ExitStatus.refused)
            }
            return OCDSReleases.Logged(index: entry.index, at: logged.at, event: logged.event)
          }
          releases += OCDSReleases.releases(of: events)
        }
        let package = OCDSReleases.package(
          releases, publisher: publisher, uri: "file://" + out,
          at: Int64(Date().timeIntervalSince1970))
        let data = try JSONSerialization.data(
          withJSONObject: package, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try writeFile(data, to: out, mode: 0o644)
        writeStandardError("\(releases.count) releases of \(archive.count) section(s) in \(out)")
      } catch let failure as SectionArchive.Failure {
        throw ExitStatus.fail(
          CommandFailure(
            english: failure.description, chinese: "电子档案校验失败", code: ExitStatus.refused))
      } catch {
        throw ExitStatus.fail(error)
      }
    }
  }
}
