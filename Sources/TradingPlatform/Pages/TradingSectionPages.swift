import Foundation
import Hummingbird
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// The trading platform's sections as their users work on them: the workspace and the list, a
/// section's page with the step its phase and the caller's role allow, and the new-section form
/// that shows the law's limits as it is filled in.
extension TradingPages {
  func workspace(_ visit: PageVisit, host: String? = nil) async throws -> Response {
    guard let account = Caller.current.account else { return try signInPage(visit) }
    // The sections a bidder withdrew from (the section forgets a withdrawn bid).
    let withdrawn =
      account.role == .bidder
      ? try await platform.store.read {
        try await BidWithdrawalRepository.sections(of: account.creditCode, on: $0)
      } : []
    let rows = try await visibleSections().filter { section in
      switch account.role {
      case .tenderer: section.terms.tenderer == account.creditCode
      case .agency: section.terms.agency == account.creditCode
      case .expert:
        section.evaluation?.members.contains { $0.id == account.id } ?? false
      case .keyHolder:
        section.schedule?.keyHolders.contains { $0.name == account.id } ?? false
      // A bidder's tenders: where it bid, paid a bond or took the documents.
      case .bidder:
        section.bids[account.creditCode] != nil || section.bonds[account.creditCode] != nil
          || section.downloaders.contains(account.creditCode)
          || withdrawn.contains(section.terms.sectionID)
      case .administrator: true
      }
    }
    return try render(
      "workspace", visit, title: "工作台", english: "Workspace",
      values: [
        "sections": rows.map { sectionRow($0, visit.language) }, "none": rows.isEmpty,
        "isBidder": account.role == .bidder,
        "isHolder": account.role == .keyHolder,
        "holdings": account.role == .keyHolder
          ? rows.map { section -> [String: Any] in
            var row = sectionRow(section, visit.language)
            let (state, tag, due) = Self.holdingState(of: account.id, in: section, visit.language)
            row["state"] = state
            row["tag"] = tag
            row["releaseHref"] = due ? "/sections/\(section.terms.sectionID)/release" : false
            // The release runs on the holder's own machine: the private key never comes here.
            row["command"] =
              due
              ? "zhaocai holder release --platform \(Self.apiBase(host, secure: visit.secure)) "
                + "--section \(section.terms.sectionID) --name \(account.id) --key 您的密钥文件.key"
              : false
            return row
          } : false,
        "bids": account.role == .bidder
          ? rows.map { section -> [String: Any] in
            var row = sectionRow(section, visit.language)
            let (state, tag) = Self.bidState(
              of: account.creditCode, in: section,
              withdrawn: withdrawn.contains(section.terms.sectionID), visit.language)
            row["state"] = state
            row["tag"] = tag
            row["bidHref"] =
              section.phase == .bidding ? "/sections/\(section.terms.sectionID)/bid" : false
            return row
          } : false,
        "role": Self.roleName(account.role),
        "manager": account.role == .tenderer
          || account.role == .agency,
      ])
  }

  /// Sections the caller may see (published ones, and its own drafts), as `GET /sections` lists
  /// them: the 200 most recently changed.
  func visibleSections() async throws -> [Section] {
    try await platform.visibleSections(.init(limit: 200), for: Caller.current)
  }

