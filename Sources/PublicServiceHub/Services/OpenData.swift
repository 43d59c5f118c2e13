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

  /// The platform of a process, from its ocid and section id (platform ids may hold '-').
  static func platform(of ocid: String, section: String) -> String? {
    let prefix = OCDSReleases.ocidPrefix
    let suffix = "-" + section
    guard ocid.hasPrefix(prefix), ocid.hasSuffix(suffix),
      ocid.count > prefix.count + suffix.count
    else { return nil }
    return String(ocid.dropFirst(prefix.count).dropLast(suffix.count))
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
