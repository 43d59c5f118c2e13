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

  public static let filingAcknowledgementKind = "supervision.filing.ack"

  /// The supervision platform's receipt of a filing (a written report or a self-tendering
  /// filing) that reached it as the trading platform's message `sequence`.
  public struct FilingAcknowledgement: Codable, Sendable, Equatable {
    public var platform: String
    public var section: String
    public var kind: String
    public var filedAt: Int64
    public var acknowledgedAt: Int64
    public var sequence: UInt64

    public init(
      platform: String, section: String, kind: String, filedAt: Int64, acknowledgedAt: Int64,
      sequence: UInt64
    ) {
      self.platform = platform
      self.section = section
      self.kind = kind
      self.filedAt = filedAt
      self.acknowledgedAt = acknowledgedAt
      self.sequence = sequence
    }
  }
}
