import Foundation
import Hummingbird
import ZhaocaiDomain

/// What the platform must publish about itself (电子招标投标办法, platform roles): its legal
/// basis, its duties and how each is carried out, and the time limits it works to — served as
/// JSON (`GET /api/v1/legal-basis`) and as the public page at `/legal-basis`.
enum LegalBasis {
  static let basis: [(title: String, articles: String)] = [
    ("中华人民共和国招标投标法", "第7条（行政监督）、第47条（书面报告）、第65条（投诉）"),
    ("中华人民共和国招标投标法实施条例", "第4条（监督职责分工）、第60–62条（投诉处理）、第79条（不良行为记录）"),
    ("电子招标投标办法（八部委令第20号）", "第46–51条（电子招标投标监督、行政监督平台）"),
    ("招标投标违法行为记录公告暂行办法", "公告期限与公告期"),
  ]

  static let duties: [(duty: String, procedure: String)] = [
    (
      "在线监督（实时跟踪）Live tracking",
      "交易平台经交换协议实时推送本辖区、本行业项目的流程事件（只读；开标前不含投标内容，结果公告前不含专家名单） / the trading platforms send each process's events in the remit, read-only and least-privilege"
    ),
    (
      "规则预警 Rule alerts",
      "按法定时限与数量规则自动预警，标注规则代码与条款 / raised automatically with the rule's code and article"
    ),
    (
      "书面报告备案 Written reports",
      "招标人自确定中标人之日起15日内经交易平台在线提交，平台确认收到 / filed online through the trading platform and acknowledged"
    ),
    (
      "投诉处理 Complaints",
      "收到投诉3个工作日内决定是否受理，受理后30个工作日内作出书面处理决定（检验、检测、鉴定、专家评审时间不计）；必要时责令暂停招标投标活动；处理决定公开 / accept within 3 working days, rule within 30, suspend if needed, publish the ruling"
    ),
    (
      "监督指令 Supervision orders",
      "暂停、恢复、终止、责令改正，经交换协议签名发送，交易平台执行并签名回执，全程记录 / signed, applied and acknowledged, all logged"
    ),
    (
      "不良行为记录与市场禁入 Violation records and bans",
      "自处理决定作出之日起20个工作日内经公共服务平台公告，公告期6个月或禁入期；各交易平台拒绝被禁入主体投标 / published at the hub, enforced by every trading platform"
    ),
    (
      "开标密钥份额 Opening key share",
      "持有本辖区标段的一份开标密钥份额，仅在开标时间后释放并记录 / released only after the opening time, logged"
    ),
  ]

  static let timeLimits: [Rule] = [
    Rules.reportWithin15Days, Rules.complaintWithin10Days, Rules.complaintDecisionDays,
    Rules.suspendedByOrder, Rules.violationPublication, Rules.objectionAnswer3Days,
    Rules.contractWithin30Days,
  ]

  static let document = Components.Schemas.LegalBasis(
    platform: "行政监督平台 Zhaocai supervision platform",
    basis: basis.map { .init(title: $0.title, articles: $0.articles) },
    duties: duties.map { .init(duty: $0.duty, procedure: $0.procedure) },
    timeLimits: timeLimits.map {
      .init(code: $0.code, article: $0.article, chinese: $0.chinese, english: $0.english)
    })
}
