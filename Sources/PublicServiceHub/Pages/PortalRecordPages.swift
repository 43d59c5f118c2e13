import Crypto
import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// The portal's registers: credit, the registry of platforms, authorities and parties, market
/// statistics, open data, transparency (checkpoints) and the expert-draw check.
extension PortalPages {
  func credit(_ request: Request, _ visit: PageVisit) async throws -> Response {
    let asked =
      request.uri.queryParameters["q"].map(String.init)?
      .trimmingCharacters(in: .whitespaces) ?? ""
    guard asked.count <= 100, JSONTextCheck.isClean(asked) else {
      throw PageFieldRefusal(
        field: "q",
        problem: ProblemDetails(
          status: 422, code: "INVALID_INPUT",
          english: "a name or credit code has at most 100 ordinary characters",
          chinese: "名称或统一社会信用代码最多100个字符"))
    }
    let now = hub.now()
    let (parties, bans, records) = try await hub.store.read { database in
      (
        asked.isEmpty ? [] : try await HubPartyRepository.matching(asked, limit: 20, on: database),
        try await HubCreditRepository.published(on: database),
        try await HubCreditRepository.violations(at: now, on: database)
      )
    }
    let language = visit.language
    let partyRows = parties.map { party -> [String: Any] in
      let own = records.filter { $0.party == party.creditCode }
      let banned = bans.filter { $0.party == party.creditCode && $0.endsAt > now }
      return [
        "name": party.name, "code": party.creditCode, "authority": party.authority,
        "registeredAt": PageFormat.date(party.registeredAt),
        "score": CreditScore.of(party.creditCode, records: own, at: now),
        "violations": own.map { violationRow($0) }, "hasViolations": !own.isEmpty,
        "bans": banned.map { banRow($0, now: now) },
        "banned": banned.contains { $0.startsAt <= now },
        "hasBans": !banned.isEmpty,
      ]
    }
    let names = try await partyNames(bans.map(\.party))
    let current = bans.filter { $0.endsAt > now }.map { ban -> [String: Any] in
      var row = banRow(ban, now: now)
      row["name"] = names[ban.party] ?? ""
      row["code"] = ban.party
      return row
    }
    return try render(
      "credit", visit, title: "信用查询", english: "Credit lookup",
      values: [
        "q": asked, "asked": !asked.isEmpty, "parties": partyRows, "none": partyRows.isEmpty,
        "currentBans": current, "noBans": current.isEmpty,
        "englishNote": language == .en,
      ])
  }

  func violationRow(_ record: ViolationRecord) -> [String: Any] {
    [
      "description": record.description, "article": record.article, "points": record.points,
      "decidedBy": record.decidedBy, "decidedAt": PageFormat.date(record.decidedAt),
      "expiresAt": PageFormat.date(record.expiresAt),
    ]
  }

  func banRow(_ ban: Ban, now: Int64) -> [String: Any] {
    [
      "reason": ban.reason, "startsAt": PageFormat.date(ban.startsAt),
      "endsAt": PageFormat.date(ban.endsAt), "inForce": ban.startsAt <= now,
    ]
  }

  func registry(_ request: Request, _ visit: PageVisit) async throws -> Response {
    let page = min(
      max(Int(request.uri.queryParameters["page"].map(String.init) ?? "1") ?? 1, 1), 10_000)
    let size = 50
    let (platforms, authorities, parties, count) = try await hub.store.read { database in
      (
        try await HubRepository.all(on: database),
        try await HubPartyRepository.authorities(on: database),
        try await HubPartyRepository.parties(after: (page - 1) * size, limit: size, on: database),
        try await HubPartyRepository.count(on: database)
      )
    }
    let language = visit.language
    return try render(
      "registry", visit, title: "主体与平台", english: "Registry",
      values: [
        "platforms": platforms.map {
          [
            "name": $0.name, "id": $0.id, "operator": $0.operatorName,
            "kind": $0.kind == .trading
              ? (language == .zh ? "交易平台" : "Trading platform")
              : (language == .zh ? "行政监督平台" : "Supervision platform"),
            "status": Self.status($0.status, language), "approved": $0.status == .approved,
            "endpoint": $0.endpoint,
          ]
        },
        "authorities": authorities.map {
          ["name": $0.name, "id": $0.id, "revocations": $0.revocationList != nil]
        },
        "parties": parties.map {
          [
            "name": $0.name, "code": $0.creditCode, "authority": $0.authority,
            "registeredAt": PageFormat.date($0.registeredAt),
          ]
        },
        "count": count, "page": page,
        "previous": page > 1 ? "/registry?page=\(page - 1)" : false,
        "next": page * size < count ? "/registry?page=\(page + 1)" : false,
      ])
  }

  static func status(_ status: HubRepository.Platform.Status, _ language: PageLanguage) -> String {
    switch (status, language) {
    case (.approved, .zh): "已接入"
    case (.approved, .en): "Approved"
    case (.pending, .zh): "待审核"
    case (.pending, .en): "Pending"
    case (.refused, .zh): "未通过"
    case (.refused, .en): "Refused"
    }
  }