  /// What the tenderer or agency keeps up besides the steps: the documents' versions (and the
  /// upload of a new one), the download register once the law lets it see it (法22), the
  /// objections waiting for its answer with their due days, and termination.
  func managerPanels(of section: Section, now: Int64, into values: inout [String: Any])
    async throws
  {
    let id = section.terms.sectionID
    let open = !section.phase.isFinal
    values["documentsPanel"] = section.phase == .draft || section.phase == .bidding
    if section.phase == .draft || section.phase == .bidding {
      let versions = try PageCall.value(
        await api.listDocuments(.init(path: .init(sectionID: id)))
      ) { try $0.ok.body.json }
      values["versions"] = versions.map {
        [
          "version": $0.version, "name": $0.name, "size": PageFormat.bytes($0.size),
          "uploadedAt": PageFormat.time($0.uploadedAt), "notified": $0.notified ?? 0,
          "href": "/sections/\(id)/documents/\($0.version)",
        ] as [String: Any]
      }
      values["hasVersions"] = !versions.isEmpty
    }
    // The register, from publication on; the API decides who sees it when (法22: before the
    // deadline, not the tenderer).
    values["registerPanel"] = section.phase != .draft
    if section.phase != .draft {
      let register = try await api.getDownloadRegister(.init(path: .init(sectionID: id)))
      if case .ok(let ok) = register, case .json(let rows) = ok.body {
        values["register"] = [
          "hasRows": !rows.isEmpty,
          "rows": rows.map {
            [
              "version": $0.version, "party": $0.party, "account": $0.account,
              "address": $0.address, "at": PageFormat.time($0.at),
            ] as [String: Any]
          },
        ]
        values["registerClosed"] = false
      } else if let refusal = PageCall.refusal(in: register), refusal.status == 403 {
        values["register"] = false
        values["registerClosed"] = true
      } else {
        // Anything but the law's refusal is a fault to show, not a closed register.
        throw PageCall.refusal(in: register) ?? Problem.badBody
      }
    }
    let today = LegalDate(instant: now)
    values["objections"] = section.pendingObjections.map {
      [
        "id": $0.id, "sectionID": id, "raisedAt": PageFormat.time($0.raisedAt),
        "answerDue": $0.answerDue.description,
        "tag": $0.answerDue < today ? "tag-warn" : "tag-wait",
      ] as [String: Any]
    }
    values["hasObjections"] = !section.pendingObjections.isEmpty
    values["canTerminate"] = open && section.phase != .draft
    // The committee's composition (法37) and, once the result makes names public (条例49), the
    // hub's record of its draw to check at the hub.
    if let evaluation = section.evaluation {
      let experts = evaluation.members.filter(\.isExpert).count
      let record = try await platform.store.read {
        try await CommitteeDrawRepository.record(of: id, on: $0)
      }
      let recused =
        record.flatMap { try? JSONDecoder().decode(VerifiableDraw.self, from: Data($0.utf8)) }?
        .recused.count
      let published = [.awarded, .contracted, .reported, .archived].contains(section.phase)
      let replacements = try await platform.store.read {
        try await CommitteeDrawRepository.replacementCount(of: id, on: $0)
      }
      values["committee"] =
        [
          "members": evaluation.members.count, "experts": experts,
          "representatives": evaluation.members.count - experts,
          "composed": evaluation.members.count >= 5 && evaluation.members.count % 2 == 1
            && experts * 3 >= evaluation.members.count * 2,
          "recused": recused.map(String.init) ?? "—",
          "drawnAtHub": record != nil,
          "recordHref": record != nil && published ? "/sections/\(id)/committee-draw" : false,
          "replacementRecords": published
            ? (0..<replacements).map {
              ["round": $0 + 1, "href": "/sections/\(id)/committee-draw/\($0 + 1)"]
            } : [],
          "recusedAfter": evaluation.recusedMembers.isEmpty
            ? false : String(evaluation.recusedMembers.count),
          "vacancies": evaluation.vacancies > 0 && Caller.current.manages(section)
            ? evaluation.vacancies : false,
          "id": id,
          "verifyHref": platform.exchange.map {
            $0.hub.replacingOccurrences(of: "/api/v1", with: "") + "/draws/verify"
          } ?? false,
        ] as [String: Any]
    } else {
      values["committee"] = false
    }
  }

  /// The hub's record of the section's expert draw, for its manager once the result is out;
  /// `round` names a replacement draw (from 1).
  func committeeDraw(_ id: String, round: Int? = nil) async throws -> Response {
    let stored = try await platform.store.read { try await SectionRepository.load(id, on: $0) }
    guard let section = stored?.section, Caller.current.manages(section) else {
      throw Problem.forbidden("the draw record is for the section's tenderer or agency")
    }
    guard [.awarded, .contracted, .reported, .archived].contains(section.phase),
      let record = try await platform.store.read({
        if let round {
          try await CommitteeDrawRepository.replacement(round, of: id, on: $0)
        } else {
          try await CommitteeDrawRepository.record(of: id, on: $0)
        }
      })
    else {
      throw DomainError.notFound(
        "the draw record (names stay confidential until the result, 条例49)",
        chinese: "抽取记录（中标结果确定前评标委员会成员名单保密，条例49）")
    }
    return Self.attachment(
      HTTPBody(record), plainName: "\(id)-draw\(round.map { "-\($0)" } ?? "").json",
      type: "application/json")
  }

  /// The section's archive (电子档案) through the API's handler, once the file is closed: the
  /// logged events with their proofs, the documents and envelopes (docs/ARCHIVE.md), which
  /// `zhaocai log verify --archive` checks offline.
  func archiveDownload(_ id: String) async throws -> Response {
    let output = try await api.getArchive(.init(path: .init(sectionID: id)))
    if let refusal = PageCall.refusal(in: output) { throw refusal }
    guard case .ok(let ok) = output, case .binary(let body) = ok.body else { throw Problem.badBody }
    return Self.attachment(body, plainName: "\(id)-archive.json", type: "application/json")
  }

  /// Where a key holder's share of a section stands, in words, the tag's colour, and whether
  /// its release is due now (after the deadline, not yet released).
  static func holdingState(of holder: String, in section: Section, _ language: PageLanguage)
    -> (String, String, Bool)
  {
    let zh = language == .zh
    if section.releasedHolders.contains(holder) {
      return (zh ? "已释放" : "Released", "tag-ok", false)
    }
    switch section.phase {
    case .draft, .bidding: return (zh ? "投标截止后释放" : "Release after the deadline", "tag-wait", false)
    case .opening: return (zh ? "待释放" : "Release now", "tag-warn", true)
    default: return (zh ? "无需释放" : "Not needed", "tag-muted", false)
    }
  }

