import Foundation

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

/// A criterion of comprehensive scoring (综合评估法) and the most points it carries, in
/// hundredths of a point.
public struct Criterion: Codable, Sendable, Equatable {
  public var name: String
  public var maxPoints: Int
  /// The most a criterion may carry: 100 points, in hundredths.
  public static let maxPointsAllowed = 10_000
  /// Marked from the bidder's credit score at the hub, not by the experts.
  public var fromCredit: Bool
  /// Scored from the bids' prices by formula (comprehensive scoring), not by the experts.
  public var priceFormula: PriceFormula?

  public init(
    name: String, maxPoints: Int, fromCredit: Bool = false, priceFormula: PriceFormula? = nil
  ) {
    self.name = name
    self.maxPoints = maxPoints
    self.fromCredit = fromCredit
    self.priceFormula = priceFormula
  }

  /// Marked by the experts, not computed from credit or price.
  public var isMarked: Bool { !fromCredit && priceFormula == nil }

  // Terms logged before credit criteria existed have no `fromCredit`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    maxPoints = try container.decode(Int.self, forKey: .maxPoints)
    fromCredit = try container.decodeIfPresent(Bool.self, forKey: .fromCredit) ?? false
    priceFormula = try container.decodeIfPresent(PriceFormula.self, forKey: .priceFormula)
  }
}

extension SectionTerms {
  /// The terms as a draft may hold them: ids usable in addresses and file names, a name, a
  /// positive estimate and ceiling, distinct criteria with positive points.
  public func validated() throws(DomainError) -> SectionTerms {
    let idCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    guard (1...64).contains(sectionID.count), sectionID.allSatisfy(idCharacters.contains) else {
      throw .invalid(
        "a section id has 1 to 64 letters, digits, '-', '_' or '.'",
        chinese: "标段编号应为1至64位字母、数字或“-”“_”“.”")
    }
    try TextRules.checked(name, field: "the section's name", chineseField: "标段名称")
    try TextRules.checked(industry, field: "the industry", chineseField: "行业", maxLength: 32)
    if let project {
      try TextRules.checked(project, field: "the project", chineseField: "项目", maxLength: 64)
    }
    // A process outside every remit could be supervised by no one.
    guard Department.isRegionCode(region), !industry.trimmingCharacters(in: .whitespaces).isEmpty
    else {
      throw .invalid(
        "the section names its industry and a six-digit GB/T 2260 region code",
        chinese: "标段应注明所属行业及6位行政区划代码（GB/T 2260）")
    }
    // The bond is held to 2% of the estimate by 条例26 itself (`BondRules.checkBidBond`).
    guard estimate.isWithinBounds(positive: true),
      priceCeiling?.isWithinBounds(positive: true) ?? true
    else {
      throw .invalid(
        "the estimate and the price ceiling are positive amounts of at most \(Money.maximum)",
        chinese: "估算价和最高投标限价应为正数，且不超过\(Money.maximum)")
    }
    guard criteria.count <= 50 else {
      throw .invalid("at most 50 criteria", chinese: "评分因素不得超过50项")
    }
    for criterion in criteria {
      try TextRules.checked(criterion.name, field: "a criterion's name", chineseField: "评分因素名称")
    }
    guard Set(criteria.map(\.name)).count == criteria.count,
      criteria.allSatisfy({ (1...Criterion.maxPointsAllowed).contains($0.maxPoints) })
    else {
      throw .invalid(
        "criteria have distinct names and 1 to 100 points each",
        chinese: "评分因素名称不得重复，每项分值为1至100分")
    }
    let formulas = criteria.filter { $0.priceFormula != nil }
    guard formulas.count <= 1,
      formulas.allSatisfy({ !$0.fromCredit && $0.priceFormula?.isValid == true }),
      formulas.isEmpty || evaluationMethod == .comprehensiveScoring
    else {
      throw .invalid(
        "one criterion at most is scored by price formula, under comprehensive scoring, not from credit, with a discount of 0 to 20% and deductions of 0 to 100 points per 1%",
        chinese: "价格公式计分的评分因素至多一项，仅用于综合评估法，不得同时按信用计分；下浮率0至20%，每偏离1%扣0至100分")
    }
    return self
  }
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
  /// The tenderer's credit code, and the agency's if one acts for it: who may run the section.
  public var tenderer: String
  public var agency: String?
  /// The tender project (招标项目) the section belongs to; its sections share it.
  public var project: String?
  /// The criteria experts mark under comprehensive scoring; empty: any criterion, no cap.
  public var criteria: [Criterion]
  /// Whether the notice accepts an electronic bank guarantee (电子保函) in place of a transfer.
  public var bondGuaranteeAccepted: Bool?

  public init(
    sectionID: String, name: String, estimate: Money, priceCeiling: Money? = nil, bidBond: Money,
    procedure: Procedure = .open, evaluationMethod: EvaluationMethod = .comprehensiveScoring,
    industry: String, region: String, stateFunded: Bool = true, tenderer: String = "",
    agency: String? = nil, project: String? = nil, criteria: [Criterion] = [],
    bondGuaranteeAccepted: Bool? = nil
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
    self.tenderer = tenderer
    self.agency = agency
    self.project = project
    self.criteria = criteria
    self.bondGuaranteeAccepted = bondGuaranteeAccepted
  }
}

/// The dates a tender notice announces, as instants (seconds since 1970, UTC).
public struct TenderSchedule: Codable, Sendable, Equatable {
  /// The first day the documents are issued (sale start).
  public var documentsIssuedAt: Int64
  public var saleEndsAt: Int64
  /// The bid deadline, which is also the opening time (法34).
  public var bidDeadline: Int64
  /// The opening key holders named in the notice, in order; every envelope must be sealed to
  /// exactly these, with this threshold.
  public var keyHolders: [KeyHolder]
  public var threshold: Int
  /// Set when the candidates are publicised.
  public var publicityEndsAt: Int64?
  /// Invitation tendering: the credit codes of the parties invited, at least 3 (法17); after
  /// prequalification, those who passed it. Only they may take the documents and bid.
  public var invited: [String] = []
  /// Prequalification (资格预审): when applications are due (条例17).
  public var applicationDeadline: Int64?

  public init(
    documentsIssuedAt: Int64, saleEndsAt: Int64, bidDeadline: Int64, keyHolders: [KeyHolder],
    threshold: Int
  ) {
    self.documentsIssuedAt = documentsIssuedAt
    self.saleEndsAt = saleEndsAt
    self.bidDeadline = bidDeadline
    self.keyHolders = keyHolders
    self.threshold = threshold
  }
}

extension TenderSchedule {
  /// Whether prequalification is still taking applications at `now`.
  public func inPrequalification(at now: Int64) -> Bool {
    applicationDeadline.map { now < $0 } ?? false
  }
}

/// A key holder as the notice names it: who, and the public key bidders seal its share to.
public struct KeyHolder: Codable, Sendable, Equatable {
  public var name: String
  /// `standard` or `sm`.
  public var suite: String
  /// The raw sealing public key, base64 (as in a `.pub` file).
  public var sealingKey: String
  /// Hex key id, as envelopes name the holder (docs/ENVELOPE.md); computed by the platform.
  public var keyID: String

  public init(name: String, suite: String, sealingKey: String, keyID: String) {
    self.name = name
    self.suite = suite
    self.sealingKey = sealingKey
    self.keyID = keyID
  }
}
