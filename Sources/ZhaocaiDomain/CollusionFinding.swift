/// A sign of deemed collusion between bidders (串通投标, 条例40), one for each of its six items.
public enum CollusionSign: String, Codable, Sendable, CaseIterable {
  /// (1) prepared by one organisation or person: one machine, author, document id or file.
  case samePreparer
  /// (2) one organisation or person handling the bidding of several: one address or device.
  case sameAgent
  /// (3) one project manager or key staff member named by several bids.
  case sameStaff
  /// (4) documents abnormally alike, or prices in a regular pattern.
  case alikeDocuments
  /// (5) documents mixed up: one bidder's name or code inside another's files.
  case mixedDocuments
  /// (6) bonds paid from one account.
  case sameBondAccount

  public var rule: Rule {
    switch self {
    case .samePreparer: Rules.collusionSamePreparer
    case .sameAgent: Rules.collusionSameAgent
    case .sameStaff: Rules.collusionSameStaff
    case .alikeDocuments: Rules.collusionAlikeDocuments
    case .mixedDocuments: Rules.collusionMixedDocuments
    case .sameBondAccount: Rules.collusionSameBondAccount
    }
  }
}

/// How much a finding weighs: `strong` where the match can hardly be chance (one machine, one
/// document id, one bank account), `moderate` where it could (one author name, one address),
/// `weak` where it only supports another finding.
public enum FindingStrength: String, Codable, Sendable, Comparable, CaseIterable {
  case weak, moderate, strong

  private var rank: Int {
    switch self {
    case .weak: 0
    case .moderate: 1
    case .strong: 2
    }
  }

  public static func < (lhs: FindingStrength, rhs: FindingStrength) -> Bool {
    lhs.rank < rhs.rank
  }
}

/// One matched fact behind a finding: the field compared, the values or passages that matched,
/// and the files (`bidder/file name`) they came from.
public struct CollusionEvidence: Codable, Sendable, Equatable {
  public var field: String
  public var values: [String]
  public var files: [String]

  public init(field: String, values: [String], files: [String] = []) {
    self.field = field
    self.values = values
    self.files = files
  }
}

/// A sign found among the bids of one section, with its evidence: what the committee weighs
/// and the supervisor is alerted to. It is not a decision; the committee decides (条例40).
public struct CollusionFinding: Codable, Sendable, Equatable {
  public var sign: CollusionSign
  /// The bidders (credit codes, sorted): a pair, or all those in a price pattern.
  public var bidders: [String]
  public var strength: FindingStrength
  public var evidence: [CollusionEvidence]

  public init(
    sign: CollusionSign, bidders: [String], strength: FindingStrength,
    evidence: [CollusionEvidence]
  ) {
    self.sign = sign
    self.bidders = bidders.sorted()
    self.strength = strength
    self.evidence = evidence
  }
}
