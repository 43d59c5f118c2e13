import Foundation

extension StoreLocation {
  /// Why a database URL was refused.
  public struct URLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let url: String
    public var description: String {
      "'\(url)' is not a database URL: sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
    }
  }

  /// A store from a URL, as an operator writes it in a configuration: `sqlite:PATH` (absolute or
  /// relative to `directory`) or `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`
  /// (`postgresql://` too; user, password and database percent-decoded; port 5432 by default).
  public init(url text: String, relativeTo directory: String? = nil) throws(URLError) {
    if text.hasPrefix("sqlite:") {
      var path = String(text.dropFirst("sqlite:".count))
      if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
      guard !path.isEmpty, path.count <= 4096, !path.contains("\0") else {
        throw URLError(url: text)
      }
      if !path.hasPrefix("/"), let directory { path = directory + "/" + path }
      self = .sqlite(path: path)
      return
    }
    guard text.count <= 4096, let parts = URLComponents(string: text),
      parts.scheme == "postgres" || parts.scheme == "postgresql",
      let host = parts.host, !host.isEmpty,
      let user = parts.percentEncodedUser?.removingPercentEncoding, !user.isEmpty
    else { throw URLError(url: text) }
    let database = String(parts.path.dropFirst()).removingPercentEncoding ?? ""
    guard !database.isEmpty, !database.contains("/") else { throw URLError(url: text) }
    let port = parts.port ?? 5432
    guard (1...65535).contains(port) else { throw URLError(url: text) }
    self = .postgres(
      host: host, port: port, username: user,
      password: parts.percentEncodedPassword?.removingPercentEncoding, database: database)
  }

  /// The location with any password left out, for logs.
  public var redacted: String {
    switch self {
    case .sqlite(let path): "sqlite:\(path)"
    case .postgres(let host, let port, let username, _, let database):
      "postgres://\(username)@\(host):\(port)/\(database)"
    }
  }
}
