import Foundation

/// 不良行为记录: a violation by a party, decided by a supervisory department, quantified in points
/// and published at the hub until it expires (six months, or a ban's length).
public struct ViolationRecord: Codable, Sendable, Equatable {
  public var party: String
  /// What was done, and the article it breaks.
  public var description: String
  public var article: String
  /// Points deducted from the party's credit (1 to 100).
  public var points: Int
  /// The department that decided it.
  public var decidedBy: String
  public var decidedAt: Int64
  public var expiresAt: Int64

  public init(
    party: String, description: String, article: String, points: Int, decidedBy: String,
    decidedAt: Int64, expiresAt: Int64
  ) {
    self.party = party
    self.description = description
    self.article = article
    self.points = points
    self.decidedBy = decidedBy
    self.decidedAt = decidedAt
    self.expiresAt = expiresAt
  }

  /// Six months, the publication period when no ban sets a longer one.
  public static func defaultExpiry(decidedAt: Int64) -> Int64 {
    LegalDate(instant: decidedAt).adding(days: 182).startInstant
  }

  /// Checks a record before it is published: the party's credit code, a description, points in
  /// range, and an expiry after the decision.
  public func validated() throws(DomainError) -> ViolationRecord {
    var record = self
    record.party = try Account.checkedCreditCode(party)
    guard !description.trimmingCharacters(in: .whitespaces).isEmpty,
      !decidedBy.trimmingCharacters(in: .whitespaces).isEmpty
    else {
      throw .invalid(
        "a violation record says what was done and who decided it",
        chinese: "不良行为记录应当载明行为事实及作出决定的机关")
    }
    guard (1...100).contains(points) else {
      throw .invalid("a violation counts 1 to 100 points", chinese: "不良行为记分应为1至100分")
    }
    guard expiresAt > decidedAt else {
      throw .invalid(
        "a violation record expires after it is decided", chinese: "不良行为记录的公布期限届满时间应晚于决定时间")
    }
    return record
  }

  public func isCurrent(at now: Int64) -> Bool { decidedAt <= now && now < expiresAt }
}
