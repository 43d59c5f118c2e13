import Foundation

/// Reference data kept with the tests in Tests/Fixtures (its README.md says where each file comes
/// from and under which licence), found from this file's path. A missing or unreadable fixture
/// throws, so a test that needs one fails instead of being skipped.
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

  struct Unreadable: Error, CustomStringConvertible {
    let path: String
    var description: String { "the fixture Tests/Fixtures/\(path) is missing or not a JSON object" }
  }

  /// The JSON object in `path` (relative to Tests/Fixtures).
  static func json(_ path: String) throws -> [String: Any] {
    guard
      let data = FileManager.default.contents(atPath: directory.appendingPathComponent(path).path),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { throw Unreadable(path: path) }
    return object
  }
}
