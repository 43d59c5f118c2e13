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
  private var amendments: [JSONValue] = []
  private let ocid: String?

  /// `ocid` names the process; by default the prefix and the section id (one platform's data).
  public init(ocid: String? = nil) { self.ocid = ocid }

  /// The releases of one section's events, in order; events that publish nothing are folded in.
  public static func releases(of events: [Logged], ocid: String? = nil) -> [JSONObject] {
    var state = OCDSReleases(ocid: ocid)
    return events.compactMap { state.fold($0) }
  }

  /// The release `latest` makes after `earlier` (the same section's), if it makes one.
  public static func release(of latest: Logged, after earlier: [Logged], ocid: String? = nil)
    -> JSONObject?
  {
    var state = OCDSReleases(ocid: ocid)
    for logged in earlier { _ = state.fold(logged) }
    return state.fold(latest)
  }

  /// A release package of `releases`, as the hub publishes it.
  public static func package(
    _ releases: [JSONObject], publisher: String, uri: String, at: Int64
  ) -> JSONObject {
    [
      "uri": .string(uri), "version": "1.1", "publishedDate": .string(iso(at)),
      "publisher": ["name": .string(publisher)],
      "extensions": JSONValue([bidExtension, chineseExtension]),
      "releases": .array(releases.map(JSONValue.object)),
    ]
  }

  private mutating func fold(_ logged: Logged) -> JSONObject? {
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
      var amendment: JSONObject = [
        "id": .string("\(number)"), "date": .string(Self.iso(at)),
        "description": .string("第\(number)次澄清与修改"),
      ]
      if let movedFrom {
        amendment["rationale"] = .string("投标截止时间由 \(Notice.legalTime(movedFrom)) 顺延（法23、条例21）")
      }
      amendments.append(.object(amendment))
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
    -> JSONObject
  {
    let buyer: JSONValue = Self.named(terms.tenderer)
    var parties: [JSONValue] = [Self.party(terms.tenderer, roles: ["buyer"])]
    if let agency = terms.agency {
      parties.append(Self.party(agency, roles: ["procuringEntity"]))
    }
    var tender: JSONObject = [
      "id": .string(terms.sectionID), "title": .string(terms.name), "status": .string(status),
      "value": Self.value(terms.estimate),
      "procurementMethod": .string(Self.method(terms.procedure)),
      "procurementMethodDetails": .string(Self.methodDetails(terms.procedure)),
      "awardCriteria": terms.evaluationMethod == .comprehensiveScoring
        ? "ratedCriteria" : "costOnly",
      "awardCriteriaDetails": terms.evaluationMethod == .comprehensiveScoring
        ? "综合评估法" : "经评审的最低投标价法",
      "mainProcurementCategory": "works", "submissionMethod": ["electronicSubmission"],
      // Declared by docs/ocds-extension.
      "administrativeDivision": ["scheme": "CN-GB/T2260", "id": .string(terms.region)],
      "industry": .string(terms.industry),
    ]
    if let project = terms.project { tender["projectName"] = .string(project) }
    if let schedule {
      tender["tenderPeriod"] = [
        "startDate": .string(Self.iso(schedule.documentsIssuedAt)),
        "endDate": .string(Self.iso(schedule.bidDeadline)),
      ]
    }
    if !amendments.isEmpty { tender["amendments"] = .array(amendments) }
    var release: JSONObject = [
      "ocid": .string(ocid ?? Self.ocidPrefix + terms.sectionID),
      "id": .string("\(terms.sectionID)-\(index)"), "date": .string(Self.iso(at)),
      "tag": [.string(tag)], "initiationType": "tender", "language": "zh", "buyer": buyer,
      "tender": .object(tender),
    ]
    if !opened.isEmpty {
      var details: [JSONValue] = []
      for (bidder, result) in opened.sorted(by: { $0.key < $1.key }) {
        var bid: JSONObject = [
          "id": .string("\(terms.sectionID)-\(bidder)"), "tenderers": [Self.named(bidder)],
        ]
        if let date = received[bidder] { bid["date"] = .string(Self.iso(date)) }
        switch result {
        case .opened(let items, _):
          bid["status"] = "valid"
          bid["value"] = Self.value(items.price)
        case .undecryptable(let outcome):
          bid["status"] = outcome == .withdrawn ? "withdrawn" : "disqualified"
        }
        details.append(.object(bid))
        let roles = awarded?.bidder == bidder ? ["tenderer", "supplier"] : ["tenderer"]
        parties.append(Self.party(bidder, roles: roles))
      }
      release["bids"] = ["details": .array(details)]
    }
    if let awarded {
      var award: JSONObject = [
        "id": .string("\(terms.sectionID)-award"), "status": "active",
        "date": .string(Self.iso(awarded.at)), "suppliers": [Self.named(awarded.bidder)],
      ]
      if let price = opened[awarded.bidder]?.items?.price { award["value"] = Self.value(price) }
      release["awards"] = [.object(award)]
      if let contract {
        release["contracts"] = [
          [
            "id": .string("\(terms.sectionID)-contract"),
            "awardID": .string("\(terms.sectionID)-award"), "status": "active",
            "value": Self.value(contract.price), "dateSigned": .string(Self.iso(contract.at)),
          ]
        ]
      }
    }
    release["parties"] = .array(parties)
    return release
  }

  /// An organization reference: the credit code stands for the name as well.
  static func named(_ code: String) -> JSONValue { ["id": .string(code), "name": .string(code)] }

  /// A party of the process, identified by its unified social credit code.
  static func party(_ code: String, roles: [String]) -> JSONValue {
    [
      "id": .string(code), "name": .string(code), "roles": JSONValue(roles),
      "identifier": ["scheme": "CN-USCC", "id": .string(code)],
    ]
  }

  static func value(_ money: Money) -> JSONValue {
    ["amount": .number(Double(money.fen) / 100), "currency": "CNY"]
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
