import Foundation
import OpenAPIRuntime
import SQLKit
import ZhaocaiCrypto
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Sealed envelopes and documents, named by their hash so a blob is written once and never
/// changes. With SQLite they live in a directory; with PostgreSQL the database holds them
/// (chunked, in the transaction that records them) and the directory is only a cache any node
/// can rebuild, so app nodes stay stateless (DESIGN.md). Uploads land in a temporary file first:
/// a cut-off upload leaves nothing.
public struct BlobStore: Sendable {
  public let directory: String
  /// The database that holds the blobs, or nil when the directory does.
  let database: Store?

  public init(directory: String, database: Store? = nil) throws {
    self.directory = directory
    self.database = database
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  /// Blobs in `store` when it is PostgreSQL, in `directory` otherwise.
  public static func forStore(_ store: Store, directory: String) throws -> BlobStore {
    try BlobStore(directory: directory, database: store.flavour == .postgres ? store : nil)
  }

  /// A fresh temporary path inside the store, on the same file system as the blobs.
  func temporaryPath() -> String {
    directory + "/.upload-" + UUID().uuidString
  }

  /// Records a checked upload in the caller's transaction (PostgreSQL); `settle` then moves the
  /// file into place once that transaction has committed.
  func record(_ temporary: String, as name: String, on database: any SQLDatabase) async throws {
    guard self.database != nil else { return }
    try await BlobRepository.insert(file: temporary, as: name, on: database)
  }

  /// Moves a fully received, checked and recorded file into place under its name.
  func settle(_ temporary: String, as name: String) throws {
    let target = directory + "/" + name
    if FileManager.default.fileExists(atPath: target) {
      try FileManager.default.removeItem(atPath: temporary)
    } else {
      try FileManager.default.moveItem(atPath: temporary, toPath: target)
    }
  }

  /// A local file holding the blob, rebuilt from the database when this node lacks it.
  public func path(of name: String) async throws -> String {
    let target = directory + "/" + name
    guard !FileManager.default.fileExists(atPath: target), let database else { return target }
    let temporary = temporaryPath()
    let found = try await database.transaction {
      try await BlobRepository.write(name, to: temporary, on: $0)
    }
    if found { try settle(temporary, as: name) }
    return target
  }

  /// A streamed upload written to a temporary file in constant memory, with its SHA-256 and
  /// size. On any failure (a cut-off upload included) the temporary file is gone.
  /// The most one upload (a sealed bid, a version of the documents) may hold: 2 GiB. Uploads
  /// stream to disk, so this bounds the disk a single request can take, not memory.
  static let maxUploadBytes: Int64 = 2 << 30

  /// An upload over `limit` bytes (a sealed bid, a version of the documents).
  static func tooLarge(_ limit: Int64 = maxUploadBytes) -> ProblemDetails {
    ProblemDetails(
      status: 413, code: "BODY_TOO_LARGE", english: "an upload holds at most \(limit >> 20) MiB",
      chinese: "上传文件超过\(limit >> 20) MiB的上限")
  }

  func receive(
    _ body: HTTPBody, limit: Int64 = BlobStore.maxUploadBytes
  ) async throws -> (temporary: String, sha256Hex: String, size: Int64) {
    let temporary = temporaryPath()
    var sink = try AtomicFileSink(path: temporary)
    var hash = StreamingHash(.sha256)
    var size: Int64 = 0
    do {
      for try await chunk in body {
        try chunk.withUnsafeBytes {
          hash.update($0)
          try sink.write($0)
        }
        size += Int64(chunk.count)
        guard size <= limit else { throw Self.tooLarge(limit) }
      }
      try sink.commit()
    } catch {
      sink.discard()
      try? FileManager.default.removeItem(atPath: temporary)
      throw error
    }
    return (temporary, hash.finalize().hex, size)
  }
}