  func statistics(_ request: Request, _ visit: PageVisit) async throws -> Response {
    let asked = request.uri.queryParameters
    let dimension =
      asked["by"].flatMap { StatisticsRepository.Dimension(rawValue: String($0)) } ?? .region
    let measure =
      asked["measure"].flatMap { MarketStatistics.Measure(rawValue: String($0)) } ?? .sections
    let groups = try await hub.store.read {
      try await StatisticsRepository.groups(by: dimension, on: $0)
    }
    let language = visit.language
    return try render(
      "statistics", visit, title: "市场统计", english: "Market statistics",
      values: [
        "chart":
          "/api/v1/statistics/chart.svg?by=\(dimension.rawValue)&measure=\(measure.rawValue)",
        "chartTitle": "\(measure.chinese)（按\(MarketStatistics.dimensionName(dimension))）",
        "dimensions": StatisticsRepository.Dimension.allCases.map {
          [
            "code": $0.rawValue, "selected": $0 == dimension,
            "name": language == .zh
              ? MarketStatistics.dimensionName($0) : $0.rawValue.capitalized,
          ]
        },
        "measures": MarketStatistics.Measure.allCases.map {
          ["code": $0.rawValue, "name": $0.chinese, "selected": $0 == measure]
        },
        "rows": groups.map {
          [
            "key": MarketStatistics.label($0.key, dimension), "tenders": $0.tenders,
            "sections": $0.sections, "bids": $0.bids,
            "bidsPerSection": $0.closedSections == 0
              ? "—" : String(format: "%.1f", Double($0.bids) / Double($0.closedSections)),
            "estimate": PageFormat.money(fen: Int64(clamping: $0.estimateFen)),
            "contract": PageFormat.money(fen: Int64(clamping: $0.contractFen)),
            "contracts": $0.contracts,
          ]
        },
        "none": groups.isEmpty,
      ])
  }

  func openData(_ visit: PageVisit) throws -> Response {
    try render("open-data", visit, title: "开放数据", english: "Open data")
  }

  func transparency(_ visit: PageVisit) async throws -> Response {
    let (platforms, latest, alerts) = try await hub.store.read { database in
      let platforms = try await HubRepository.all(on: database).filter { $0.status == .approved }
      var latest: [String: HubCheckpointRepository.Stored] = [:]
      for platform in platforms {
        latest[platform.id] = try await HubCheckpointRepository.latest(platform.id, on: database)
      }
      return (platforms, latest, try await HubCheckpointRepository.alerts(on: database))
    }
    return try render(
      "transparency", visit, title: "透明度", english: "Transparency",
      values: [
        "platforms": platforms.map { platform -> [String: Any] in
          [
            "name": platform.name, "id": platform.id,
            "verifierKey": platform.logVerifierKey ?? "",
            "size": latest[platform.id].map { Int($0.size) } ?? 0,
            "root": latest[platform.id]?.root ?? "", "note": latest[platform.id]?.note ?? "",
            "hasCheckpoint": latest[platform.id] != nil,
          ]
        },
        "hubKey": hub.logSigner.verifier.verifierKey,
        "alerts": alerts.map { ["platform": $0.platform, "reason": $0.reason] },
        "hasAlerts": !alerts.isEmpty,
      ])
  }

  func verifyDraw(_ request: Request, _ visit: PageVisit) async throws -> Response {
    let form = try await PageForm.read(request, for: visit)
    let text = form.fields["draw"] ?? ""
    let refusal = { (chinese: String, english: String) in
      PageFieldRefusal(
        field: "draw",
        problem: ProblemDetails(
          status: 422, code: "DRAW_UNREADABLE", english: english, chinese: chinese))
    }
    do {
      guard !text.isEmpty else {
        throw refusal("请粘贴抽取记录（JSON）", "paste the draw record (JSON)")
      }
      guard let draw = try? JSONDecoder().decode(VerifiableDraw.self, from: Data(text.utf8))
      else {
        throw refusal(
          "抽取记录不是有效的JSON，或缺少 checkpoint、request、pool、drawn、recused 字段",
          "the record is not JSON with checkpoint, request, pool, drawn and recused")
      }
      let sender = (Data(base64Encoded: draw.request.message)).flatMap {
        try? JSONDecoder().decode(ExchangeMessage.self, from: $0)
      }?.sender
      var platform: HubRepository.Platform? = nil
      if let sender {
        platform = try await hub.store.read { try await HubRepository.find(sender, on: $0) }
      }
      let key = platform.flatMap { Data(base64Encoded: $0.publicKey) }.flatMap {
        try? Curve25519.Signing.PublicKey(rawRepresentation: $0)
      }
      let same: Bool
      do {
        same = try draw.recomputes(requestedBy: key)
      } catch {
        throw refusal(
          "抽取请求的签名无法验证，或请求内容不是专家抽取请求",
          "the request's signature does not verify, or it is not an expert draw request")
      }
      return try render(
        "draw", visit, title: "专家抽取验证", english: "Verify an expert draw",
        values: [
          "checked": true, "same": same, "draw": text, "drawn": draw.drawn,
          "recused": draw.recused, "pool": draw.pool.count,
          "platform": platform?.name ?? sender ?? "", "signatureChecked": key != nil,
        ])
    } catch let refused as PageFieldRefusal {
      return try render(
        "draw", visit, title: "专家抽取验证", english: "Verify an expert draw",
        values: PageSite.errorValues([(refused.field, refused.problem)], visit.language)
          .merging(["draw": text]) { $1 }, status: .unprocessableContent)
    }
  }
}
