/// 市场禁入: a party barred from bidding for a time, decided by a supervisory department and
/// published at the hub, enforced by every trading platform (一处受罚、处处受限).
public struct Ban: Codable, Sendable, Equatable {
  public var party: String
  public var reason: String
  public var startsAt: Int64
  public var endsAt: Int64

  public init(party: String, reason: String, startsAt: Int64, endsAt: Int64) {
    self.party = party
    self.reason = reason
    self.startsAt = startsAt
    self.endsAt = endsAt
  }

  /// Not a range: a ban another platform sent with its end before its start would trap there.
  public func isActive(at now: Int64) -> Bool { startsAt <= now && now < endsAt }

  /// A ban the hub may publish: a party, a reason, and a start before its end.
  public var isWellFormed: Bool {
    !party.isEmpty && !reason.isEmpty && startsAt < endsAt
  }

  /// Refuses a party under an active ban.
  public static func check(_ party: String, against bans: [Ban], at now: Int64)
    throws(DomainError)
  {
    if let ban = bans.first(where: { $0.party == party && $0.isActive(at: now) }) {
      let until = LegalDate(instant: ban.endsAt - 1)
      throw .invalid(
        "\(party) is barred from bidding until \(until): \(ban.reason)",
        chinese: "\(party)被禁止参加投标至\(until)：\(ban.reason)")
    }
  }
}
