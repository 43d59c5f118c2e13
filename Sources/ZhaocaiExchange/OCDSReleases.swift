import Foundation
import ZhaocaiDomain

/// Open data: a section's logged events as OCDS 1.1 releases with the bid extension. Each
/// release is a snapshot of everything known at its event, so any one of them stands alone and
/// merging them in order gives the same result as the last.
public struct OCDSReleases {
  /// `ocds-` and the publisher's six-character prefix, then the section id.
  public static let ocidPrefix = "ocds-zhcai1-"
  public static let bidExtension =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"
  /// Our own extension for the Chinese-specific fields (docs/ocds-extension).
  public static let chineseExtension =
    "https://raw.githubusercontent.com/zhaocai/zhaocai/main/docs/ocds-extension/extension.json"

  /// One logged event of a section, as the log holds it.
  public struct Logged: Sendable {
    public let index: UInt64
    public let at: Int64
    public let event: SectionEvent
    /// The terms a publication carries (the hub never sees the draft).
    public let terms: SectionTerms?

    public init(index: UInt64, at: Int64, event: SectionEvent, terms: SectionTerms? = nil) {
      self.index = index
      self.at = at
      self.event = event
      self.terms = terms
    }
  }

  private var terms: SectionTerms?
  private var schedule: TenderSchedule?
  private var status = "planned"
  private var received: [String: Int64] = [:]
  private var opened: [String: OpeningResult] = [:]
  private var awarded: (bidder: String, at: Int64)?
  private var contract: (price: Money, at: Int64)?
  private var amendments: [[String: Any]] = []
  private let ocid: String?

  /// `ocid` names the process; by default the prefix and the section id (one platform's data).
  public init(ocid: String? = nil) { self.ocid = ocid }

  /// The releases of one section's events, in order; events that publish nothing are folded in.
  public static func releases(of events: [Logged], ocid: String? = nil) -> [[String: Any]] {
    var state = OCDSReleases(ocid: ocid)
    return events.compactMap { state.fold($0) }
  }

  /// The release `latest` makes after `earlier` (the same section's), if it makes one.
  public static func release(of latest: Logged, after earlier: [Logged], ocid: String? = nil)
    -> [String: Any]?
  {
    var state = OCDSReleases(ocid: ocid)
    for logged in earlier { _ = state.fold(logged) }
    return state.fold(latest)
  }

  /// A release package of `releases`, as the hub publishes it.
  public static func package(
    _ releases: [[String: Any]], publisher: String, uri: String, at: Int64
  ) -> [String: Any] {
    [
      "uri": uri, "version": "1.1", "publishedDate": iso(at), "publisher": ["name": publisher],
      "extensions": [bidExtension, chineseExtension], "releases": releases,
    ]
  }

  private mutating func fold(_ logged: Logged) -> [String: Any]? {
    if let terms = logged.terms { self.terms = terms }
    var tag: String?
    switch logged.event {
    case .drafted(let terms):
      self.terms = terms
    case .published(let schedule, _):
      self.schedule = schedule
      status = "active"
      tag = "tender"
    case .amended(let number, let at, let deadline, let movedFrom, _):
      schedule?.bidDeadline = deadline
      var amendment: [String: Any] = [
        "id": "\(number)", "date": Self.iso(at), "description": "第\(number)次澄清与修改",
      ]
      if let movedFrom {
        amendment["rationale"] = "投标截止时间由 \(Notice.legalTime(movedFrom)) 顺延（法23、条例21）"
      }
      amendments.append(amendment)
      tag = "tenderAmendment"
    case .bidReceived(let bidder, _, let at, _):
      received[bidder] = at
    case .bidWithdrawn(let bidder, _):
      received[bidder] = nil
    case .bidOpened(let bidder, let items, let key):
      opened[bidder] = .opened(items: items, bidKey: key)
    case .bidUndecryptable(let bidder, let outcome):
      opened[bidder] = .undecryptable(outcome)
    case .openingRecordPublished:
      tag = "tenderUpdate"
    case .sectionFailed:
      status = "unsuccessful"
      tag = "tenderUpdate"
    case .awarded(let bidder, _, let at, _, _):
      awarded = (bidder, at)
      status = "complete"
      tag = "award"
    case .contractSigned(let at, let price, _):
      contract = (price, at)
      tag = "contract"
    case .terminated:
      status = "cancelled"
      tag = "tenderCancellation"
    default:
      break
    }
    guard let tag, let terms else { return nil }
    return release(terms, tag: tag, index: logged.index, at: logged.at)
  }

