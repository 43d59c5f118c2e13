import HubClient
import ZhaocaiStore

extension TradingPlatform {
  /// This platform's log against every checkpoint of it the hub holds: after a restore from a
  /// backup, whether the database is this platform's own history and reaches what the hub has
  /// seen. Needs the hub link (`hub.url` in the configuration).
  public func auditLogAtHub() async throws -> LogAudit {
    guard let exchange else { throw NoHubLink() }
    let held = try await HubConnection(exchange.hub).checkpointNotes(of: exchange.platformID)
    let verifier = logSigner.verifier
    return try await store.read { database in
      try await LogAudit.run(against: held, verifier: verifier, on: database)
    }
  }

  /// The platform has no hub to compare with.
  public struct NoHubLink: Error, CustomStringConvertible {
    public var description: String { "the configuration names no hub (hub.url)" }
  }
}
