/// The messages between the supervision platform and a trading platform (docs/EXCHANGE.md,
/// "Supervision"): a supervision order, signed by the supervision platform, and the trading
/// platform's acknowledgement, signed by it.
public enum SupervisionMessages {
  public static let orderKind = "supervision.order"
  public static let acknowledgementKind = "supervision.order.ack"

  /// What the trading platform did with an order: applied at `appliedAt`, logged at `logIndex`,
  /// leaving the section in `phase` (and suspended or not).
  public struct Acknowledgement: Codable, Sendable, Equatable {
    public var order: String
    public var section: String
    public var appliedAt: Int64
    public var logIndex: UInt64
    public var phase: String
    public var suspended: Bool

    public init(
      order: String, section: String, appliedAt: Int64, logIndex: UInt64, phase: String,
      suspended: Bool
    ) {
      self.order = order
      self.section = section
      self.appliedAt = appliedAt
      self.logIndex = logIndex
      self.phase = phase
      self.suspended = suspended
    }
  }
}
