import Foundation
import OpenAPIRuntime
import ZhaocaiCrypto

/// Sealed envelopes and documents on disk, named by their SHA-256 so a blob is written once and
/// never changes. Uploads land in a temporary file first: a cut-off upload leaves nothing.
public struct BlobStore: Sendable {
  public let directory: String

  public init(directory: String) throws {
    self.directory = directory
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  /// A fresh temporary path inside the store, on the same file system as the blobs.
  func temporaryPath() -> String {
    directory + "/.upload-" + UUID().uuidString
  }

  public func path(of sha256Hex: String) -> String { directory + "/" + sha256Hex }

  /// Moves a fully received and checked file into place under its hash.
  func keep(_ temporary: String, as sha256Hex: String) throws {
    let target = path(of: sha256Hex)
    if FileManager.default.fileExists(atPath: target) {
      try FileManager.default.removeItem(atPath: temporary)
    } else {
      try FileManager.default.moveItem(atPath: temporary, toPath: target)
    }
  }

  /// A streamed upload written to a temporary file in constant memory, with its SHA-256 and
  /// size. On any failure (a cut-off upload included) the temporary file is gone.
  func receive(_ body: HTTPBody) async throws -> (temporary: String, sha256Hex: String, size: Int64)
  {
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
