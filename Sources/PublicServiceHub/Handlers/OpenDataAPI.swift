import Foundation
import SQLKit
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

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
