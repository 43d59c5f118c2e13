/// One contracting process as the red flags read it from open data (an OCDS compiled release):
/// the method, the bid period, who bought, the bids with their status and the awards. Only what
/// an indicator reads is kept.
public struct ContractingProcess: Sendable, Equatable {
  /// A bid of the process (`bids/details[]`).
  public struct Bid: Sendable, Equatable {
    /// The tenderers' ids (unified social credit codes at the hub).
    public var tenderers: [String]
    /// `valid`, `disqualified`, `pending`, `withdrawn` or `invited`, as OCDS spells them.
    public var status: String
    public var amount: Double?
    public var currency: String?
    /// When the bid was received, seconds since 1970, where the data says.
    public var date: Int64?

    public init(
      tenderers: [String], status: String, amount: Double? = nil, currency: String? = nil,
      date: Int64? = nil
    ) {
      self.tenderers = tenderers
      self.status = status
      self.amount = amount
      self.currency = currency
      self.date = date
    }

    /// Submitted: anything but invited or withdrawn (so valid, disqualified and pending).
    var isSubmitted: Bool { status != "invited" && status != "withdrawn" }
  }

  /// An award of the process (`awards[]`).
  public struct Award: Sendable, Equatable {
    /// `active`, `pending`, `cancelled` or `unsuccessful`.
    public var status: String
    public var suppliers: [String]

    public init(status: String, suppliers: [String]) {
      self.status = status
      self.suppliers = suppliers
    }
  }

  public var ocid: String
  /// `/tender/procurementMethod`: `open`, `selective`, `limited` or `direct`.
  public var method: String?
  /// `/tender/awardCriteria`: `priceOnly`, `costOnly`, `ratedCriteria` …
  public var awardCriteria: String?
  /// `/tender/tenderPeriod`, seconds since 1970.
  public var periodStart: Int64?
  public var periodEnd: Int64?
  public var buyer: String?
  public var procuringEntity: String?
  /// The first-level classification of what was bought (at the hub, the industry).
  public var classification: String?
  /// `/tender/value/amount`: the estimated price, where published.
  public var estimate: Double?
  public var bids: [Bid]
  public var awards: [Award]

  public init(
    ocid: String, method: String? = nil, awardCriteria: String? = nil, periodStart: Int64? = nil,
    periodEnd: Int64? = nil, buyer: String? = nil, procuringEntity: String? = nil,
    classification: String? = nil, estimate: Double? = nil, bids: [Bid] = [],
    awards: [Award] = []
  ) {
    self.ocid = ocid
    self.method = method
    self.awardCriteria = awardCriteria
    self.periodStart = periodStart
    self.periodEnd = periodEnd
    self.buyer = buyer
    self.procuringEntity = procuringEntity
    self.classification = classification
    self.estimate = estimate
    self.bids = bids
    self.awards = awards
  }

  /// The active awards, when every award is final (none pending): the state the outlier
  /// indicators need to be stable. Nil while an award is pending.
  var finalActiveAwards: [Award]? {
    var active: [Award] = []
    for award in awards {
      switch award.status {
      case "active": active.append(award)
      case "cancelled", "unsuccessful": break
      default: return nil
      }
    }
    return active
  }

  /// The single supplier of the single active award, when awards are final and there is one.
  var soleWinner: String? {
    guard let active = finalActiveAwards, active.count == 1, active[0].suppliers.count == 1
    else { return nil }
    return active[0].suppliers[0]
  }
}