  private func release(_ terms: SectionTerms, tag: String, index: UInt64, at: Int64)
    -> [String: Any]
  {
    let buyer = ["id": terms.tenderer, "name": terms.tenderer]
    var parties: [[String: Any]] = [
      [
        "id": terms.tenderer, "name": terms.tenderer, "roles": ["buyer"],
        "identifier": ["scheme": "CN-USCC", "id": terms.tenderer],
      ]
    ]
    if let agency = terms.agency {
      parties.append([
        "id": agency, "name": agency, "roles": ["procuringEntity"],
        "identifier": ["scheme": "CN-USCC", "id": agency],
      ])
    }
    var tender: [String: Any] = [
      "id": terms.sectionID, "title": terms.name, "status": status,
      "value": Self.value(terms.estimate), "procurementMethod": Self.method(terms.procedure),
      "procurementMethodDetails": Self.methodDetails(terms.procedure),
      "awardCriteria": terms.evaluationMethod == .comprehensiveScoring
        ? "ratedCriteria" : "costOnly",
      "awardCriteriaDetails": terms.evaluationMethod == .comprehensiveScoring
        ? "综合评估法" : "经评审的最低投标价法",
      "mainProcurementCategory": "works", "submissionMethod": ["electronicSubmission"],
      // Declared by docs/ocds-extension.
      "administrativeDivision": ["scheme": "CN-GB/T2260", "id": terms.region],
      "industry": terms.industry,
    ]
    if let project = terms.project { tender["projectName"] = project }
    if let schedule {
      tender["tenderPeriod"] = [
        "startDate": Self.iso(schedule.documentsIssuedAt),
        "endDate": Self.iso(schedule.bidDeadline),
      ]
    }
    if !amendments.isEmpty { tender["amendments"] = amendments }
    var release: [String: Any] = [
      "ocid": ocid ?? Self.ocidPrefix + terms.sectionID, "id": "\(terms.sectionID)-\(index)",
      "date": Self.iso(at), "tag": [tag], "initiationType": "tender", "language": "zh",
      "buyer": buyer, "tender": tender,
    ]
    if !opened.isEmpty {
      var details: [[String: Any]] = []
      for (bidder, result) in opened.sorted(by: { $0.key < $1.key }) {
        var bid: [String: Any] = [
          "id": "\(terms.sectionID)-\(bidder)", "tenderers": [["id": bidder, "name": bidder]],
        ]
        if let date = received[bidder] { bid["date"] = Self.iso(date) }
        switch result {
        case .opened(let items, _):
          bid["status"] = "valid"
          bid["value"] = Self.value(items.price)
        case .undecryptable(let outcome):
          bid["status"] = outcome == .withdrawn ? "withdrawn" : "disqualified"
        }
        details.append(bid)
        let roles = awarded?.bidder == bidder ? ["tenderer", "supplier"] : ["tenderer"]
        parties.append([
          "id": bidder, "name": bidder, "roles": roles,
          "identifier": ["scheme": "CN-USCC", "id": bidder],
        ])
      }
      release["bids"] = ["details": details]
    }
    if let awarded {
      var award: [String: Any] = [
        "id": "\(terms.sectionID)-award", "status": "active", "date": Self.iso(awarded.at),
        "suppliers": [["id": awarded.bidder, "name": awarded.bidder]],
      ]
      if let price = opened[awarded.bidder]?.items?.price { award["value"] = Self.value(price) }
      release["awards"] = [award]
      if let contract {
        release["contracts"] = [
          [
            "id": "\(terms.sectionID)-contract", "awardID": "\(terms.sectionID)-award",
            "status": "active", "value": Self.value(contract.price),
            "dateSigned": Self.iso(contract.at),
          ]
        ]
      }
    }
    release["parties"] = parties
    return release
  }

  static func value(_ money: Money) -> [String: Any] {
    ["amount": Double(money.fen) / 100, "currency": "CNY"]
  }

  static func method(_ procedure: Procedure) -> String {
    switch procedure {
    case .open: "open"
    case .openWithPrequalification, .invitationWithPrequalification: "selective"
    case .invitation: "limited"
    }
  }

  static func methodDetails(_ procedure: Procedure) -> String {
    switch procedure {
    case .open: "公开招标"
    case .openWithPrequalification: "公开招标（资格预审）"
    case .invitation: "邀请招标"
    case .invitationWithPrequalification: "邀请招标（资格预审）"
    }
  }

  static func iso(_ seconds: Int64) -> String {
    Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
  }
}
