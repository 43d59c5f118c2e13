/// The notices a section publishes, each when its step happens (法16, 条例54, 法45 …).
public enum NoticeKind: String, Codable, Sendable, CaseIterable {
  case tenderNotice
  case prequalificationNotice
  case invitation
  case amendment
  case candidatePublicity
  case resultNotice
  case contractNotice
  case terminationNotice
  case failureNotice

  public var chinese: String {
    switch self {
    case .tenderNotice: "招标公告"
    case .prequalificationNotice: "资格预审公告"
    case .invitation: "投标邀请书"
    case .amendment: "澄清与修改公告"
    case .candidatePublicity: "中标候选人公示"
    case .resultNotice: "中标结果公告"
    case .contractNotice: "合同订立公告"
    case .terminationNotice: "终止招标公告"
    case .failureNotice: "招标失败公告"
    }
  }

  public var english: String {
    switch self {
    case .tenderNotice: "Tender notice"
    case .prequalificationNotice: "Prequalification notice"
    case .invitation: "Invitation to bid"
    case .amendment: "Clarification or amendment"
    case .candidatePublicity: "Candidates for award"
    case .resultNotice: "Award notice"
    case .contractNotice: "Contract notice"
    case .terminationNotice: "Termination notice"
    case .failureNotice: "Failed tender notice"
    }
  }
}

/// A published notice: what, for which section, and its text (Chinese first).
public struct Notice: Codable, Sendable, Equatable {
  public let kind: NoticeKind
  public let sectionID: String
  public let title: String
  public let body: String

  public init(kind: NoticeKind, sectionID: String, title: String, body: String) {
    self.kind = kind
    self.sectionID = sectionID
    self.title = title
    self.body = body
  }

  /// The notice an event publishes, if it publishes one; `section` is the state after it.
  /// Committee names appear first in the result notice (法37: confidential until then).
  public static func published(by event: SectionEvent, in section: Section) -> Notice? {
    let terms = section.terms
    let make = { (kind: NoticeKind, lines: [String]) in
      Notice(
        kind: kind, sectionID: terms.sectionID, title: "\(terms.name)\(kind.chinese)",
        body: lines.joined(separator: "\n"))
    }
    switch event {
    case .published(let schedule, _):
      let kind: NoticeKind =
        switch terms.procedure {
        case .open: .tenderNotice
        case .openWithPrequalification, .invitationWithPrequalification: .prequalificationNotice
        case .invitation: .invitation
        }
      return make(
        kind,
        [
          "标段编号：\(terms.sectionID)", "招标人：\(terms.tenderer)",
          "招标代理机构：\(terms.agency ?? "无")", "行业：\(terms.industry)　地区：\(terms.region)",
          "估算价：\(terms.estimate)　投标保证金：\(terms.bidBond)",
          "招标文件发售：\(legalTime(schedule.documentsIssuedAt)) 至 \(legalTime(schedule.saleEndsAt))",
          "投标截止及开标时间：\(legalTime(schedule.bidDeadline))",
          "开标密钥持有人：\(schedule.keyHolders.map(\.name).joined(separator: "、"))（\(schedule.threshold)方共同解密）",
        ])
    case .amended(let number, _, let deadline, let movedFrom, _):
      var lines = ["第\(number)次澄清与修改", "投标截止时间：\(legalTime(deadline))"]
      if let movedFrom { lines.append("原截止时间 \(legalTime(movedFrom)) 依法顺延（法23、条例21）") }
      return make(.amendment, lines)
    case .publicityStarted(let start, let end):
      let candidates = section.evaluation?.candidates ?? []
      return make(
        .candidatePublicity,
        candidates.enumerated().map {
          "第\($0.offset + 1)名：\($0.element)\(price(of: $0.element, in: section))"
        }
          + ["公示期：\(legalTime(start)) 至 \(legalTime(end))", "对公示结果有异议的，应在公示期内提出（条例54）"])
    case .awarded(let bidder, let rank, _, _, _):
      let members = section.evaluation?.members.map(\.id) ?? []
      let excused = (section.evaluation?.excused ?? [:]).sorted { $0.key < $1.key }.map {
        "中标候选人 \($0.key) \($0.value.chinese)（条例55）"
      }
      return make(
        .resultNotice,
        [
          "中标人：\(bidder)（第\(rank)名中标候选人）\(price(of: bidder, in: section))",
          "评标委员会成员：\(members.joined(separator: "、"))",
        ] + excused)
    case .contractSigned(_, let contractPrice, _):
      return make(
        .contractNotice,
        ["合同当事人：\(terms.tenderer)、\(section.award?.bidder ?? "")", "合同价款：\(contractPrice)"])
    case .terminated(_, let reason):
      return make(.terminationNotice, ["终止原因：\(reason)"])
    case .sectionFailed(let at, let code):
      // The public sees why the tender failed and that it is tendered again (条例44, 法42).
      let rule = Rules.all.first { $0.code == code }
      return make(
        .failureNotice,
        [
          "标段编号：\(terms.sectionID)", "招标人：\(terms.tenderer)",
          "失败时间：\(legalTime(at))", "收到投标文件：\(section.bids.count)份",
          "失败原因：\(rule.map { "\($0.chinese)（\($0.article)）" } ?? code)",
          "招标人应当依法重新招标。",
        ])
    case .candidateExcused(let bidder, let ground, _):
      return make(
        .candidatePublicity,
        ["中标候选人 \(bidder) \(ground.chinese)，依法不再作为中标候选人（条例55）"])
    default:
      return nil
    }
  }

  private static func price(of bidder: String, in section: Section) -> String {
    section.openingResults[bidder]?.items.map { "，投标报价 \($0.price)" } ?? ""
  }

  /// An instant as legal time (Asia/Shanghai), to the minute.
  public static func legalTime(_ instant: Int64) -> String {
    let date = LegalDate(instant: instant)
    let minutes = (instant - date.startInstant) / 60
    let hh = minutes / 60
    let mm = minutes % 60
    return "\(date) \(hh < 10 ? "0" : "")\(hh):\(mm < 10 ? "0" : "")\(mm)"
  }
}
