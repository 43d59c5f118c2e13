import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiWeb

/// The console's oversight pages: the dashboard of the remit, a process's timeline in words,
/// alerts, filings and the department's access log.
extension ConsolePages {
  func dashboard(_ request: Request, _ visit: PageVisit) async throws -> Response {
    guard SupervisionCaller.current.supervisor != nil else { return try signInPage(visit) }
    let processes = try PageCall.value(await api.listProcesses(.init())) { try $0.ok.body.json }
    let complaints = try PageCall.value(await api.listComplaints(.init())) {
      try $0.ok.body.json
    }
    let language = visit.language
    let open = complaints.filter { $0.status == "filed" || $0.status == "accepted" }
    return try render(
      "dashboard", visit, title: "工作台", english: "Dashboard",
      values: [
        "processes": processes.map { process -> [String: Any] in
          [
            "name": process.name.isEmpty ? process.section : process.name,
            "href": "/processes/\(process.platform)/\(process.section)",
            "platform": process.platform, "section": process.section,
            "phase": EventWords.phase(process.phase, in: language),
            "region": PageFormat.region(process.region), "industry": process.industry,
            "deadline": process.bidDeadline.map { PageFormat.time($0) } ?? "—",
            "alerts": process.alerts, "hasAlerts": process.alerts > 0,
            "suspended": process.suspendingOrder != nil,
          ]
        },
        "none": processes.isEmpty, "processCount": processes.count,
        "alertCount": processes.map(\.alerts).reduce(0, +),
        "openComplaints": open.count,
        "overdue": complaints.filter { !$0.overdue.isEmpty }.count,
        "suspended": processes.filter { $0.suspendingOrder != nil }.count,
      ])
  }

  func process(_ parameters: Parameters, _ visit: PageVisit) async throws -> Response {
    _ = try supervisor()
    let platformID = try Self.pathValue(parameters, "platform")
    let section = try Self.pathValue(parameters, "section")
    let detail = try PageCall.value(
      await api.getProcess(.init(path: .init(platform: platformID, section: section)))
    ) { try $0.ok.body.json }
    let screens = try PageCall.value(
      await api.getProcessScreens(.init(path: .init(platform: platformID, section: section)))
    ) { try $0.ok.body.json }
    let language = visit.language
    let process = detail.process
    return try render(
      "process", visit, title: process.name.isEmpty ? section : process.name,
      english: process.name.isEmpty ? section : process.name,
      values: [
        "name": process.name.isEmpty ? section : process.name, "section": section,
        "platform": platformID, "phase": EventWords.phase(process.phase, in: language),
        "region": PageFormat.region(process.region), "industry": process.industry,
        "deadline": process.bidDeadline.map { PageFormat.time($0) } ?? "—",
        "suspendingOrder": process.suspendingOrder ?? false,
        "timeline": detail.timeline.map {
          [
            "at": PageFormat.time($0.at),
            "text": Self.words(kind: $0.kind, payload: $0.detail, language),
          ]
        },
        "alerts": detail.alerts.map { Self.alertRow($0, language) },
        "hasAlerts": !detail.alerts.isEmpty,
        "orders": detail.orders.map { Self.orderRow($0, language) },
        "hasOrders": !detail.orders.isEmpty,
        "issueLink": "/orders?platform=\(platformID)&section=\(section)",
      ].merging(Self.screenValues(screens, language)) { $1 })
  }

  /// The price-screen panel of a process page.
  static func screenValues(
    _ screens: Components.Schemas.ProcessScreens, _ language: PageLanguage
  ) -> [String: Any] {
    let rows: [[String: String]] = screens.screens.map {
      ["name": $0.name, "value": String(format: "%.4f", $0.value)]
    }
    let score: String = screens.score.map { String(format: "%.2f", $0) } ?? ""
    return [
      "screened": !screens.bids.isEmpty, "hasScore": screens.score != nil, "score": score,
      "flagged": screens.flagged ?? false,
      "threshold": String(format: "%.2f", screens.flagThreshold), "model": screens.model,
      "screens": rows, "hasPattern": screens.pattern != nil,
      "pattern": screens.pattern.map { language == .zh ? $0.detailChinese : $0.detail } ?? "",
      "patternArticle": screens.pattern?.article ?? "",
      "hasSigns": screens.signs != nil, "noSigns": screens.signs?.isEmpty == true,
      "signs": CollusionWords.rows(
        (screens.signs ?? []).compactMap { sign in
          guard let kind = CollusionSign(rawValue: sign.sign.rawValue),
            let strength = FindingStrength(rawValue: sign.strength.rawValue)
          else { return nil }
          return CollusionFinding(
            sign: kind, bidders: sign.bidders, strength: strength,
            evidence: sign.evidence.map {
              CollusionEvidence(field: $0.field, values: $0.values, files: $0.files)
            })
        }, language),
    ]
  }

  /// A timeline entry in words: a section event or a notice, decoded from what the trading
  /// platform sent; anything else by its kind.
  static func words(kind: String, payload: String, _ language: PageLanguage) -> String {
    let data = Data(payload.utf8)
    if kind == "section.event", let logged = try? JSONDecoder().decode(LoggedEvent.self, from: data)
    {
      return EventWords.sentence(logged.event, in: language)
    }
    if kind == "notice.published",
      let logged = try? JSONDecoder().decode(LoggedNotice.self, from: data)
    {
      return language == .zh
        ? "发布\(logged.notice.kind.chinese)：\(logged.notice.title)"
        : "\(logged.notice.kind.english) published: \(logged.notice.title)"
    }
    return kind
  }

