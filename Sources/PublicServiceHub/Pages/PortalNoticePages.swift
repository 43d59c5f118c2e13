import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// The portal's notices: the home page, the search, one notice, and a process with every notice
/// of its section.
extension PortalPages {
  static let pageSize = 20
  static let industries = ["住建", "交通", "水利", "能源", "信息化", "其他"]

  func home(_ request: Request, _ visit: PageVisit) async throws -> Response {
    let language = visit.language
    var groups: [[String: Any]] = []
    for kind in [NoticeKind.tenderNotice, .candidatePublicity, .resultNotice, .amendment] {
      var query = HubNoticeRepository.Query()
      query.kind = kind.rawValue
      query.limit = 6
      let (found, platforms) = try await hub.notices(query)
      groups.append([
        "kind": language == .zh ? kind.chinese : kind.english, "kindCode": kind.rawValue,
        "notices": found.map { noticeRow($0, platforms: platforms, language) },
        "empty": found.isEmpty,
      ])
    }
    let now = hub.now()
    let (openings, totals, parties) = try await hub.store.read { database in
      (
        try await OpenDataRepository.latestRecords(limit: 500, on: database),
        try await StatisticsRepository.groups(by: .region, on: database),
        try await HubPartyRepository.count(on: database)
      )
    }
    let today = LegalDate(instant: now)
    let upcoming = openings.compactMap { record -> (Int64, [String: Any])? in
      guard let object = OpenData.object(record.compiled),
        let tender = object["tender"]?.object,
        let end = tender["tenderPeriod"]?.object?["endDate"]?.string,
        let at = ISO8601DateFormatter().date(from: end).map({ Int64($0.timeIntervalSince1970) }),
        at >= now - 86_400, at < now + 60 * 86_400
      else { return nil }
      let section = tender["id"]?.string ?? ""
      guard let platform = OpenData.platform(of: record.ocid, section: section) else {
        return nil
      }
      return (
        at,
        [
          "title": tender["title"]?.string ?? section, "at": PageFormat.time(at),
          "today": LegalDate(instant: at) == today,
          "href": "/processes/\(platform)/\(section)",
        ]
      )
    }.sorted { $0.0 < $1.0 }.prefix(8).map(\.1)
    return try render(
      "home", visit, title: "首页", english: "Home",
      values: [
        "groups": groups, "openings": Array(upcoming), "noOpenings": upcoming.isEmpty,
        "sections": totals.map(\.sections).reduce(0, +),
        "bids": totals.map(\.bids).reduce(0, +), "parties": parties,
        "contracts": totals.map(\.contracts).reduce(0, +), "today": today.description,
      ])
  }

