import ZhaocaiExchange

/// What the operator's own tools (the benchmark, an import of an earlier platform's notices)
/// ask of the hub's store without going through the exchange.
extension PublicServiceHub {
  /// How many exchange messages the hub holds from `platform`.
  public func heldMessages(from platform: String) async throws -> Int {
    try await store.transaction { try await HubRepository.count(from: platform, on: $0) }
  }

  /// Indexes `notices` of `platform` for search as if they had arrived in messages of the given
  /// sequence numbers, in one transaction.
  public func indexNotices(
    _ notices: [(notice: LoggedNotice, sequence: UInt64)], from platform: String
  ) async throws {
    try await store.transaction {
      try await HubNoticeRepository.publish(notices, platform: platform, on: $0)
    }
  }
}
