import SQLKit
import ZhaocaiExchange
import ZhaocaiStore

/// The hub's open data: every OCDS release it made from the platforms' public records, and each
/// process's compiled release, kept current as releases arrive (so the feed only reads).
enum OpenDataRepository {
  /// Stores a release (JSON text) of process `ocid`.
  static func addRelease(_ release: String, ocid: String, on database: any SQLDatabase)
    async throws
  {
    try await database.raw(
      "INSERT INTO hub_releases (ocid, release) VALUES (\(bind: ocid), \(bind: release))"
    ).run()
  }

  /// Every release of one process, in the order they were made.
  static func releases(of ocid: String, on database: any SQLDatabase) async throws
    -> [String]
  {
    try await database.raw(
      "SELECT release FROM hub_releases WHERE ocid = \(bind: ocid) ORDER BY seq"
    ).all().map { try $0.decode(column: "release", as: String.self) }
  }

  /// The process's compiled release, if it has one.
  static func compiled(of ocid: String, on database: any SQLDatabase) async throws
    -> String?
  {
    try await database.raw("SELECT compiled FROM hub_records WHERE ocid = \(bind: ocid)").first()?
      .decode(column: "compiled", as: String.self)
  }

  /// Replaces (or makes) the process's compiled release.
  static func setCompiled(_ compiled: String, ocid: String, on database: any SQLDatabase)
    async throws
  {
    let updated = try await database.raw(
      "UPDATE hub_records SET compiled = \(bind: compiled) WHERE ocid = \(bind: ocid) RETURNING ocid"
    ).all()
    if updated.isEmpty {
      try await database.raw(
        "INSERT INTO hub_records (ocid, compiled) VALUES (\(bind: ocid), \(bind: compiled))"
      ).run()
    }
  }

  /// A page of the release feed, in the order the releases were made.
  static func releasePage(after: Int, limit: Int, on database: any SQLDatabase)
    async throws -> [String]
  {
    try await database.raw(
      "SELECT release FROM hub_releases ORDER BY seq LIMIT \(bind: limit) OFFSET \(bind: after)"
    ).all().map { try $0.decode(column: "release", as: String.self) }
  }

  /// The processes that appeared last, newest first.
  static func latestRecords(limit: Int, on database: any SQLDatabase)
    async throws -> [(ocid: String, compiled: String)]
  {
    try await database.raw(
      "SELECT ocid, compiled FROM hub_records ORDER BY seq DESC LIMIT \(bind: limit)"
    ).all().map {
      (
        try $0.decode(column: "ocid", as: String.self),
        try $0.decode(column: "compiled", as: String.self)
      )
    }
  }

  /// A page of processes (in the order they first appeared): each ocid and compiled release.
  static func recordPage(after: Int, limit: Int, on database: any SQLDatabase)
    async throws -> [(ocid: String, compiled: String)]
  {
    try await database.raw(
      "SELECT ocid, compiled FROM hub_records ORDER BY seq LIMIT \(bind: limit) OFFSET \(bind: after)"
    ).all().map {
      (
        try $0.decode(column: "ocid", as: String.self),
        try $0.decode(column: "compiled", as: String.self)
      )
    }
  }

  /// Keeps a public section event (its payload as received) for the releases that follow it.
  static func addEvent(
    _ payload: String, platform: String, section: String, sequence: UInt64,
    on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO hub_events (platform, section, seq, payload) VALUES (\(bind: platform), \(bind: section), \(bind: Int64(sequence)), \(bind: payload))"
    ).run()
  }

  /// The public events the hub holds of one section of one platform, in sequence order.
  static func events(
    from platform: String, section: String, on database: any SQLDatabase
  ) async throws -> [(sequence: UInt64, payload: String)] {
    try await database.raw(
      "SELECT seq, payload FROM hub_events WHERE platform = \(bind: platform) AND section = \(bind: section) ORDER BY seq"
    ).all().map {
      (
        UInt64(try $0.decode(column: "seq", as: Int64.self)),
        try $0.decode(column: "payload", as: String.self)
      )
    }
  }
}
