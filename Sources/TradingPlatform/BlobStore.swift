import Foundation
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
}
