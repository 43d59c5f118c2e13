/// A statutory rule the software enforces: a stable code, the article it comes from, and what it
/// says in both languages (docs/RULES.md).
public struct Rule: Sendable, Hashable, CustomStringConvertible {
  public let code: String
  public let article: String
  public let chinese: String
  public let english: String

  public var description: String { "\(code) (\(article))" }
}

/// A transition refused because it would break `rule`; `detail` says how, for the user, and
/// `detailChinese` says the same in Chinese, with the same dates, amounts, counts and ids (nil
/// where none was given: a refusal then states the rule alone in Chinese).
public struct RuleViolation: Error, Sendable, Equatable, CustomStringConvertible {
  public let rule: Rule
  public let detail: String
  public let detailChinese: String?

  public init(_ rule: Rule, _ detail: String, chinese: String? = nil) {
    self.rule = rule
    self.detail = detail
    self.detailChinese = chinese
  }

  public var description: String { "\(rule.code) \(rule.article): \(detail)" }

  /// The rule and the English detail: the Chinese translates the detail and carries no fact of
  /// its own, so a violation expected as `RuleViolation(rule, "english")` equals the one thrown
  /// with its Chinese (and one relayed from a platform that sent no Chinese).
  public static func == (lhs: RuleViolation, rhs: RuleViolation) -> Bool {
    lhs.rule == rhs.rule && lhs.detail == rhs.detail
  }
}

/// Every rule of RULES.md, by the name code uses; `grep` a code to find its check and its test.
public enum Rules {
  // Time limits
  public static let bidDeadlineMin20Days = Rule(
    code: "RULE_DEADLINE_MIN_20_DAYS", article: "法24",
    chinese: "自招标文件开始发出之日起至投标截止之日止，最短不得少于20日",
    english: "at least 20 days from the first issue of the tender documents to the bid deadline")
  public static let salePeriodMin5Days = Rule(
    code: "RULE_SALE_PERIOD_MIN_5_DAYS", article: "条例16",
    chinese: "招标文件或资格预审文件的发售期不得少于5日",
    english: "tender or prequalification documents are on sale for at least 5 days")
  public static let prequalificationMin5Days = Rule(
    code: "RULE_PREQUALIFICATION_MIN_5_DAYS", article: "条例17",
    chinese: "资格预审申请文件的提交时间，自资格预审文件停止发售之日起不得少于5日",
    english:
      "prequalification applications are due at least 5 days after the documents stop being issued")
  public static let amendmentMin15Days = Rule(
    code: "RULE_AMENDMENT_MIN_15_DAYS", article: "法23, 条例21",
    chinese: "澄清或者修改可能影响投标文件编制的，应当在投标截止时间至少15日前发出；不足15日的，顺延投标截止时间",
    english:
      "a clarification or amendment is issued at least 15 days before the bid deadline, or the deadline moves"
  )
  public static let prequalificationAmendmentMin3Days = Rule(
    code: "RULE_PREQUALIFICATION_AMENDMENT_MIN_3_DAYS", article: "条例21",
    chinese: "资格预审文件的澄清或者修改应当在提交资格预审申请文件截止时间至少3日前发出；不足3日的，顺延截止时间",
    english:
      "a prequalification amendment is issued at least 3 days before the application deadline, or it moves"
  )
  public static let objectionToDocumentsInTime = Rule(
    code: "RULE_OBJECTION_DOCUMENTS_IN_TIME", article: "条例22",
    chinese: "对招标文件有异议的，应当在投标截止时间10日前提出；对资格预审文件有异议的，应当在提交资格预审申请文件截止时间2日前提出",
    english:
      "objections to tender documents come at least 10 days (prequalification: 2 days) before the deadline"
  )
  public static let objectionAnswer3Days = Rule(
    code: "RULE_OBJECTION_ANSWER_3_DAYS", article: "条例22, 条例54",
    chinese: "招标人应当自收到异议之日起3日内作出答复；作出答复前，应当暂停招标投标活动",
    english:
      "the tenderer answers an objection within 3 days and the affected step waits for the answer")
  public static let openingAtDeadline = Rule(
    code: "RULE_OPENING_AT_DEADLINE", article: "法34",
    chinese: "开标应当在招标文件确定的提交投标文件截止时间的同一时间公开进行",
    english: "bids are opened in public at the bid deadline")
  public static let publicityWithin3Days = Rule(
    code: "RULE_PUBLICITY_WITHIN_3_DAYS", article: "条例54",
    chinese: "招标人应当自收到评标报告之日起3日内公示中标候选人",
    english: "winning candidates are publicised within 3 days of receiving the evaluation report")
  public static let publicityMin3Days = Rule(
    code: "RULE_PUBLICITY_MIN_3_DAYS", article: "条例54",
    chinese: "中标候选人公示期不得少于3日",
    english: "candidate publicity lasts at least 3 days")
  public static let contractWithin30Days = Rule(
    code: "RULE_CONTRACT_WITHIN_30_DAYS", article: "法46",
    chinese: "招标人和中标人应当自中标通知书发出之日起30日内订立书面合同",
    english: "the contract is signed within 30 days of the award notice")
  public static let reportWithin15Days = Rule(
    code: "RULE_REPORT_WITHIN_15_DAYS", article: "法47",
    chinese: "招标人应当自确定中标人之日起15日内向有关行政监督部门提交招标投标情况的书面报告",
    english: "a written report is filed with the supervisor within 15 days of the award")
  public static let complaintWithin10Days = Rule(
    code: "RULE_COMPLAINT_WITHIN_10_DAYS", article: "条例60",
    chinese: "投诉应当自知道或者应当知道之日起10日内提出；依法应当先提出异议的，应当先提出异议",
    english:
      "a complaint is filed within 10 days of knowing, after an objection where one is required")
  public static let complaintDecisionDays = Rule(
    code: "RULE_COMPLAINT_DECISION_DAYS", article: "条例61",
    chinese: "行政监督部门应当自收到投诉之日起3个工作日内决定是否受理，并自受理之日起30个工作日内作出书面处理决定",
    english:
      "the supervisor accepts or refuses within 3 working days and rules within 30 working days")
  public static let bondRefund5Days = Rule(
    code: "RULE_BOND_REFUND_5_DAYS", article: "条例57, 条例35",
    chinese: "投标保证金及银行同期存款利息应当在书面合同签订后（或撤回投标文件后）5日内退还",
    english:
      "the bid bond and its interest are refunded within 5 days of the contract (or of a withdrawal)"
  )
  public static let violationPublication = Rule(
    code: "RULE_VIOLATION_PUBLICATION", article: "违法行为记录公告暂行办法",
    chinese: "不良行为记录应当自处理决定作出之日起20个工作日内公告，公告期6个月（或禁入期更长者）",
    english:
      "a violation record is published within 20 working days, for 6 months or the ban if longer")

