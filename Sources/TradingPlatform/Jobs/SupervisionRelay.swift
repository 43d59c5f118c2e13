import Foundation
import SupervisionClient
import ZhaocaiExchange
import ZhaocaiStore

/// Live tracking (docs/EXCHANGE.md, "Supervision"): the log's entries go to the supervision
/// platform as signed messages in the same gapless sequence as the hub's, each disclosing only
/// what supervision needs. The relay asks the supervision platform which sequence it has applied
/// and sends from the next, so nothing is kept here about that delivery and nothing is lost.
/// Filings come back with the supervision platform's signed acknowledgement, which is kept; one
/// whose answer was lost is sent again when the relay is idle.
extension ExchangeRelay {
  /// One round: sends up to `batch` messages; returns how many the supervision platform applied.
  @discardableResult
  public func deliverToSupervision(batch: Int = 200) async throws -> Int {
    guard let supervision = platform.supervision else { return 0 }
    return try await link.outbox(of: platform, to: supervision).deliverFromPosition(
      to: try SupervisionConnection(supervision.endpoint), batch: batch,
      answered: keepAcknowledgement)
  }

  /// Sends again each filing whose acknowledgement never came back (a lost answer); the
  /// supervision platform answers the duplicate with the acknowledgement it gave. The relay's
  /// loop calls this when it is idle.
  public func resendUnacknowledgedFilings() async throws {
    guard let supervision = platform.supervision else { return }
    let waiting = try await platform.store.transaction {
      try await SentFilingRepository.unacknowledged(on: $0)
    }
    guard !waiting.isEmpty else { return }
    try await link.outbox(of: platform, to: supervision).resend(
      logIndices: waiting, to: try SupervisionConnection(supervision.endpoint),
      answered: keepAcknowledgement)
  }

  /// A filing (written report, self-tendering) comes back acknowledged: kept once verified.
  private func keepAcknowledgement(_ result: DeliveryResult) async throws {
    guard let supervision = platform.supervision, let signed = result.acknowledgement else {
      return
    }
    let verified = try signed.verified(with: supervision.key, for: link.platformID)
    let receipt = try JSONDecoder().decode(
      SupervisionMessages.FilingAcknowledgement.self, from: Data(verified.payload.utf8))
    guard verified.sender == supervision.platformID,
      verified.kind == SupervisionMessages.filingAcknowledgementKind,
      receipt.platform == link.platformID
    else { throw ExchangeError.malformed("not an acknowledgement of this platform's filing") }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = String(decoding: try encoder.encode(signed), as: UTF8.self)
    let now = platform.clock.now()
    try await platform.store.transaction {
      try await SentFilingRepository.acknowledged(
        section: receipt.section, kind: receipt.kind, acknowledgement: text, at: now, on: $0)
    }
  }
}
