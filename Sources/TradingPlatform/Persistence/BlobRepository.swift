import Foundation
import SQLKit
import ZhaocaiCrypto
import ZhaocaiExchange
import ZhaocaiStore

/// Content-addressed blobs kept in the database in 1 MiB chunks (PostgreSQL), so that app nodes
/// keep nothing of their own: any node rebuilds a blob from its chunks.
enum BlobRepository {
  static let chunkSize = 1 << 20

  /// Stores the file's bytes under `name` unless they are already there; in the caller's
  /// transaction, so a blob and the record naming it commit together.
  static func insert(
    file path: String, as name: String, on database: any SQLDatabase
  ) async throws {
    let existing = try await database.raw(
      "SELECT COUNT(*) AS n FROM blob_chunks WHERE hash = \(bind: name)"
    ).first()?.decode(column: "n", as: Int.self)
    guard existing == 0 else { return }
    var source = try FileSource(path: path)
    var seq = 0
    while true {
      let chunk = try source.read(upTo: chunkSize)
      if chunk.isEmpty && seq > 0 { break }
      try await database.raw(
        "INSERT INTO blob_chunks (hash, seq, data) VALUES (\(bind: name), \(bind: seq), \(bind: Data(chunk)))"
      ).run()
      seq += 1
      if chunk.count < chunkSize { break }
    }
  }

  /// Writes the blob to `path` chunk by chunk (one chunk in memory at a time); false if the
  /// database has no such blob.
  static func write(_ name: String, to path: String, on database: any SQLDatabase)
    async throws -> Bool
  {
    let count =
      try await database.raw("SELECT COUNT(*) AS n FROM blob_chunks WHERE hash = \(bind: name)")
      .first()?.decode(column: "n", as: Int.self) ?? 0
    guard count > 0 else { return false }
    var sink = try AtomicFileSink(path: path)
    do {
      for seq in 0..<count {
        guard
          let row = try await database.raw(
            "SELECT data FROM blob_chunks WHERE hash = \(bind: name) AND seq = \(bind: seq)"
          ).first()
        else { throw BlobMissing(name: name) }
        let data = try row.decode(column: "data", as: Data.self)
        try data.withUnsafeBytes { try sink.write($0) }
      }
      try sink.commit()
    } catch {
      sink.discard()
      throw error
    }
    return true
  }

  /// A blob's chunks are incomplete.
  struct BlobMissing: Error, Sendable { public let name: String }
}