  public static let suspendedByOrder = Rule(
    code: "RULE_SUSPENDED_BY_ORDER", article: "条例62",
    chinese: "行政监督部门责令暂停招标投标活动的，恢复前不得进行任何招标投标活动",
    english:
      "while a supervision order suspends the process, no action may be taken until it resumes"
  )

  // Counts and amounts
  public static let minimumThreeBids = Rule(
    code: "RULE_MIN_3_BIDS", article: "条例44",
    chinese: "投标人少于3个的，不得开标；招标人应当重新招标",
    english: "with fewer than 3 bidders the bids are not opened and the tender must be repeated")
  public static let openingObjectionOnTheSpot = Rule(
    code: "RULE_OPENING_OBJECTION_ON_THE_SPOT", article: "条例44",
    chinese: "投标人对开标有异议的，应当在开标现场提出，招标人应当当场作出答复，并制作记录",
    english: "objections to the opening are raised and answered at the opening, and recorded")
  public static let bidBondMax2Percent = Rule(
    code: "RULE_BID_BOND_MAX_2_PERCENT", article: "条例26",
    chinese: "投标保证金不得超过招标项目估算价的2%",
    english: "the bid bond is at most 2% of the section's estimated price")
  public static let performanceBondMax10Percent = Rule(
    code: "RULE_PERFORMANCE_BOND_MAX_10_PERCENT", article: "条例58",
    chinese: "履约保证金不得超过中标合同金额的10%",
    english: "the performance bond is at most 10% of the contract price")
  public static let committeeComposition = Rule(
    code: "RULE_COMMITTEE_COMPOSITION", article: "法37",
    chinese: "评标委员会成员人数为5人以上单数，其中技术、经济等方面的专家不得少于成员总数的三分之二",
    english:
      "the evaluation committee has 5 or more members, an odd number, at least two thirds experts")
  public static let expertRecusal = Rule(
    code: "RULE_EXPERT_RECUSAL", article: "法37, 条例46",
    chinese: "评标专家应当从专家库内随机抽取；与投标人有利害关系的人不得进入评标委员会，名单在中标结果确定前应当保密",
    english:
      "experts are drawn at random, anyone with an interest is excluded, names stay confidential")
  public static let evaluationExtension = Rule(
    code: "RULE_EVALUATION_EXTENSION", article: "条例48",
    chinese: "超过三分之一的评标委员会成员认为评标时间不够的，招标人应当适当延长",
    english:
      "if more than a third of the committee finds the time too short, the evaluation is extended")
  public static let committeeLeader = Rule(
    code: "RULE_COMMITTEE_LEADER", article: "评标暂行规定9",
    chinese: "评标委员会负责人由评标委员会成员推举产生，与其他成员有同等的表决权",
    english:
      "the committee's leader is elected by its members and has no more vote than any of them")
  public static let evaluationStages = Rule(
    code: "RULE_EVALUATION_STAGES", article: "条例49, 评标暂行规定19-30",
    chinese: "评标委员会成员签到并声明无应当回避情形后，按招标文件规定的标准和方法依次进行资格评审、初步评审、详细评审和价格评审；退回已完成的阶段应当说明理由",
    english:
      "members check in declaring no conflict, then review in order: qualification, preliminary, detailed, price; going back to a stage needs a stated reason"
  )
  public static let maximumThreeCandidates = Rule(
    code: "RULE_MAX_3_CANDIDATES", article: "条例53",
    chinese: "评标报告推荐的中标候选人应当不超过3个，并标明排序",
    english: "at most 3 winning candidates, ranked")
  public static let allBidsRejected = Rule(
    code: "RULE_ALL_BIDS_REJECTED", article: "法42",
    chinese: "所有投标被否决的，招标人应当重新招标",
    english: "when every bid is rejected the tender must be repeated")
  public static let firstCandidateWins = Rule(
    code: "RULE_FIRST_CANDIDATE_WINS", article: "条例55",
    chinese: "国有资金占控股或者主导地位的项目，招标人应当确定排名第一的中标候选人为中标人",
    english: "for state-funded projects the first-ranked candidate wins unless it gives up or fails"
  )

