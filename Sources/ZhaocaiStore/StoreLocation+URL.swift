import Foundation

extension StoreLocation {
  /// Why a database URL was refused.
  public struct URLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let url: String
    /// What is wrong with it, in a few words.
    public var reason = "not a database URL"
    public var description: String { "'\(url)': \(reason); expected \(Self.expected)" }
    /// The forms a database URL takes.
    public static let expected =
      "sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT][,HOST[:PORT]…]/DATABASE"
      + "[?sslmode=disable|require|verify-full&sslrootcert=PATH]"
  }

  /// How many servers one URL may name (a primary and its standbys).
  public static let maximumServers = 8

  /// A store from a URL, as an operator writes it in a configuration: `sqlite:PATH` (absolute or
  /// relative to `directory`) or, as libpq writes it, `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`
  /// (`postgresql://` too; user, password, database and parameters percent-decoded; port 5432 by
  /// default) with several `HOST[:PORT]` separated by commas for a primary and its standbys, and
  /// the parameters `sslmode` (`disable`, `require`, `verify-full`), `sslrootcert` (a PEM file)
  /// and `target_session_attrs=read-write` (what the store does anyway). A URL that names
  /// anything else is refused rather than half understood.
  public init(url text: String, relativeTo directory: String? = nil) throws(URLError) {
    guard text.utf8.count <= 4096, !text.contains("\0") else {
      throw URLError(url: String(text.prefix(64)) + "…", reason: "longer than 4096 bytes")
    }
    if text.hasPrefix("sqlite:") {
      var path = String(text.dropFirst("sqlite:".count))
      if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
      guard !path.isEmpty else { throw URLError(url: text, reason: "no path") }
      if !path.hasPrefix("/"), let directory { path = directory + "/" + path }
      self = .sqlite(path: path)
      return
    }
    self = .postgres(try Self.postgres(url: text))
  }

  private static func postgres(url text: String) throws(URLError) -> PostgresLocation {
    func refuse(_ reason: String) -> URLError { URLError(url: redact(text), reason: reason) }
    guard let schemeEnd = text.range(of: "://"),
      ["postgres", "postgresql"].contains(text[..<schemeEnd.lowerBound])
    else { throw refuse("not a database URL") }
    let rest = text[schemeEnd.upperBound...]
    let (beforeQuery, query) = split(rest, at: "?")
    let (authority, path) = split(beforeQuery, at: "/")
    guard let at = authority.lastIndex(of: "@") else { throw refuse("no user") }
    let (user, password) = split(authority[..<at], at: ":")
    guard let username = decode(user), !username.isEmpty else { throw refuse("no user") }
    var servers: [PostgresLocation.Server] = []
    for part in authority[authority.index(after: at)...].split(
      separator: ",", omittingEmptySubsequences: false)
    {
      guard let server = Self.server(part) else { throw refuse("a malformed host or port") }
      servers.append(server)
    }
    guard servers.count <= maximumServers else {
      throw refuse("more than \(maximumServers) servers")
    }
    guard let path, let database = decode(path), !database.isEmpty, !database.contains("/")
    else { throw refuse("no database") }
    var location = PostgresLocation(
      servers: servers, username: username, password: password.flatMap(decode),
      database: database)
    for parameter in (query ?? "").split(separator: "&") {
      let (name, value) = split(parameter, at: "=")
      switch (name, value.flatMap(decode)) {
      case ("sslmode", let mode?):
        guard let tls = PostgresLocation.TLSMode(rawValue: mode) else {
          throw refuse("sslmode is disable, require or verify-full")
        }
        location.tls = tls
      case ("sslrootcert", let path?) where !path.isEmpty:
        location.rootCertificate = path
      case ("target_session_attrs", "read-write"):
        break
      default:
        throw refuse("an unknown parameter '\(name.prefix(40))'")
      }
    }
    if location.rootCertificate != nil, location.tls != .verifyFull {
      throw refuse("sslrootcert needs sslmode=verify-full")
    }
    return location
  }

  private static func server(_ text: Substring) -> PostgresLocation.Server? {
    var host = text
    var port: Substring?
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else { return nil }
      host = text[text.index(after: text.startIndex)..<close]
      let after = text[text.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":") else { return nil }
        port = after.dropFirst()
      }
    } else if let colon = text.lastIndex(of: ":") {
      host = text[..<colon]
      port = text[text.index(after: colon)...]
    }
    guard !host.isEmpty, host.count <= 253,
      host.allSatisfy({ $0.isLetter || $0.isNumber || ".-_:".contains($0) })
    else { return nil }
    var number = 5432
    if let port {
      guard port.count <= 5, let parsed = Int(port), (1...65535).contains(parsed) else {
        return nil
      }
      number = parsed
    }
    return .init(host: String(host), port: number)
  }

  private static func split(_ text: Substring, at separator: Character) -> (Substring, Substring?) {
    guard let index = text.firstIndex(of: separator) else { return (text, nil) }
    return (text[..<index], text[text.index(after: index)...])
  }

  private static func decode(_ text: Substring) -> String? {
    String(text).removingPercentEncoding
  }

  /// The URL with its password replaced, for a refusal that quotes it.
  private static func redact(_ text: String) -> String {
    guard let schemeEnd = text.range(of: "://") else { return text }
    let authority = text[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" }
    guard let at = authority.lastIndex(of: "@"),
      let colon = authority[..<at].firstIndex(of: ":")
    else { return text }
    return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
  }

  /// The location with any password left out, for logs.
  public var redacted: String {
    switch self {
    case .sqlite(let path): "sqlite:\(path)"
    case .postgres(let location):
      "postgres://\(location.username)@"
        + location.servers.map(\.description).joined(separator: ",") + "/\(location.database)"
        + (location.tls == .disable ? "" : "?sslmode=\(location.tls.rawValue)")
    }
  }
}