  /// This platform's API base as the visitor reached it, for the commands a page shows.
  static func apiBase(_ host: String?, secure: Bool) -> String {
    let plain = host.flatMap { value in
      value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }
        && (1...255).contains(value.count) ? value : nil
    }
    return (secure ? "https://" : "http://") + (plain ?? "本平台地址") + "/api/v1"
  }

  /// Where a bidder's bid stands in a section, in words, and the tag's colour.
  static func bidState(
    of party: String, in section: Section, withdrawn: Bool, _ language: PageLanguage
  ) -> (String, String) {
    let zh = language == .zh
    if let award = section.award {
      return award.bidder == party
        ? (zh ? "中标" : "Awarded", "tag-ok") : (zh ? "未中标" : "Not awarded", "tag-muted")
    }
    switch section.openingResults[party] {
    case .opened(let items, _)?:
      return (
        zh ? "已开启，报价 \(items.price)" : "Opened, price \(items.price)", "tag-ok"
      )
    case .undecryptable(.revoked)?:
      return (
        zh ? "无法解密，视为撤销投标（办法31）" : "Not decryptable: counts as revoked (办法31)",
        "tag-warn"
      )
    case .undecryptable(.withdrawn)?:
      return (
        zh ? "无法解密，视为撤回投标（办法31）" : "Not decryptable: counts as withdrawn (办法31)",
        "tag-warn"
      )
    case nil: break
    }
    switch section.phase {
    case .failed: return (zh ? "标段失败" : "Section failed", "tag-muted")
    case .terminated: return (zh ? "招标已终止" : "Tender terminated", "tag-muted")
    default: break
    }
    guard let bid = section.bids[party] else {
      if withdrawn {
        return (zh ? "已撤回" : "Withdrawn", "tag-muted")
      }
      return section.phase == .bidding
        ? (zh ? "未递交" : "Not submitted", "tag-wait")
        : (zh ? "未投标" : "No bid", "tag-muted")
    }
    if section.phase == .bidding {
      return bid.version > 1
        ? (zh ? "已替换（第\(bid.version)版）" : "Replaced (version \(bid.version))", "tag-ok")
        : (zh ? "已递交" : "Received", "tag-ok")
    }
    return (zh ? "已递交，待开标" : "Received, awaiting the opening", "tag-wait")
  }

  func sectionRow(_ section: Section, _ language: PageLanguage) -> [String: Any] {
    [
      "id": section.terms.sectionID, "name": section.terms.name,
      "href": "/sections/\(section.terms.sectionID)",
      "phase": EventWords.phase(section.phase.rawValue, in: language),
      "region": PageFormat.region(section.terms.region),
      "estimate": section.terms.estimate.description,
      "deadline": section.schedule.map { PageFormat.time($0.bidDeadline) } ?? "—",
      "suspended": section.suspendingOrder != nil,
    ]
  }

  func sections(_ visit: PageVisit) async throws -> Response {
    let rows = try await visibleSections()
    return try render(
      "sections", visit, title: "招标项目", english: "Tenders",
      values: ["sections": rows.map { sectionRow($0, visit.language) }, "none": rows.isEmpty])
  }

  // MARK: A section

  func section(
    _ parameters: Parameters, _ request: Request, _ visit: PageVisit,
    errors: [(field: String, problem: ProblemDetails)] = [], form: PageForm? = nil,
    status: HTTPResponse.Status = .ok
  ) async throws -> Response {
    let id = try Self.pathValue(parameters, "id")
    let view = try PageCall.value(await api.getSection(.init(path: .init(sectionID: id)))) {
      try $0.ok.body.json
    }
    let stored = try await platform.store.read { try await SectionRepository.load(id, on: $0) }
    guard let section = stored?.section else { throw DomainError.notFound(id, chinese: "该标段") }
    let caller = Caller.current
    let language = visit.language
    let manages = caller.manages(section)
    let now = platform.clock.now()
    let timeline = try await timeline(of: id, language)
    var values = PageSite.errorValues(errors, language)
    values.merge(sectionRow(section, language)) { $1 }
    values["terms"] = [
      "procedure": Self.procedureName(section.terms.procedure, language),
      "method": section.terms.evaluationMethod == .comprehensiveScoring
        ? (language == .zh ? "综合评估法" : "Comprehensive scoring")
        : (language == .zh ? "经评审的最低投标价法" : "Lowest evaluated price"),
      "bond": section.terms.bidBond.description, "industry": section.terms.industry,
      "guarantee": section.terms.bondGuaranteeAccepted == true,
      "tenderer": section.terms.tenderer, "ceiling": section.terms.priceCeiling?.description ?? "—",
      "criteria": section.terms.criteria.map {
        [
          "name": $0.name, "points": String(format: "%.2f", Double($0.maxPoints) / 100),
          "formula": $0.priceFormula != nil, "credit": $0.fromCredit,
        ]
      },
      "hasCriteria": !section.terms.criteria.isEmpty,
    ]
    values["schedule"] =
      section.schedule.map { schedule -> [String: Any] in
        [
          "saleEndsAt": PageFormat.time(schedule.saleEndsAt),
          "deadline": PageFormat.time(schedule.bidDeadline),
          "holders": schedule.keyHolders.map(\.name).joined(separator: "、"),
          "threshold": schedule.threshold,
        ]
      } ?? false
    values["bidCount"] = section.bids.count
    values["sealed"] = section.phase == .bidding || section.phase == .draft
    values["timeline"] = timeline
    values["manages"] = manages
    values["isDraft"] = section.phase == .draft
    values["isInvitation"] =
      section.terms.procedure == .invitation
      || section.terms.procedure == .invitationWithPrequalification
    values["hasPrequalification"] = section.terms.procedure.hasPrequalification
    values["invited"] = form?.fields["invited"] ?? ""
    values["applicationDeadline"] = form?.fields["applicationDeadline"] ?? ""
    values["isBidding"] = section.phase == .bidding
    values["openingHall"] =
      section.phase != .draft && section.phase != .bidding ? "/sections/\(id)/opening" : false
    values["bidHref"] =
      caller.account?.role == .bidder && section.phase == .bidding ? "/sections/\(id)/bid" : false
    values["hallBeforeOpening"] = section.phase == .bidding ? "/sections/\(id)/opening" : false
    values["isEvaluation"] = section.phase == .evaluation
    values["evaluationRoom"] =
      section.evaluation != nil
        && (manages
          || caller.account.map { account in
            section.evaluation?.members.contains { $0.id == account.id } ?? false
          } ?? false)
      ? "/sections/\(id)/evaluation" : false
    values["canOpen"] = manages && section.phase == .opening
    values["canDraw"] = manages && section.phase == .evaluation && section.evaluation == nil
    values["canPublicise"] =
      manages && section.phase == .evaluation
      && view.evaluation.map {
        !$0.candidates.isEmpty
      } == true
    values["canAward"] = manages && section.phase == .publicity
    values["candidates"] = (view.evaluation?.candidates ?? []).enumerated().map {
      ["bidder": $0.element, "rank": $0.offset + 1]
    }
    values["canContract"] = manages && section.phase == .awarded
    values["canReport"] = manages && section.phase == .contracted
    values["canArchive"] = manages && section.phase == .reported
    values["archiveHref"] =
      manages && section.phase.isFinal ? "/sections/\(id)/archive" : false
    values["award"] =
      view.award.map {
        [
          "bidder": $0.bidder, "contractDue": $0.contractDue.description,
          "reportDue": $0.reportDue.description,
        ]
      } ?? false
    values["suspendingOrder"] = section.suspendingOrder ?? false
    if manages { try await managerPanels(of: section, now: now, into: &values) }
    // What the law allows from today, shown before the tenderer chooses.
    values["earliestDeadline"] = TimeLimits.earliestBidDeadline(documentsIssued: now).description
    values["earliestSaleEnd"] = TimeLimits.earliestSaleEnd(start: now).description
    values["holderSources"] = try await holderSources(except: id)
    for name in ["saleEndsAt", "bidDeadline", "threshold"] {
      values[name] = form?.fields[name] ?? ""
    }
    values["done"] = request.uri.queryParameters["done"].map(String.init) ?? false
    return try render(
      "section", visit, title: section.terms.name, english: section.terms.name, values: values,
      status: status)
  }

  static func procedureName(_ procedure: Procedure, _ language: PageLanguage) -> String {
    switch (procedure, language) {
    case (.open, .zh): "公开招标"
    case (.openWithPrequalification, .zh): "公开招标（资格预审）"
    case (.invitation, .zh): "邀请招标"
    case (.invitationWithPrequalification, .zh): "邀请招标（资格预审）"
    case (_, .en): procedure.rawValue
    }
  }

  /// Sections whose key holders a new notice may name again (the platform's usual holders).
  func holderSources(except id: String) async throws -> [[String: Any]] {
    try await visibleSections().filter { $0.schedule != nil && $0.terms.sectionID != id }
      .prefix(20).map {
        [
          "id": $0.terms.sectionID,
          "holders": $0.schedule?.keyHolders.map(\.name).joined(separator: "、") ?? "",
        ]
      }
  }

  /// The section's public record in words, oldest first (what anyone may know: never who bid
  /// before the opening, 法22).
  func timeline(of id: String, _ language: PageLanguage) async throws -> [[String: Any]] {
    let events = try await platform.store.read {
      try await SectionStore.loggedEvents(of: id, limit: 500, on: $0)
    }
    return events.compactMap { logged -> [String: Any]? in
      guard logged.event.isPublicRecord else { return nil }
      return [
        "at": PageFormat.time(logged.at), "text": EventWords.sentence(logged.event, in: language),
      ]
    }
  }

  // MARK: The steps of a section

  /// One step on a section, by the form its page shows; a refusal is shown on the page.
  func act(_ parameters: Parameters, _ request: Request, _ visit: PageVisit) async throws
    -> Response
  {
    let id = try Self.pathValue(parameters, "id")
    let step = try Self.pathValue(parameters, "step")
    let form = try await PageForm.read(request, for: visit)
    let path = Operations.getSection.Input.Path(sectionID: id)
    var back = "/sections/\(id)?done=\(step)"
    do {
      switch step {
      case "publication":
        let body = try await schedule(from: form)
        _ = try PageCall.value(
          await api.publishSection(.init(path: .init(sectionID: id), body: .json(body)))
        ) { try $0.ok }
      case "amendment":
        _ = try PageCall.value(await api.amendDocuments(.init(path: .init(sectionID: id)))) {
          try $0.created
        }
      // Not "opening": that path is the hall's, and the router would not reach this one.
      case "decryption":
        _ = try PageCall.value(await api.openBids(.init(path: .init(sectionID: id)))) {
          try $0.ok
        }
        back = "/sections/\(id)/opening"
      case "opening-close":
        _ = try PageCall.value(await api.closeOpening(.init(path: .init(sectionID: id)))) {
          try $0.ok
        }
      case "committee":
        let experts = Int(form.optional("experts") ?? "") ?? 0
        _ = try PageCall.value(
          await api.drawCommittee(
            .init(
              path: .init(sectionID: id),
              body: .json(
                .init(
                  experts: experts, speciality: form.optional("speciality"),
                  representatives: form.list("representatives", limit: 10)))))
        ) { try $0.created }
      case "scores":
        return try await submitScores(id: id, form: form, visit)
      case "rejection":
        return try await flagRejection(id: id, form: form, visit)
      case "committee-replacement":
        _ = try PageCall.value(
          await api.replaceRecusedMembers(.init(path: .init(sectionID: id), body: .json(.init())))
        ) { try $0.created }
      case "check-in", "recusal", "leader-vote", "stage-conclusion", "stage-return":
        return try await proceed(step, id: id, form: form, visit)
      case "time-request":
        _ = try PageCall.value(await api.askForMoreTime(.init(path: .init(sectionID: id)))) {
          try $0.ok
        }
        back = "/sections/\(id)/evaluation?done=time"
      case "evaluation-report":
        _ = try PageCall.value(
          await api.reportEvaluation(.init(path: .init(sectionID: id), body: .json(.init())))
        ) { try $0.ok }
        back = "/sections/\(id)/evaluation?done=report"
      case "publicity":
        guard let end = Self.instant(form.optional("end")) else {
          throw PageFieldRefusal(field: "end", problem: Self.badTime)
        }
        _ = try PageCall.value(
          await api.startPublicity(
            .init(path: .init(sectionID: id), body: .json(.init(end: end))))
        ) { try $0.ok }
      case "award":
        let bidder = form.optional("bidder") ?? ""
        _ = try PageCall.value(
          await api.awardSection(
            .init(path: .init(sectionID: id), body: .json(.init(bidder: bidder))))
        ) { try $0.ok }
      case "contract":
        guard let price = Self.fen(form.optional("price")),
          let bond = Self.fen(form.optional("performanceBond") ?? "0")
        else {
          throw PageFieldRefusal(field: "price", problem: Self.badAmount)
        }
        _ = try PageCall.value(
          await api.signContract(
            .init(
              path: .init(sectionID: id),
              body: .json(.init(priceFen: price, performanceBondFen: bond))))
        ) { try $0.ok }
      case "report":
        _ = try PageCall.value(await api.fileReport(.init(path: .init(sectionID: id)))) {
          try $0.ok
        }
      case "report-signature":
        _ = try PageCall.value(
          await api.signReport(
            .init(
              path: .init(sectionID: id),
              body: .json(.init(dissent: form.optional("dissent")))))
        ) { try $0.ok }
        back = "/sections/\(id)/evaluation?done=signed"
      // Not "archive": that is the download's path, and a literal route beside the step's
      // parameter would take its POST.
      case "archival":
        _ = try PageCall.value(await api.archiveSection(.init(path: .init(sectionID: id)))) {
          try $0.ok
        }
      case "objection-answer":
        let objection = form.optional("objection") ?? ""
        _ = try PageCall.value(
          await api.answerObjection(
            .init(
              path: .init(sectionID: id, objectionID: objection),
              body: .json(.init(answer: form.optional("answer")))))
        ) { try $0.ok }
        if form.optional("from") == "hall" { back = "/sections/\(id)/opening?done=answered" }
      case "termination":
        let reason = form.optional("reason") ?? ""
        _ = try PageCall.value(
          await api.terminateSection(
            .init(path: .init(sectionID: id), body: .json(.init(reason: reason))))
        ) { try $0.ok }
      // A bidder's own steps: its bid taken back before the deadline, and at the opening its
      // confirmation of the record or an objection raised on the spot (条例44).
      case "withdrawal":
        let party = Caller.current.account?.creditCode ?? ""
        _ = try PageCall.value(
          await api.withdrawBid(.init(path: .init(sectionID: id, bidderID: party)))
        ) { try $0.ok }
        back = "/sections/\(id)/bid?done=withdrawal"
      case "bond":
        let party = Caller.current.account?.creditCode ?? ""
        guard let amount = Self.fen(form.optional("bondAmount")) else {
          throw PageFieldRefusal(field: "bondAmount", problem: Self.badAmount)
        }
        // A transfer from an account, or an electronic bank guarantee (电子保函).
        let body: Operations.payBond.Input.Body.jsonPayload =
          form.optional("bondForm") == "guarantee"
          ? .init(
            amountFen: amount,
            guarantee: .init(
              issuer: form.optional("guaranteeIssuer") ?? "",
              number: form.optional("guaranteeNumber") ?? ""))
          : .init(amountFen: amount, payingAccount: form.optional("payingAccount") ?? "")
        _ = try PageCall.value(
          await api.payBond(
            .init(path: .init(sectionID: id, bidderID: party), body: .json(body)))
        ) { try $0.created }
        back = "/sections/\(id)/bid?done=bond"
      // An objection to the tender documents (条例22): bidding waits for the tenderer's answer.
      case "documents-objection":
        let party = Caller.current.account?.creditCode ?? ""
        let objection = "DOCS-\(party)-\(platform.clock.now())"
        _ = try PageCall.value(
          await api.raiseObjection(.init(path: .init(sectionID: id, objectionID: objection)))
        ) { try $0.created }
        back = "/sections/\(id)/bid?done=documents-objection"
      case "opening-confirmation":
        let party = Caller.current.account?.creditCode ?? ""
        _ = try PageCall.value(
          await api.confirmOpening(.init(path: .init(sectionID: id, bidderID: party)))
        ) { try $0.ok }
        back = "/sections/\(id)/opening?done=confirmed"
      case "opening-objection":
        let party = Caller.current.account?.creditCode ?? ""
        let objection = "OPENING-\(party)-\(platform.clock.now())"
        _ = try PageCall.value(
          await api.objectToOpening(
            .init(
              path: .init(sectionID: id, objectionID: objection),
              body: .json(.init(statement: form.optional("statement")))))
        ) { try $0.created }
        back = "/sections/\(id)/opening?done=objected"
      default:
        throw DomainError.notFound("step \(step)", chinese: "该操作")
      }
    } catch let refused as PageFieldRefusal where Self.bidSteps.contains(step) {
      return try await bidPage(
        id, visit, errors: [(refused.field, refused.problem)], status: .unprocessableContent)
    } catch let problem as ProblemDetails
      where Self.bidSteps.contains(step) && (400..<500).contains(problem.status)
    {
      return try await bidPage(
        id, visit, errors: [(Self.field(of: step), problem)],
        status: HTTPResponse.Status(code: problem.status))
    } catch let refused as PageFieldRefusal {
      return try await section(
        parameters, request, visit, errors: [(refused.field, refused.problem)], form: form,
        status: .unprocessableContent)
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      _ = path
      // A publication refused for its prequalification dates or its invitations is shown there.
      let field =
        step == "publication" && problem.code.hasPrefix("RULE_PREQUALIFICATION")
        ? "applicationDeadline"
        : step == "publication" && problem.english.contains("invite")
          ? "invited" : Self.field(of: step)
      return try await section(
        parameters, request, visit, errors: [(field, problem)], form: form,
        status: HTTPResponse.Status(code: problem.status))
    }
    return visit.redirect(to: back)
  }

  /// The steps of the bidder's own page, whose refusals are shown there.
  static let bidSteps: Set<String> = ["withdrawal", "bond", "documents-objection"]

  static func field(of step: String) -> String {
    switch step {
    case "bond": "bondAmount"
    case "termination": "reason"
    case "withdrawal", "documents-objection": "bid-actions"
    case "publication": "bidDeadline"
    case "committee": "experts"
    case "publicity": "end"
    case "award": "bidder"
    case "contract": "price"
    default: "section-actions"
    }
  }

  static let badTime = ProblemDetails(
    status: 422, code: "INVALID_INPUT", english: "a date and time such as 2026-12-28 09:30",
    chinese: "时间格式应为 2026-12-28 09:30（北京时间）")
  static let badAmount = ProblemDetails(
    status: 422, code: "INVALID_INPUT", english: "an amount in yuan such as 48500000.00",
    chinese: "金额应为以元为单位的数字，如 48500000.00")

  /// A `datetime-local` value (Beijing time) as an instant.
  static func instant(_ text: String?) -> Date? {
    guard let text, text.count <= 19 else { return nil }
    let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
    guard parts.count == 2, let day = LegalDate(String(parts[0])) else { return nil }
    let clock = parts[1].split(separator: ":").compactMap { Int64($0) }
    guard clock.count >= 2, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]) else {
      return nil
    }
    return Date(
      timeIntervalSince1970: TimeInterval(day.startInstant + clock[0] * 3600 + clock[1] * 60))
  }

  /// Yuan as people write them ("48,500,000.00") in fen, within `Money.maximum`.
  static func fen(_ text: String?) -> Int64? { text.flatMap { Money(yuanText: $0)?.fen } }

  /// The publication form as the API's schedule: the times, and the key holders of the section
  /// the tenderer chose to take them from.
  func schedule(from form: PageForm) async throws -> Components.Schemas.TenderSchedule {
    guard let sale = Self.instant(form.optional("saleEndsAt")) else {
      throw PageFieldRefusal(field: "saleEndsAt", problem: Self.badTime)
    }
    guard let deadline = Self.instant(form.optional("bidDeadline")) else {
      throw PageFieldRefusal(field: "bidDeadline", problem: Self.badTime)
    }
    let source = form.optional("holdersFrom") ?? ""
    let from = try await platform.store.read {
      try await SectionRepository.load(String(source.prefix(64)), on: $0)
    }
    guard let holders = from?.section.schedule?.keyHolders, !holders.isEmpty else {
      throw PageFieldRefusal(
        field: "holdersFrom",
        problem: ProblemDetails(
          status: 422, code: "INVALID_INPUT", english: "choose whose key holders to name",
          chinese: "请选择开标密钥持有人"))
    }
    let threshold = Int(form.optional("threshold") ?? "") ?? 2
    // Invitation tendering names whom it invites (法17); prequalification, when applications
    // are due (条例17). The domain holds each to its rule.
    let invited = form.list("invited", limit: 200)
    for code in invited where (try? Account.checkedCreditCode(code)) == nil {
      throw PageFieldRefusal(
        field: "invited",
        problem: ProblemDetails(
          status: 422, code: "INVALID_INPUT",
          english: "\(code.prefix(40)) is not a unified social credit code",
          chinese: "\(code.prefix(40))不是有效的统一社会信用代码"))
    }
    var applications: Date? = nil
    if let text = form.optional("applicationDeadline") {
      guard let instant = Self.instant(text) else {
        throw PageFieldRefusal(field: "applicationDeadline", problem: Self.badTime)
      }
      applications = instant
    }
    return .init(
      saleEndsAt: sale, bidDeadline: deadline,
      keyHolders: holders.map {
        .init(
          name: $0.name, suite: .init(rawValue: $0.suite) ?? .standard, sealingKey: $0.sealingKey)
      }, threshold: threshold, invited: invited.isEmpty ? nil : Array(Set(invited)).sorted(),
      applicationDeadline: applications)
  }

  // MARK: A new section

  func newSection(
    _ visit: PageVisit, form: PageForm? = nil,
    errors: [(field: String, problem: ProblemDetails)] = [], status: HTTPResponse.Status = .ok
  ) throws -> Response {
    _ = try Caller.current.require(.tenderer, .agency)
    var values = PageSite.errorValues(errors, visit.language)
    for name in [
      "sectionID", "name", "project", "estimate", "ceiling", "bond", "industry", "region",
    ] {
      values[name] = form?.fields[name] ?? ""
    }
    values["procedures"] = Procedure.allCases.map {
      [
        "code": $0.rawValue, "name": Self.procedureName($0, visit.language),
        "selected": form?.optional("procedure") == $0.rawValue,
      ] as [String: Any]
    }
    values["lowest"] = form?.optional("method") == "lowestEvaluatedPrice"
    values["stateFunded"] = form?.ticked("stateFunded") ?? false
    values["bondDivisor"] = BondRules.bidBondDivisor
    values["guaranteeAccepted"] = form?.ticked("bondGuaranteeAccepted") ?? true
    values["criteria"] = form?.fields["criteria"] ?? "技术方案 40\n商务 10\n投标报价 50"
    values["priceCriterion"] = form?.fields["priceCriterion"] ?? "投标报价"
    values["priceDiscount"] = form?.fields["priceDiscount"] ?? "2"
    values["deductionAbove"] = form?.fields["deductionAbove"] ?? "1"
    values["deductionBelow"] = form?.fields["deductionBelow"] ?? "0.5"
    return try render(
      "section-new", visit, title: "新建标段", english: "New section", values: values, status: status)
  }

  func createSection(_ request: Request, _ visit: PageVisit) async throws -> Response {
    let form = try await PageForm.read(request, for: visit)
    do {
      let id = form.optional("sectionID") ?? ""
      guard (1...64).contains(id.count),
        id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
      else {
        throw PageFieldRefusal(
          field: "sectionID",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT",
            english: "a section id has 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'",
            chinese: "标段编号为1至64个字母、数字或 . _ -"))
      }
      guard let estimate = Self.fen(form.optional("estimate")), estimate > 0 else {
        throw PageFieldRefusal(field: "estimate", problem: Self.badAmount)
      }
      guard let bond = Self.fen(form.optional("bond") ?? "0") else {
        throw PageFieldRefusal(field: "bond", problem: Self.badAmount)
      }
      let ceiling = try form.optional("ceiling").map { text -> Int64 in
        guard let value = Self.fen(text), value > 0 else {
          throw PageFieldRefusal(field: "ceiling", problem: Self.badAmount)
        }
        return value
      }
      let region = form.optional("region") ?? ""
      guard region.count == 6, region.allSatisfy(\.isNumber) else {
        throw PageFieldRefusal(
          field: "region",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT", english: "a region is a six-digit GB/T 2260 code",
            chinese: "地区应为6位行政区划代码（GB/T 2260）"))
      }
      let lowest = form.optional("method") == "lowestEvaluatedPrice"
      var criteria = lowest ? [] : try Self.criteria(form.fields["criteria"] ?? "")
      if !lowest, let priced = form.optional("priceCriterion") {
        try Self.priceFormula(priced, form, on: &criteria)
      }
      let body = Components.Schemas.SectionTerms(
        sectionID: id, name: try form.text("name", chinese: "标段名称"),
        estimateFen: estimate, priceCeilingFen: ceiling, bidBondFen: bond,
        procedure: .init(rawValue: form.optional("procedure") ?? "open") ?? .open,
        evaluationMethod: lowest ? .lowestEvaluatedPrice : .comprehensiveScoring,
        industry: try form.text("industry", chinese: "行业", maxLength: 64), region: region,
        stateFunded: form.ticked("stateFunded"),
        project: form.optional("project").map { String($0.prefix(200)) }, criteria: criteria,
        bondGuaranteeAccepted: form.ticked("bondGuaranteeAccepted") ? true : nil)
      _ = try PageCall.value(await api.createSection(.init(body: .json(body)))) {
        try $0.created
      }
      return visit.redirect(to: "/sections/\(id)?done=created")
    } catch let refused as PageFieldRefusal {
      return try newSection(
        visit, form: form, errors: [(refused.field, refused.problem)], status: .unprocessableContent
      )
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      let field =
        problem.code == "RULE_BID_BOND_MAX_2_PERCENT"
        ? "bond"
        : problem.code.contains("CRITERIA") || problem.code.contains("POINTS")
          ? "criteria" : "sectionID"
      return try newSection(
        visit, form: form, errors: [(field, problem)],
        status: HTTPResponse.Status(code: problem.status))
    }
  }

  /// The criterion named `name` scored by the form's price formula: the discount in percent,
  /// the deductions in points per 1%, each with up to two decimals.
  static func priceFormula(
    _ name: String, _ form: PageForm,
    on criteria: inout [Components.Schemas.SectionTerms.criteriaPayloadPayload]
  ) throws {
    guard let index = criteria.firstIndex(where: { $0.name == name }) else {
      throw PageFieldRefusal(
        field: "priceCriterion",
        problem: ProblemDetails(
          status: 422, code: "INVALID_INPUT",
          english: "the price criterion must be one of the criteria above",
          chinese: "按公式计分的价格因素应为上方所列评分因素之一"))
    }
    // The bounds are the domain's; the page only reads the numbers and says which field is off.
    let hundredths = { (field: String, bounds: ClosedRange<Int>) -> Int? in
      guard let text = form.optional(field), let value = Self.fen(text).map(Int.init),
        bounds.contains(value)
      else { return nil }
      return value
    }
    guard let discount = hundredths("priceDiscount", PriceFormula.discounts),
      let above = hundredths("deductionAbove", PriceFormula.deductions),
      let below = hundredths("deductionBelow", PriceFormula.deductions)
    else {
      throw PageFieldRefusal(
        field: "priceCriterion",
        problem: ProblemDetails(
          status: 422, code: "INVALID_INPUT",
          english: "a discount of 0 to 20% and deductions of 0 to 100 points per 1%",
          chinese: "下浮率为0至20%，每偏离1%扣0至100分，最多两位小数"))
    }
    criteria[index].priceFormula = .init(
      discount: discount, deductionAbove: above, deductionBelow: below)
  }

  /// "名称 分值" per line, the points in whole or decimal points (hundredths kept).
  static func criteria(_ text: String) throws -> [Components.Schemas.SectionTerms
    .criteriaPayloadPayload]
  {
    let lines = text.split(whereSeparator: \.isNewline).map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
    guard lines.count <= 50 else {
      throw PageFieldRefusal(
        field: "criteria",
        problem: ProblemDetails(
          status: 422, code: "INVALID_INPUT", english: "at most 50 criteria",
          chinese: "评分因素最多50项"))
    }
    return try lines.map { line in
      let parts = line.split(separator: " ")
      guard parts.count >= 2, let points = Decimal(string: String(parts.last!)),
        points > 0, points <= 1000
      else {
        throw PageFieldRefusal(
          field: "criteria",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT",
            english: "each line is a criterion and its points, such as 技术方案 40",
            chinese: "每行一个评分因素及其分值，如：技术方案 40"))
      }
      let name = parts.dropLast().joined(separator: " ")
      return .init(
        name: String(name.prefix(200)),
        maxPoints: NSDecimalNumber(decimal: points * 100).intValue)
    }
  }
}