  public static let bidderIndependent = Rule(
    code: "RULE_BIDDER_INDEPENDENT", article: "条例34",
    chinese: "与招标人存在利害关系可能影响招标公正性的法人、其他组织或者个人，不得参加投标；单位负责人为同一人或者存在控股、管理关系的不同单位，不得参加同一标段投标",
    english:
      "the tenderer, its agency and parties with an interest in the tenderer may not bid; nor may units with one legal representative or in a control relation bid for one section"
  )

  // Sealed bids (电子招标投标办法)
  public static let bidMustBeEncrypted = Rule(
    code: "RULE_BID_MUST_BE_ENCRYPTED", article: "办法26",
    chinese: "投标人未按规定加密的投标文件，电子招标投标交易平台应当拒收并提示",
    english: "the platform refuses a bid that is not encrypted as required")
  public static let lateBidRefused = Rule(
    code: "RULE_LATE_BID_REFUSED", article: "办法27",
    chinese: "投标截止时间后送达的投标文件，电子招标投标交易平台应当拒收；截止前未完成传输的，视为撤回",
    english:
      "a late bid is refused; a bid not fully received by the deadline is treated as withdrawn")
  public static let noDecryptionBeforeDeadline = Rule(
    code: "RULE_NO_DECRYPTION_BEFORE_DEADLINE", article: "办法28",
    chinese: "在投标截止时间前，任何单位和个人不得解密、提取投标文件",
    english: "nobody may decrypt a bid before the bid deadline")
  public static let undecryptableBid = Rule(
    code: "RULE_UNDECRYPTABLE_BID", article: "办法31",
    chinese: "因投标人原因未解密的视为撤销投标文件，因其他原因未解密的视为撤回，其他投标文件的开标继续进行",
    english:
      "a bid undecryptable through the bidder's fault is revoked, otherwise withdrawn; the opening goes on"
  )

