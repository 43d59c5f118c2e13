import Foundation

/// The project's reference data in ../shared/data, read at test time and never committed.
enum SharedData {
  static let directory: URL = {
    if let override = ProcessInfo.processInfo.environment["ZHAOCAI_SHARED"] {
      return URL(fileURLWithPath: override)
    }
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("shared")
  }()

  static func url(_ path: String) -> URL { directory.appendingPathComponent("data/" + path) }

  static func isPresent(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: url(path).path)
  }

  static func json(_ path: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url(path)))
    return object as? [String: Any] ?? [:]
  }
}