  func search(_ request: Request, _ visit: PageVisit) async throws -> Response {
    let asked = request.uri.queryParameters
    var query = HubNoticeRepository.Query()
    var errors: [(field: String, problem: ProblemDetails)] = []
    func field(_ name: String, maxLength: Int) -> String? {
      guard
        let value = asked[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces),
        !value.isEmpty
      else { return nil }
      guard value.count <= maxLength, JSONTextCheck.isClean(value) else {
        errors.append(
          (
            name,
            ProblemDetails(
              status: 422, code: "INVALID_INPUT",
              english: "\(name) may hold at most \(maxLength) ordinary characters",
              chinese: "该项最多\(maxLength)个字符，且不得含有控制字符")
          ))
        return nil
      }
      return value
    }
    func day(_ name: String) -> Int64? {
      guard let text = field(name, maxLength: 10) else { return nil }
      guard let date = LegalDate(text) else {
        errors.append(
          (
            name,
            ProblemDetails(
              status: 422, code: "INVALID_INPUT", english: "\(name) is a date such as 2026-12-01",
              chinese: "日期格式应为 2026-12-01")
          ))
        return nil
      }
      return date.startInstant
    }
    query.text = field("q", maxLength: 100)
    query.region = field("region", maxLength: 6)
    if let region = query.region, !region.allSatisfy(\.isNumber) {
      errors.append(
        (
          "region",
          ProblemDetails(
            status: 422, code: "INVALID_INPUT", english: "a region is a GB/T 2260 code",
            chinese: "地区应为行政区划代码（GB/T 2260）")
        ))
      query.region = nil
    }
    query.industry = field("industry", maxLength: 40)
    query.kind = field("kind", maxLength: 40)
    query.platform = field("platform", maxLength: 64)
    query.from = day("from")
    query.to = day("to").map { $0 + 86_400 }
    let page = min(max(Int(asked["page"].map(String.init) ?? "1") ?? 1, 1), 500)
    query.limit = Self.pageSize
    query.offset = (page - 1) * Self.pageSize
    let (found, platforms) =
      errors.isEmpty ? try await hub.notices(query) : ([], [:])
    let language = visit.language
    let chosen = { (name: String, value: String) in asked[Substring(name)].map(String.init) == value
    }
    let link = { (page: Int) -> String in
      var parts = ["q", "region", "industry", "kind", "platform", "from", "to"].compactMap {
        name in
        asked[Substring(name)].map {
          "\(name)=\(String($0).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
      }
      parts.append("page=\(page)")
      return "/search?" + parts.joined(separator: "&")
    }
    let regions: [[String: Any]] = RegionNames.all.filter { $0.code.hasPrefix("35") }.map {
      ["code": $0.code, "name": $0.name, "selected": chosen("region", $0.code)]
    }
    let industries: [[String: Any]] = Self.industries.map {
      ["name": $0, "selected": chosen("industry", $0)]
    }
    let kinds: [[String: Any]] = NoticeKind.allCases.map {
      [
        "code": $0.rawValue, "name": language == .zh ? $0.chinese : $0.english,
        "selected": chosen("kind", $0.rawValue),
      ]
    }
    let tradingPlatforms = platforms.values.filter { $0.kind == .trading }.sorted { $0.id < $1.id }
    let platformChoices: [[String: Any]] = tradingPlatforms.map {
      ["id": $0.id, "name": $0.name, "selected": chosen("platform", $0.id)]
    }
    var values: [String: Any] = [
      "q": query.text ?? "", "from": asked["from"].map(String.init) ?? "",
      "to": asked["to"].map(String.init) ?? "",
      "regions": regions, "industries": industries, "kinds": kinds, "platforms": platformChoices,
    ]
    values["notices"] = found.map { noticeRow($0, platforms: platforms, language) }
    values["searched"] = !asked.isEmpty
    values["none"] = found.isEmpty
    values["page"] = page
    values["previous"] = page > 1 ? link(page - 1) : false
    values["next"] = found.count == Self.pageSize ? link(page + 1) : false
    values.merge(PageSite.errorValues(errors, language)) { $1 }
    return try render(
      "search", visit, title: "公告检索", english: "Search notices", values: values,
      status: errors.isEmpty ? .ok : .unprocessableContent)
  }

  func notice(_ parameters: Parameters, _ visit: PageVisit) async throws -> Response {
    let platform = try pathValue(parameters, "platform")
    guard let sequence = Int64(try pathValue(parameters, "sequence", maxLength: 19)) else {
      throw DomainError.notFound("notice", chinese: "该公告")
    }
    var query = HubNoticeRepository.Query()
    query.platform = platform
    query.sequence = sequence
    query.limit = 1
    let (found, platforms) = try await hub.notices(query)
    guard let entry = found.first else { throw DomainError.notFound("notice", chinese: "该公告") }
    var values = noticeRow(entry, platforms: platforms, visit.language)
    values["body"] = entry.body
    values["tradingLink"] =
      platforms[entry.platform].map {
        "\($0.endpoint)/sections/\(entry.section)"
      } ?? false
    return try render("notice", visit, title: entry.title, english: entry.title, values: values)
  }

  func process(_ parameters: Parameters, _ visit: PageVisit) async throws -> Response {
    let platform = try pathValue(parameters, "platform")
    let section = try pathValue(parameters, "section")
    var query = HubNoticeRepository.Query()
    query.platform = platform
    query.section = section
    query.limit = 200
    let (found, platforms) = try await hub.notices(query)
    let compiled = try await hub.store.read {
      try await OpenDataRepository.compiled(
        of: OpenData.ocid(platform: platform, section: section), on: $0)
    }.flatMap(OpenData.object)
    guard !found.isEmpty || compiled != nil else {
      throw DomainError.notFound("process", chinese: "该项目")
    }
    let tender = compiled?["tender"]?.object
    let bids = compiled?["bids"]?.object?["details"]?.array?.compactMap(\.object) ?? []
    let awards = compiled?["awards"]?.array?.compactMap(\.object) ?? []
    let codes =
      bids.compactMap { $0["tenderers"]?.array?.first?.object?["id"]?.string }
      + awards.compactMap { $0["suppliers"]?.array?.first?.object?["id"]?.string }
    let names = try await partyNames(codes)
    func party(_ code: String?) -> String {
      guard let code else { return "" }
      return names[code].map { "\($0)（\(code)）" } ?? code
    }
    let language = visit.language
    let title = tender?["title"]?.string ?? found.first?.title ?? section
    let flags = try await processRedFlags(platform: platform, section: section, language: language)
    let values: [String: Any] = [
      "title": title, "section": section,
      "platform": platforms[platform]?.name ?? platform,
      "status": tender?["status"]?.string ?? "",
      "estimate": Self.amount(tender?["value"]) ?? "",
      "region": (tender?["administrativeDivision"]?.object?["id"]?.string).map(
        PageFormat.region) ?? "",
      "industry": tender?["industry"]?.string ?? "",
      "deadline": (tender?["tenderPeriod"]?.object?["endDate"]?.string).flatMap(Self.time)
        ?? "",
      "method": tender?["awardCriteriaDetails"]?.string ?? "",
      "bids": bids.map {
        [
          "party": party($0["tenderers"]?.array?.first?.object?["id"]?.string),
          "status": $0["status"]?.string ?? "", "value": Self.amount($0["value"]) ?? "—",
        ]
      },
      "hasBids": !bids.isEmpty,
      "awards": awards.map {
        [
          "party": party($0["suppliers"]?.array?.first?.object?["id"]?.string),
          "value": Self.amount($0["value"]) ?? "—", "status": $0["status"]?.string ?? "",
        ]
      },
      "hasAwards": !awards.isEmpty,
      "notices": found.reversed().map { noticeRow($0, platforms: platforms, language) },
      "recordLink": "/api/v1/ocds/records",
      "tradingLink": platforms[platform].map { "\($0.endpoint)/sections/\(section)" } ?? false,
    ]
    return try render(
      "process", visit, title: title, english: title,
      values: values.merging(flags) { own, _ in own })
  }

  /// An OCDS value object as ¥ (its amount is in yuan, possibly with fen).
  static func amount(_ value: JSONValue?) -> String? {
    guard let object = value?.object else { return nil }
    if let whole = object["amount"]?.integer { return PageFormat.money(fen: whole * 100) }
    if case .number(let amount)? = object["amount"], amount.isFinite, abs(amount) < 1e13 {
      return PageFormat.money(fen: Int64((amount * 100).rounded()))
    }
    return nil
  }

  static func time(_ iso: String) -> String? {
    ISO8601DateFormatter().date(from: iso).map { PageFormat.time($0) }
  }
}
