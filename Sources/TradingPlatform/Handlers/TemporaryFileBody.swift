import Foundation
import OpenAPIRuntime

/// A temporary file sent as a response body in 1 MiB reads and removed once the body is done
/// with — read to its end, failed, or dropped when the client went away: a decrypted copy of a
/// document lives no longer than its answer.
enum TemporaryFileBody {
  static func body(_ path: String, size: Int64) throws -> HTTPBody {
    let removal = Removal(path: path)
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw CocoaError(.fileReadNoSuchFile)
    }
    let chunks = AsyncThrowingStream<ArraySlice<UInt8>, any Error> {
      // Held here so the file goes when the stream does.
      _ = removal
      let data = try handle.read(upToCount: 1 << 20) ?? Data()
      guard !data.isEmpty else {
        try? handle.close()
        return nil
      }
      return ArraySlice(data)
    }
    return HTTPBody(chunks, length: .known(size), iterationBehavior: .single)
  }

  /// Removes its file when the last reference goes.
  private final class Removal: Sendable {
    let path: String
    init(path: String) { self.path = path }
    deinit { try? FileManager.default.removeItem(atPath: path) }
  }
}