  static func alertRow(_ alert: Components.Schemas.AlertView, _ language: PageLanguage)
    -> [String: Any]
  {
    [
      "code": alert.code, "article": alert.article,
      "text": language == .zh ? alert.detailChinese : alert.detail,
      "detail": alert.detail, "raisedAt": PageFormat.time(alert.raisedAt),
      "href": "/processes/\(alert.platform)/\(alert.section)", "section": alert.section,
    ]
  }

  func alerts(_ visit: PageVisit) async throws -> Response {
    _ = try supervisor()
    let alerts = try PageCall.value(await api.listAlerts(.init())) { try $0.ok.body.json }
    return try render(
      "alerts", visit, title: "规则预警", english: "Rule alerts",
      values: [
        "alerts": alerts.map { Self.alertRow($0, visit.language) }, "none": alerts.isEmpty,
      ])
  }

  func screens(_ visit: PageVisit) async throws -> Response {
    _ = try supervisor()
    let screened = try PageCall.value(await api.listScreens(.init())) { try $0.ok.body.json }
    let language = visit.language
    return try render(
      "screens", visit, title: "价格筛查", english: "Price screens",
      values: [
        "processes": screened.map { screens -> [String: Any] in
          [
            "href": "/processes/\(screens.platform)/\(screens.section)",
            "section": screens.section, "platform": screens.platform, "bids": screens.bids.count,
            "score": screens.score.map { String(format: "%.2f", $0) } ?? "—",
            "flagged": screens.flagged ?? false,
            "pattern": screens.pattern.map { language == .zh ? $0.detailChinese : $0.detail } ?? "",
          ]
        },
        "none": screened.isEmpty,
        "threshold": screened.first.map { String(format: "%.2f", $0.flagThreshold) } ?? "",
      ])
  }

  /// 投标关系网络: who bids with whom across the remit, the groups, cover and loyal bidders.
  func network(_ visit: PageVisit) async throws -> Response {
    _ = try supervisor()
    let network = try PageCall.value(await api.getNetwork(.init())) { try $0.ok.body.json }
    func tenders(_ ids: [String]) -> [[String: String]] {
      ids.map { ["id": $0, "href": "/processes/\($0)"] }
    }
    return try render(
      "networks", visit, title: "投标关系网络", english: "Co-bidding network",
      values: [
        "processes": network.processes, "bidders": network.bidders.count,
        "none": network.bidders.isEmpty,
        // Drawn by NetworkPicture, every label escaped there; it carries no script.
        "svg": network.svg,
        "groups": network.groups.map {
          [
            "bidders": $0.bidders.joined(separator: "、"), "tenders": tenders($0.tenders),
            "rotates": $0.rotates,
            "winners": $0.winners.additionalProperties.sorted { $0.key < $1.key }.map {
              "\($0.key)：\($0.value)"
            }.joined(separator: "；"),
          ]
        },
        "noGroups": network.groups.isEmpty, "noCovers": network.coverBidders.isEmpty,
        "noLoyal": network.loyalBidders.isEmpty,
        "covers": network.coverBidders.map {
          ["bidder": $0.bidder, "tenders": tenders($0.tenders)] as [String: Any]
        },
        "loyal": network.loyalBidders.map {
          ["bidder": $0.bidder, "tenderer": $0.tenderer ?? "", "tenders": tenders($0.tenders)]
            as [String: Any]
        },
      ])
  }

  /// The network to save: its picture (SVG) or its data (the API's JSON).
  func networkExport(_ visit: PageVisit, svg: Bool) async throws -> Response {
    _ = try supervisor()
    let network = try PageCall.value(await api.getNetwork(.init())) { try $0.ok.body.json }
    var headers = HTTPFields()
    headers[.contentType] = svg ? "image/svg+xml; charset=utf-8" : "application/json"
    headers[.contentDisposition] =
      #"attachment; filename="co-bidding-network.\#(svg ? "svg" : "json")""#
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let body = svg ? ByteBuffer(string: network.svg) : ByteBuffer(data: try encoder.encode(network))
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
  }

  func filings(_ visit: PageVisit) async throws -> Response {
    _ = try supervisor()
    let filings = try PageCall.value(await api.listFilings(.init())) { try $0.ok.body.json }
    let language = visit.language
    return try render(
      "filings", visit, title: "备案", english: "Filings",
      values: [
        "filings": filings.map {
          [
            "kind": $0.kind == .writtenReport
              ? (language == .zh ? "招标投标情况书面报告" : "Written report")
              : (language == .zh ? "自行招标备案" : "Self-tendering"),
            "section": $0.section, "platform": $0.platform,
            "href": "/processes/\($0.platform)/\($0.section)",
            "filedAt": PageFormat.time($0.filedAt),
          ]
        },
        "none": filings.isEmpty,
      ])
  }

  func accessLog(_ visit: PageVisit) async throws -> Response {
    _ = try supervisor()
    let accesses = try PageCall.value(await api.listAccess(.init())) { try $0.ok.body.json }
    return try render(
      "access-log", visit, title: "访问记录", english: "Access log",
      values: [
        "accesses": accesses.prefix(200).map {
          [
            "supervisor": $0.supervisor, "action": $0.action, "target": $0.target,
            "address": $0.address, "at": PageFormat.time($0.at),
          ]
        },
        "none": accesses.isEmpty,
      ])
  }

  /// A path parameter of at most `maxLength` characters, or a 404.
  static func pathValue(_ parameters: Parameters, _ name: String, maxLength: Int = 64) throws
    -> String
  {
    guard let value = parameters.get(name), (1...maxLength).contains(value.count) else {
      throw SupervisionProblem.notInRemit(name)
    }
    return value
  }
}
