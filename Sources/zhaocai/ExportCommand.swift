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
      abstract:
        "Write OCDS 1.1 open data (bid extension): the hub's records, or sections' archives.",
      discussion: """
        With --hub, every record the public service hub publishes (each process's releases and \
        compiled release), fetched page by page, as one record package. With --archive, the \
        sections' archives as a release package; each archive is verified first when --key is \
        given.

        """ + ExitStatus.fileHelp)

    @Option(help: "The public service hub's API, e.g. http://127.0.0.1:8090/api/v1.")
    var hub: String?
    @Option(help: "A section's archive file (GET /sections/{id}/archive); repeat for each.")
    var archive: [String] = []
    @Option(help: "The platform's log verifier key, to verify each archive before export.")
    var key: String?
    @Option(help: "The publisher's name in the package.") var publisher = "Zhaocai 招采"
    @Option(help: "Where to write the release package.") var out: String

    func validate() throws {
      if archive.isEmpty == (hub == nil) {
        throw ValidationError("give either --hub or at least one --archive")
      }
    }

    func run() async throws {
      if let hub {
        do {
          try await exportRecords(from: hub)
        } catch {
          throw ExitStatus.fail(error)
        }
        return
      }
      do {
        var releases: [JSONObject] = []
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
            if (try? JSONDecoder().decode(LoggedNotice.self, from: entry.entry))
              != nil
            {
              return nil
            }
            guard
              let logged = try? JSONDecoder().decode(
                LoggedEvent.self, from: entry.entry)
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
        try writeFile(Data(JSONText.bytes(.object(package))), to: out, mode: 0o644)
        writeStandardError("\(releases.count) releases of \(archive.count) section(s) in \(out)")
      } catch let failure as SectionArchive.Failure {
        throw ExitStatus.fail(
          CommandFailure(
            english: failure.description, chinese: "电子档案校验失败", code: ExitStatus.refused))
      } catch {
        throw ExitStatus.fail(error)
      }
    }

    /// Fetches the hub's record feed page by page and writes it as one record package.
    private func exportRecords(from hub: String) async throws {
      let client = PlatformClient(base: hub)
      var records: [JSONValue] = []
      var package = JSONObject()
      var path: String? = "/ocds/records?after=0&limit=100"
      while let next = path {
        guard let page = try await client.json("GET", next).object else {
          throw CommandFailure(
            english: "the hub's answer is not a record package", chinese: "公共服务平台返回的不是记录包",
            code: ExitStatus.refused)
        }
        records += page["records"]?.array ?? []
        package = page
        path = page["links"]?["next"]?.string
      }
      package["records"] = .array(records)
      package["links"] = nil
      package["uri"] = .string(hub + "/ocds/records")
      try writeFile(Data(JSONText.bytes(.object(package))), to: out, mode: 0o644)
      writeStandardError("\(records.count) records from \(hub) in \(out)")
    }
  }
}
