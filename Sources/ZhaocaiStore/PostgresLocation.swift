/// Where a PostgreSQL database is: one server, or a primary and its standbys of which the store
/// uses the one that takes writes (as libpq's `target_session_attrs=read-write` does).
public struct PostgresLocation: Sendable, Equatable {
  /// One server's address.
  public struct Server: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int = 5432) {
      self.host = host
      self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
  }

  /// Whether the connection to the server is encrypted, named as libpq's `sslmode`.
  public enum TLSMode: String, Sendable, Equatable, CaseIterable {
    /// Plain TCP (the default, for a database on the same host or a private network).
    case disable
    /// Encrypted, the server's certificate not checked.
    case require
    /// Encrypted, the certificate checked against the root (`sslrootcert`, else the system's)
    /// and the server's name.
    case verifyFull = "verify-full"
  }

  /// In the order they are tried; a standby answers only once promoted.
  public var servers: [Server]
  public var username: String
  public var password: String?
  public var database: String
  public var tls: TLSMode
  /// A PEM file of the certificate authority the servers' certificates must chain to.
  public var rootCertificate: String?

  public init(
    servers: [Server], username: String, password: String? = nil, database: String,
    tls: TLSMode = .disable, rootCertificate: String? = nil
  ) {
    self.servers = servers
    self.username = username
    self.password = password
    self.database = database
    self.tls = tls
    self.rootCertificate = rootCertificate
  }
}

extension StoreLocation {
  /// One PostgreSQL server without TLS.
  public static func postgres(
    host: String, port: Int, username: String, password: String?, database: String
  ) -> StoreLocation {
    .postgres(
      PostgresLocation(
        servers: [.init(host: host, port: port)], username: username, password: password,
        database: database))
  }
}
