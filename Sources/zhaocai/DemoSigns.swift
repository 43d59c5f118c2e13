/// The demo's bids in 示范中学迁建工程 第1标段 show each sign of 条例40 once, so the opening finds
/// six and the committee and the supervisor see them (the other sections' bids show none but
/// what the same bidders repeat): 1 bidders 1 and 2 prepare on one machine; 2 bidders 2 and 3
/// upload from one address and device; 3 bidders 3 and 4 name one project manager; 4 bidder 4
/// copies bidder 1's plan; 5 bidder 5's file carries bidder 3's name; 6 bidders 2 and 5 pay
/// their bonds from one account (bidders counted from 1, as the cast names them).
enum DemoSigns {
  static let section = "FZ-2026-018-1"

  /// What stands in for the machine id of the bidder's preparing machine.
  static func machine(section: String, bidder: Int) -> String {
    "demo-machine-\(section == Self.section && bidder == 1 ? 0 : bidder)"
  }

  /// The headers the bidder's tool sends with its upload: as nginx reports the client's address,
  /// and the tool's device name.
  static func uploadHeaders(section: String, bidder: Int) -> [String: String] {
    let shared = section == Self.section && (bidder == 1 || bidder == 2)
    return [
      "X-Forwarded-For": shared ? "198.51.100.27" : "203.0.113.\(10 + bidder)",
      "Zhaocai-Device": "demo-device-\(shared ? 1 : bidder)",
    ]
  }

  static func projectManager(section: String, bidder: Int) -> String {
    let person = section == Self.section && bidder == 3 ? 2 : bidder
    return "闽1352019\(String(format: "%05d", 1000 + person))"
  }

  static func bondAccount(section: String, bidder: Int, member: Int) -> String {
    let payer = section == Self.section && bidder == 4 ? 1 : bidder
    return "62220201000\(payer + 1)\(member)7788"
  }

  /// Each bidder's own construction plan; bidder 4 copies bidder 1's in this section, and
  /// bidder 5's closes with bidder 3's name where its own should be.
  static func technicalText(section: String, bidder: Int) -> String {
    let own = plans[bidder % plans.count]
    let name = DemoCast.bidderNames[bidder % DemoCast.bidderNames.count]
    guard section == Self.section else { return "\(name) 技术标：施工组织设计\n" + own }
    switch bidder {
    case 3: return "\(name) 技术标：施工组织设计\n" + plans[0] + "\n" + own
    case 4: return "\(name) 技术标：施工组织设计\n" + own + "\n投标人：\(DemoCast.bidderNames[2])（盖章）"
    default: return "\(name) 技术标：施工组织设计\n" + own
    }
  }

  static let plans = [
    "基础采用旋挖灌注桩，桩端持力层为中风化花岗岩；主体结构采用铝合金模板体系，标准层施工周期五天一层；"
      + "现场配置两台QTZ125塔吊和两台施工电梯，劳动力高峰期三百二十人，冬季施工采用综合蓄热法养护。",
    "主体结构采用钢管混凝土柱与钢筋桁架楼承板组合体系，构件在厂内加工、现场分段吊装；"
      + "设置智慧工地平台实时监测扬尘噪声，计划工期较招标工期提前三十日历天。",
    "教学楼采用装配式混凝土结构，预制率百分之四十，叠合板与预制楼梯由本公司构件厂供应；"
      + "外墙采用保温装饰一体板，屋面采用倒置式保温防水做法，质量目标争创闽江杯。",
    "施工总平面分基础、主体、装修三阶段布置，临时用电采用TN-S系统三级配电两级保护；"
      + "深基坑采用钻孔灌注桩加一道钢筋混凝土内支撑，第三方监测水平位移与周边沉降。",
    "本公司以EPC管理经验组织施工，BIM模型用于机电管线综合与净高分析，"
      + "材料进场实行二维码追溯，雨季施工设置三级沉淀池循环利用施工用水。",
    "采用跳仓法施工控制大体积混凝土裂缝，底板分六仓浇筑，测温点按每仓九个布置；"
      + "钢筋采用直螺纹套筒连接，接头百分之百进行外观检查并按批抽检。",
  ]
}
