import Foundation
import SQLKit
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Open data (OCDS 1.1 with the bid extension): each public section event a platform sends
/// becomes, when it changes the published record, a release of its process, and the process's
/// compiled release is brought up to date in the same transaction.
enum OpenData {
  static let publisher = "Zhaocai 招采 公共服务平台"

  /// One process per section of each platform: section ids are only unique within a platform.
  static func ocid(platform: String, section: String) -> String {
    OCDSReleases.ocidPrefix + platform + "-" + section
  }

  static func ingest(
    _ logged: LoggedEvent, payload: String, from platform: String, sequence: UInt64,
    on database: any SQLDatabase
  ) async throws {
    let decoder = JSONDecoder()
    let earlier = try await OpenDataRepository.events(
      from: platform, section: logged.section, on: database
    ).compactMap { row -> OCDSReleases.Logged? in
      guard
        let event = try? decoder.decode(LoggedEvent.self, from: Data(row.payload.utf8))
      else { return nil }
      return .init(index: row.sequence - 1, at: event.at, event: event.event, terms: event.terms)
    }
    try await OpenDataRepository.addEvent(
      payload, platform: platform, section: logged.section, sequence: sequence, on: database)
    let ocid = ocid(platform: platform, section: logged.section)
    guard
      let built = OCDSReleases.release(
        of: .init(index: sequence - 1, at: logged.at, event: logged.event, terms: logged.terms),
        after: earlier, ocid: ocid)
    else { return }
    let release = built
    try await OpenDataRepository.addRelease(text(release), ocid: ocid, on: database)
    // Releases arrive in date order, so merging the new one is compiling them all; should one
    // ever be older than the compiled state, everything is compiled again.
    var compiled = try await OpenDataRepository.compiled(of: ocid, on: database).flatMap(object)
    if let current = compiled,
      (current["date"]?.string ?? "") <= (release["date"]?.string ?? "")
    {
      OCDSMerge.append(release, to: &compiled!)
    } else {
      compiled = OCDSMerge.compile(
        try await OpenDataRepository.releases(of: ocid, on: database).compactMap(object))
    }
    try await OpenDataRepository.setCompiled(text(compiled!), ocid: ocid, on: database)
  }

  static func text(_ object: JSONObject) -> String { JSONText.string(.object(object)) }

  static func object(_ text: String) -> JSONObject? {
    (try? JSONText.parseValue(Data(text.utf8)))?.object
  }
}

/// The open-data feed: release and record packages, paged.
extension HubAPI {
  func listReleases(_ input: Operations.listReleases.Input) async throws
    -> Operations.listReleases.Output
  {
    let after = Paging.position(input.query.after)
    let limit = Paging.limit(input.query.limit, default: 1000, max: 1000)
    let page = try await hub.store.transaction {
      try await OpenDataRepository.releasePage(after: after, limit: limit, on: $0)
    }
    var package = package(uri: "/ocds/releases?after=\(after)&limit=\(limit)")
    package["releases"] = .array(page.compactMap { OpenData.object($0).map(JSONValue.object) })
    if page.count == limit {
      package["links"] = ["next": .string("/ocds/releases?after=\(after + limit)&limit=\(limit)")]
    }
    return .ok(.init(body: .json(try Self.container(package))))
  }

  func listRecords(_ input: Operations.listRecords.Input) async throws
    -> Operations.listRecords.Output
  {
    let after = Paging.position(input.query.after)
    let limit = Paging.limit(input.query.limit, default: 100, max: 1000)
    let rows = try await hub.store.transaction { database in
      var rows: [(ocid: String, compiled: String, releases: [String])] = []
      for (ocid, compiled) in try await OpenDataRepository.recordPage(
        after: after, limit: limit, on: database)
      {
        rows.append((ocid, compiled, try await OpenDataRepository.releases(of: ocid, on: database)))
      }
      return rows
    }
    let records: [JSONValue] = rows.map {
      [
        "ocid": .string($0.ocid),
        "releases": .array($0.releases.compactMap { OpenData.object($0).map(JSONValue.object) }),
        "compiledRelease": .object(OpenData.object($0.compiled) ?? JSONObject()),
      ]
    }
    var package = package(uri: "/ocds/records?after=\(after)&limit=\(limit)")
    package["records"] = .array(records)
    if records.count == limit {
      package["links"] = ["next": .string("/ocds/records?after=\(after + limit)&limit=\(limit)")]
    }
    return .ok(.init(body: .json(try Self.container(package))))
  }

  private func package(uri: String) -> JSONObject {
    var package = OCDSReleases.package(
      [], publisher: OpenData.publisher, uri: uri, at: hub.now())
    package["releases"] = nil
    return package
  }

  private static func container(_ object: JSONObject) throws -> Components.Schemas.OCDSPackage {
    try JSONDecoder().decode(
      Components.Schemas.OCDSPackage.self, from: Data(JSONText.bytes(.object(object))))
  }
}
