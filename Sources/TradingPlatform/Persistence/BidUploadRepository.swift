import Foundation
import SQLKit
import ZhaocaiCrypto
import ZhaocaiStore
import ZhaocaiWeb

/// Sealed envelopes uploaded in parts (断点续传): each part is kept in the database as it
/// arrives, so a cut connection loses at most the part in flight and any app node takes the next
/// one. The bytes are only staged here; the completed upload is checked and recorded as a bid
/// exactly like one sent whole.
enum BidUploadRepository {
  /// The most one part may hold.
  static let maxPartBytes = 8 << 20

  static let migration = Migration(
    id: 18, name: "envelopes uploaded in parts, until completed",
    sqlite: [
      "CREATE TABLE bid_uploads (id TEXT PRIMARY KEY, section_id TEXT NOT NULL, bidder TEXT NOT NULL, size BIGINT NOT NULL, started_at BIGINT NOT NULL)",
      "CREATE TABLE bid_upload_parts (upload_id TEXT NOT NULL, start BIGINT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (upload_id, start))",
    ],
    postgres: [
      "CREATE TABLE bid_uploads (id TEXT PRIMARY KEY, section_id TEXT NOT NULL, bidder TEXT NOT NULL, size BIGINT NOT NULL, started_at BIGINT NOT NULL)",
      "CREATE TABLE bid_upload_parts (upload_id TEXT NOT NULL, start BIGINT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (upload_id, start))",
    ])

  /// An upload's owner and how many bytes it holds.
  struct Upload: Sendable {
    let id: String
    let section: String
    let bidder: String
    let size: Int64
  }

  /// A new upload for `bidder`'s envelope to `section`; its unfinished ones there are dropped.
  static func start(section: String, bidder: String, at now: Int64, on database: any SQLDatabase)
    async throws -> Upload
  {
    try await discard(section: section, bidder: bidder, on: database)
    let id = Secrets.random()
    try await database.raw(
      "INSERT INTO bid_uploads (id, section_id, bidder, size, started_at) VALUES (\(bind: id), \(bind: section), \(bind: bidder), 0, \(bind: now))"
    ).run()
    return Upload(id: id, section: section, bidder: bidder, size: 0)
  }

  static func find(_ id: String, on database: any SQLDatabase) async throws -> Upload? {
    guard
      let row = try await database.raw(
        "SELECT section_id, bidder, size FROM bid_uploads WHERE id = \(bind: id)"
      ).first()
    else { return nil }
    return Upload(
      id: id, section: try row.decode(column: "section_id", as: String.self),
      bidder: try row.decode(column: "bidder", as: String.self),
      size: try row.decode(column: "size", as: Int64.self))
  }

  /// Appends `bytes` at `start`, which must be the upload's size; nil (nothing written) when
  /// another part got there first.
  static func append(
    _ bytes: Data, to id: String, at start: Int64, on database: any SQLDatabase
  ) async throws -> Int64? {
    let end = start + Int64(bytes.count)
    // The size moves only from where this part starts, so two racing parts cannot both land.
    guard
      let row = try await database.raw(
        "UPDATE bid_uploads SET size = \(bind: end) WHERE id = \(bind: id) AND size = \(bind: start) RETURNING size"
      ).first()
    else { return nil }
    try await database.raw(
      "INSERT INTO bid_upload_parts (upload_id, start, data) VALUES (\(bind: id), \(bind: start), \(bind: bytes))"
    ).run()
    return try row.decode(column: "size", as: Int64.self)
  }

  /// Whether the upload holds a part running exactly from `start` to `end` (a retried part).
  static func holdsPart(
    of id: String, from start: Int64, to end: Int64, on database: any SQLDatabase
  ) async throws -> Bool {
    // The part's length only: a retried part may be 8 MiB, and its bytes are not compared.
    guard
      let row = try await database.raw(
        "SELECT LENGTH(data) AS n FROM bid_upload_parts WHERE upload_id = \(bind: id) AND start = \(bind: start)"
      ).first()
    else { return false }
    return start + (try row.decode(column: "n", as: Int64.self)) == end
  }

  /// Writes the upload's parts, in order, to `path` (one part in memory at a time).
  static func write(_ upload: Upload, to path: String, on database: any SQLDatabase) async throws {
    var sink = try AtomicFileSink(path: path)
    do {
      var start: Int64 = 0
      while start < upload.size {
        guard
          let row = try await database.raw(
            "SELECT data FROM bid_upload_parts WHERE upload_id = \(bind: upload.id) AND start = \(bind: start)"
          ).first()
        else { throw BlobRepository.BlobMissing(name: "upload \(upload.id) at \(start)") }
        let data = try row.decode(column: "data", as: Data.self)
        guard !data.isEmpty else { throw BlobRepository.BlobMissing(name: "upload \(upload.id)") }
        try data.withUnsafeBytes { try sink.write($0) }
        start += Int64(data.count)
      }
      try sink.commit()
    } catch {
      sink.discard()
      throw error
    }
  }

  static func delete(_ id: String, on database: any SQLDatabase) async throws {
    try await database.raw("DELETE FROM bid_upload_parts WHERE upload_id = \(bind: id)").run()
    try await database.raw("DELETE FROM bid_uploads WHERE id = \(bind: id)").run()
  }

  /// Drops `bidder`'s unfinished uploads to `section`.
  static func discard(section: String, bidder: String, on database: any SQLDatabase) async throws {
    try await database.raw(
      "DELETE FROM bid_upload_parts WHERE upload_id IN (SELECT id FROM bid_uploads WHERE section_id = \(bind: section) AND bidder = \(bind: bidder))"
    ).run()
    try await database.raw(
      "DELETE FROM bid_uploads WHERE section_id = \(bind: section) AND bidder = \(bind: bidder)"
    ).run()
  }
}
