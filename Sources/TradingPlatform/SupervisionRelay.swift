import ZhaocaiExchange

/// Live tracking (docs/EXCHANGE.md, "Supervision"): the log's entries go to the supervision
/// platform as signed messages in the same gapless sequence as the hub's, each disclosing only
/// what supervision needs. The relay asks the supervision platform which sequence it has applied
/// and sends from the next, so nothing is kept here about that delivery and nothing is lost.
extension ExchangeRelay {
  /// One round: sends up to `batch` messages; returns how many the supervision platform applied.
  @discardableResult
  public func deliverToSupervision(batch: Int = 200) async throws -> Int {
    guard let supervision = platform.supervision else { return 0 }
    return try await link.outbox(of: platform, to: .supervision).deliverFromPosition(
      to: supervision.endpoint, batch: batch)
  }
}