  // Deemed collusion between bidders (条例40): signs the committee weighs, never refusals.
  public static let collusionSamePreparer = Rule(
    code: "RULE_COLLUSION_SAME_PREPARER", article: "条例40(1)",
    chinese: "不同投标人的投标文件由同一单位或者个人编制",
    english: "bid documents of different bidders prepared by the same organisation or person")
  public static let collusionSameAgent = Rule(
    code: "RULE_COLLUSION_SAME_AGENT", article: "条例40(2)",
    chinese: "不同投标人委托同一单位或者个人办理投标事宜",
    english: "different bidders have the same organisation or person handle their bidding")
  public static let collusionSameStaff = Rule(
    code: "RULE_COLLUSION_SAME_STAFF", article: "条例40(3)",
    chinese: "不同投标人的投标文件载明的项目管理成员为同一人",
    english: "bid documents of different bidders name the same project management member")
  public static let collusionAlikeDocuments = Rule(
    code: "RULE_COLLUSION_ALIKE_DOCUMENTS", article: "条例40(4)",
    chinese: "不同投标人的投标文件异常一致或者投标报价呈规律性差异",
    english:
      "bid documents of different bidders abnormally identical, or their prices in a regular pattern"
  )
  public static let collusionMixedDocuments = Rule(
    code: "RULE_COLLUSION_MIXED_DOCUMENTS", article: "条例40(5)",
    chinese: "不同投标人的投标文件相互混装",
    english: "bid documents of different bidders mixed up with each other")
  public static let collusionSameBondAccount = Rule(
    code: "RULE_COLLUSION_SAME_BOND_ACCOUNT", article: "条例40(6)",
    chinese: "不同投标人的投标保证金从同一单位或者个人的账户转出",
    english:
      "bid bonds of different bidders paid from the account of the same organisation or person"
  )

  // Identifiers
  public static let prequalifiedMin3 = Rule(
    code: "RULE_PREQUALIFIED_MIN_3", article: "条例19",
    chinese: "通过资格预审的申请人少于3个的，应当重新招标",
    english: "with fewer than 3 applicants passing prequalification the tender is held again")
  public static let creditCodeValid = Rule(
    code: "RULE_CREDIT_CODE_VALID", article: "GB 32100-2015",
    chinese: "统一社会信用代码应为18位且校验码正确",
    english: "a unified social credit code has 18 characters and a correct check character")

  /// Every rule above, in order: a code another platform sends is looked up here.
  public static let all: [Rule] = [
    bidDeadlineMin20Days,
    salePeriodMin5Days,
    prequalificationMin5Days,
    amendmentMin15Days,
    prequalificationAmendmentMin3Days,
    objectionToDocumentsInTime,
    objectionAnswer3Days,
    openingAtDeadline,
    publicityWithin3Days,
    publicityMin3Days,
    contractWithin30Days,
    reportWithin15Days,
    complaintWithin10Days,
    complaintDecisionDays,
    bondRefund5Days,
    violationPublication,
    suspendedByOrder,
    minimumThreeBids,
    openingObjectionOnTheSpot,
    bidBondMax2Percent,
    performanceBondMax10Percent,
    committeeComposition,
    expertRecusal,
    evaluationExtension,
    maximumThreeCandidates,
    allBidsRejected,
    firstCandidateWins,
    bidderIndependent,
    collusionSamePreparer,
    collusionSameAgent,
    collusionSameStaff,
    collusionAlikeDocuments,
    collusionMixedDocuments,
    collusionSameBondAccount,
    bidMustBeEncrypted,
    lateBidRefused,
    noDecryptionBeforeDeadline,
    undecryptableBid,
    prequalifiedMin3,
    creditCodeValid,
    committeeLeader,
    evaluationStages,
  ]
}
