/// How a section is tendered.
public enum Procedure: String, Codable, Sendable, CaseIterable {
  case open
  case openWithPrequalification
  case invitation
  case invitationWithPrequalification

  public var hasPrequalification: Bool {
    self == .openWithPrequalification || self == .invitationWithPrequalification
  }
}

/// How bids are evaluated (DESIGN.md, "The lifecycle").
public enum EvaluationMethod: String, Codable, Sendable, CaseIterable {
  case comprehensiveScoring
  case lowestEvaluatedPrice
}

/// What the tenderer fixes for a section (标段) before it is published.
public struct SectionTerms: Codable, Sendable, Equatable {
  public var sectionID: String
  public var name: String
  public var estimate: Money
  public var priceCeiling: Money?
  public var bidBond: Money
  public var procedure: Procedure
  public var evaluationMethod: EvaluationMethod
  /// The remit supervisors will use: an industry (住建, 交通 …) and a region code.
  public var industry: String
  public var region: String
  public var stateFunded: Bool

  public init(
    sectionID: String, name: String, estimate: Money, priceCeiling: Money? = nil, bidBond: Money,
    procedure: Procedure = .open, evaluationMethod: EvaluationMethod = .comprehensiveScoring,
    industry: String, region: String, stateFunded: Bool = true
  ) {
    self.sectionID = sectionID
    self.name = name
    self.estimate = estimate
    self.priceCeiling = priceCeiling
    self.bidBond = bidBond
    self.procedure = procedure
    self.evaluationMethod = evaluationMethod
    self.industry = industry
    self.region = region
    self.stateFunded = stateFunded
  }
}

/// The dates a tender notice announces, as instants (seconds since 1970, UTC).
public struct TenderSchedule: Codable, Sendable, Equatable {
  /// The first day the documents are issued (sale start).
  public var documentsIssuedAt: Int64
  public var saleEndsAt: Int64
  /// The bid deadline, which is also the opening time (法34).
  public var bidDeadline: Int64
  /// Set when the candidates are publicised.
  public var publicityEndsAt: Int64?

  public init(documentsIssuedAt: Int64, saleEndsAt: Int64, bidDeadline: Int64) {
    self.documentsIssuedAt = documentsIssuedAt
    self.saleEndsAt = saleEndsAt
    self.bidDeadline = bidDeadline
  }
}
