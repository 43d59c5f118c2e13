/// The red-flag indicators computed over open data, with Cardinal's codes and definitions (the
/// Open Contracting Partnership's `ocdscardinal indicators`), so a finding here can be checked
/// with that tool on the same OCDS data.
public enum RedFlagCode: String, Sendable, Codable, CaseIterable, Comparable {
  case r003 = "R003"
  case r018 = "R018"
  case r024 = "R024"
  case r025 = "R025"
  case r028 = "R028"
  case r030 = "R030"
  case r035 = "R035"
  case r036 = "R036"
  case r038 = "R038"
  case r048 = "R048"
  case r058 = "R058"

  public static func < (left: Self, right: Self) -> Bool { left.rawValue < right.rawValue }

  /// The indicator's name in Chinese.
  public var chinese: String {
    switch self {
    case .r003: "投标期限过短"
    case .r018: "仅一家投标"
    case .r024: "中标价与次低价过于接近"
    case .r025: "陪标嫌疑：投标多、中标极少"
    case .r028: "不同投标人报价相同"
    case .r030: "截止后递交的投标中标"
    case .r035: "除中标人外的投标均被否决"
    case .r036: "最低报价被否决"
    case .r038: "被否决的投标比例异常高"
    case .r048: "中标人经营范围异常庞杂"
    case .r058: "中标价远低于次低价"
    }
  }

  /// The indicator's name in English, as Cardinal names it.
  public var english: String {
    switch self {
    case .r003: "Short submission period"
    case .r018: "Single bid received"
    case .r024: "Price close to winning bid"
    case .r025: "Excessive unsuccessful bids"
    case .r028: "Identical bid prices"
    case .r030: "Late bid won"
    case .r035: "All except winning bid disqualified"
    case .r036: "Lowest bid disqualified"
    case .r038: "Excessive disqualified bids"
    case .r048: "Heterogeneous supplier"
    case .r058: "Heavily discounted bid"
    }
  }
}

/// One raised indicator: its value as Cardinal defines it, and its evidence — for a process the
/// parties involved (or the period's days for R003); for a party the processes (or, for R048,
/// the classifications).
public struct RedFlag: Sendable, Equatable, Codable {
  public var code: RedFlagCode
  public var value: Double
  public var evidence: [String]

  public init(code: RedFlagCode, value: Double, evidence: [String] = []) {
    self.code = code
    self.value = value
    self.evidence = evidence
  }
}

/// The fixed limits of the indicators (Cardinal's defaults, and our minimums); the outlier
/// indicators take their fences from the data.
public struct RedFlagSettings: Sendable, Equatable {
  /// R003: an open process's bid period shorter than this many days.
  public var shortPeriodDays = 15
  /// R025: the percentile of the numbers of valid bids that makes a top tenderer.
  public var topTendererPercentile = 75.0
  /// R035: the fewest other tenderers disqualified.
  public var disqualifiedOthers = 1
  /// R038: the fewest submitted bids of a tenderer, and processes of a buyer or agency.
  public var disqualifiedMinimumBids = 2
  public var disqualifiedMinimumProcesses = 2
  /// R048: the fewest suppliers whose varieties make a fence.
  public var varietyMinimumSuppliers = 20

  public init() {}
}
