import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// 评标室: the committee's members see the opened bids and the criteria, fill in their own score
/// sheet within each criterion's points and submit it alone (no member sees another's marks);
/// once every member has submitted, the report ranks the candidates. The tenderer sees the
/// progress, never the marks.
extension TradingPages {
  func evaluationRoom(
    _ id: String, _ visit: PageVisit,
    errors: [(field: String, problem: ProblemDetails)] = [], status: HTTPResponse.Status = .ok
  ) async throws -> Response {
    let view = try PageCall.value(await api.getSection(.init(path: .init(sectionID: id)))) {
      try $0.ok.body.json
    }
    let stored = try await platform.store.read { try await SectionRepository.load(id, on: $0) }
    guard let section = stored?.section, let evaluation = section.evaluation else {
      throw DomainError.wrongPhase(
        action: "open the evaluation room", phase: stored?.section.phase ?? .draft)
    }
    let caller = Caller.current
    let account = try caller.require()
    let member = evaluation.members.contains { $0.id == account.id }
    guard member || caller.manages(section) else {
      throw Problem.forbidden("only members of the evaluation committee may enter the room")
    }
    let record = try PageCall.value(await api.getOpeningRecord(.init(path: .init(sectionID: id)))) {
      try $0.ok.body.json
    }.filter { $0.outcome == .opened }
    // The member's sheet as handed in, else its draft (its own only: no member sees another's).
    var mine = evaluation.sheets[account.id]
    var draftSavedAt: String? = nil
    if mine == nil, member {
      let output = try await api.getScoreDraft(.init(path: .init(sectionID: id)))
      if case .ok(let ok) = output, case .json(let kept) = ok.body {
        mine = TradingAPI.sheet(kept.sheet)
        draftSavedAt = PageFormat.time(Views.seconds(kept.savedAt))
      }
    }
    // After a return the member starts from the sheet it handed in before, kept with the return.
    var setAside = false
    if mine == nil, member,
      let earlier = evaluation.returns.last(where: { $0.sheets[account.id] != nil })
    {
      mine = earlier.sheets[account.id]
      setAside = true
    }
    let comprehensive = section.terms.evaluationMethod == .comprehensiveScoring
    var values = PageSite.errorValues(errors, visit.language)
    values["id"] = id
    values["name"] = section.terms.name
    values["member"] = member
    values["members"] = evaluation.members.count
    values["scored"] = view.evaluation?.scored ?? 0
    values["submitted"] = evaluation.sheets[account.id] != nil
    values["draftSavedAt"] = draftSavedAt ?? false
    values["fromSetAside"] = setAside
    values["comprehensive"] = comprehensive
    addProceedings(of: evaluation, for: account.id, member: member, visit.language, to: &values)
    values["criteria"] = section.terms.criteria.filter(\.isMarked).map {
      ["name": $0.name, "points": String(format: "%.2f", Double($0.maxPoints) / 100)]
    }
    values["bids"] = record.map { entry -> [String: Any] in
      [
        "bidder": entry.bidder, "price": entry.priceFen.map { PageFormat.money(fen: $0) } ?? "—",
        "days": entry.durationDays.map(String.init) ?? "—",
        "scores": section.terms.criteria.filter(\.isMarked).enumerated().map {
          (index, criterion) -> [String: Any] in
          [
            "field": "s-\(entry.bidder)-\(index)", "criterion": criterion.name,
            "max": String(format: "%.2f", Double(criterion.maxPoints) / 100),
            "value": mine?.points[entry.bidder]?[criterion.name].map {
              String(format: "%.2f", Double($0) / 100)
            } ?? "",
          ]
        },
        "adjustmentField": "a-\(entry.bidder)",
        "adjustmentValue": mine?.priceAdjustments[entry.bidder].map { String($0.fen) } ?? "",
      ]
    }
    values["candidates"] = view.evaluation?.candidates ?? []
    values["reported"] = !(view.evaluation?.candidates ?? []).isEmpty
    values["canReport"] =
      member && evaluation.stagesDone && (view.evaluation?.candidates ?? []).isEmpty
    values["rejected"] = view.evaluation?.rejected ?? []
    // What a member may flag (条例51) and whether it already asked for more time (条例48).
    values["grounds"] = Self.rejectionGrounds.filter { $0.0.stage == evaluation.stage }.map {
      ["ground": $0.0.rawValue, "words": visit.language == .zh ? $0.1 : $0.2]
    }
    values["priceFormula"] = section.priceFormulaWorking().map { working -> [String: Any] in
      let points = { (hundredths: Int) in String(format: "%.2f", Double(hundredths) / 100) }
      let percent = { (basis: Int) in String(format: "%+.2f%%", Double(basis) / 100) }
      return [
        "criterion": working.criterion, "max": points(working.maxPoints),
        "mean": PageFormat.money(fen: working.mean.fen),
        "discount": String(format: "%.2f%%", Double(working.formula.discount) / 100),
        "benchmark": PageFormat.money(fen: working.benchmark.fen),
        "above": points(working.formula.deductionAbove),
        "below": points(working.formula.deductionBelow),
        "rows": working.rows.map {
          [
            "bidder": $0.bidder, "price": PageFormat.money(fen: $0.price.fen),
            "deviation": percent($0.deviation), "score": points($0.score),
          ]
        },
      ]
    }
    values["flags"] = evaluation.rejectionFlags.sorted { $0.key < $1.key }.compactMap {
      bidder, flags -> [String: Any]? in
      guard let ground = flags[account.id] else { return nil }
      let words = Self.rejectionGrounds.first { $0.0 == ground }
      return ["bidder": bidder, "ground": (visit.language == .zh ? words?.1 : words?.2) ?? ""]
    }
    values["hasFlags"] = evaluation.rejectionFlags.values.contains { $0[account.id] != nil }
    values["askedForTime"] = evaluation.askingForTime.contains(account.id)
    values["asking"] = evaluation.askingForTime.count
    values["extended"] = evaluation.extended
    values["open"] = (view.evaluation?.candidates ?? []).isEmpty
    // The report's arithmetic and signatures exist once it is made; before, nothing is read.
    if evaluation.reportedAt != nil {
      try await addWorking(of: section, id: id, to: &values)
      let signatures = try PageCall.value(
        await api.getReportSignatures(.init(path: .init(sectionID: id)))
      ) { try $0.ok.body.json }
      values["signatures"] = "\(signatures.signed) / \(signatures.members)"
      values["dissents"] = signatures.dissents.map {
        ["text": $0.text, "at": PageFormat.time(Views.seconds($0.at))]
      }
      values["hasDissents"] = !signatures.dissents.isEmpty
      let signed = try await platform.store.read {
        try await ReportSignatureRepository.hasSigned(section: id, member: account.id, on: $0)
      }
      values["canSign"] =
        member && !signed && [.evaluation, .publicity].contains(section.phase)
      values["signed"] = member && signed
    }
    if member {
      values["signs"] = CollusionWords.rows(section.collusionFindings ?? [], visit.language)
      values["noSigns"] = section.collusionFindings?.isEmpty ?? true
      values["formats"] = CollusionWords.formats(visit.language)
    }
    return try render(
      "evaluation-room", visit, title: "评标室", english: "Evaluation room", values: values,
      status: status)
  }

  /// Check-in, the leader, the stages and the returns, as the room shows them: where the
  /// committee stands for everyone in the room, what the member may do next for a member.
  func addProceedings(
    of evaluation: EvaluationState, for account: String, member: Bool, _ language: PageLanguage,
    to values: inout [String: Any]
  ) {
    let zh = language == .zh
    let words = { (stage: EvaluationStage) in zh ? stage.chinese : Self.stageEnglish(stage) }
    let open = evaluation.reportedAt == nil
    values["vacancies"] = evaluation.vacancies > 0 ? evaluation.vacancies : false
    values["checkedInCount"] = evaluation.checkedIn.count
    values["checkedIn"] = evaluation.checkedIn[account] != nil
    values["leaderElected"] = evaluation.leader != nil
    values["leaderName"] =
      member ? (evaluation.leader ?? "—") : (evaluation.leader == nil ? "—" : "✓")
    values["isLeader"] = member && evaluation.leader == account
    values["concludedCount"] = evaluation.concluded.count
    values["concludedMine"] = evaluation.concluded.contains(account)
    values["stageName"] =
      evaluation.stage.map(words)
      ?? (evaluation.stagesDone ? (zh ? "评审完成" : "Review done") : (zh ? "签到" : "Check-in"))
    // The ribbon of steps: done, under way, to come.
    var steps: [[String: Any]] = [
      [
        "words": zh ? "签到、推举负责人" : "Check-in, leader",
        "state": evaluation.leader == nil ? "current" : "done",
      ]
    ]
    for stage in EvaluationStage.allCases {
      let state =
        evaluation.stage == stage
        ? "current"
        : (evaluation.stagesDone || (evaluation.stage.map { stage < $0 } ?? false))
          ? "done" : "todo"
      steps.append(["words": words(stage), "state": state])
    }
    steps.append([
      "words": zh ? "评标报告" : "Report",
      "state": evaluation.reportedAt != nil ? "done" : evaluation.stagesDone ? "current" : "todo",
    ])
    values["steps"] = steps.map {
      $0.merging(["current": $0["state"] as? String == "current"]) { a, _ in a }
    }
    let mine = evaluation.checkedIn[account] != nil && evaluation.leader != nil && open
    values["inReview"] =
      mine && !evaluation.concluded.contains(account)
      && [.qualification, .preliminary, .price].contains(evaluation.stage)
    values["inDetailed"] = mine && evaluation.stage == .detailed
    values["stageValue"] = evaluation.stage?.rawValue ?? ""
    values["canVote"] =
      member && open && evaluation.checkedIn[account] != nil && evaluation.leader == nil
    values["myVote"] = evaluation.leaderVotes[account] ?? false
    values["memberOptions"] = evaluation.members.map {
      ["id": $0.id, "selected": evaluation.leaderVotes[account] == $0.id]
    }
    let earlier = EvaluationStage.allCases.filter { stage in
      evaluation.stage.map { stage < $0 } ?? evaluation.stagesDone
    }
    values["canReturn"] = member && open && evaluation.leader == account && !earlier.isEmpty
    values["returnStages"] = earlier.map { ["value": $0.rawValue, "words": words($0)] }
    values["returns"] = evaluation.returns.map {
      [
        "from": $0.from.map(words) ?? (zh ? "评审完成后" : "after every stage"),
        "to": words($0.to), "reason": $0.reason, "at": PageFormat.time($0.at),
        "sheets": $0.sheets.count, "flags": $0.flags.values.reduce(0) { $0 + $1.count },
      ]
    }
    values["hasReturns"] = !evaluation.returns.isEmpty
  }

  static func stageEnglish(_ stage: EvaluationStage) -> String {
    switch stage {
    case .qualification: "Qualification"
    case .preliminary: "Preliminary review"
    case .detailed: "Detailed review"
    case .price: "Price"
    }
  }

  /// The room's steps of the proceedings: check-in, a vote for the leader, a stage concluded,
  /// the leader's return to an earlier stage; a refusal is shown in the room.
  func proceed(_ step: String, id: String, form: PageForm, _ visit: PageVisit) async throws
    -> Response
  {
    let path = Operations.checkInToCommittee.Input.Path(sectionID: id)
    do {
      switch step {
      case "check-in":
        _ = try PageCall.value(await api.checkInToCommittee(.init(path: path))) { try $0.ok }
      case "recusal":
        _ = try PageCall.value(await api.recuseFromCommittee(.init(path: .init(sectionID: id)))) {
          try $0.ok
        }
        // No longer on the committee, the expert leaves the room for its workspace.
        return visit.redirect(to: "/?done=recusal")
      case "leader-vote":
        let candidate = form.optional("candidate") ?? ""
        _ = try PageCall.value(
          await api.voteForLeader(
            .init(path: .init(sectionID: id), body: .json(.init(candidate: candidate))))
        ) { try $0.ok }
      case "stage-conclusion":
        guard let stage = form.optional("stage").flatMap(Components.Schemas.EvaluationStage.init)
        else { throw PageFieldRefusal(field: "stage-actions", problem: Self.badStage) }
        _ = try PageCall.value(
          await api.concludeStage(.init(path: .init(sectionID: id, stage: stage)))
        ) { try $0.ok }
      default:
        guard let stage = form.optional("stage").flatMap(Components.Schemas.EvaluationStage.init)
        else { throw PageFieldRefusal(field: "returnStage", problem: Self.badStage) }
        // A blank reason is the domain's to refuse (RULE_EVALUATION_STAGES), shown beside it.
        let reason = form.optional("reason") ?? ""
        _ = try PageCall.value(
          await api.returnToStage(
            .init(
              path: .init(sectionID: id),
              body: .json(.init(stage: stage, reason: reason))))
        ) { try $0.ok }
      }
    } catch let refused as PageFieldRefusal {
      return try await evaluationRoom(
        id, visit, errors: [(refused.field, refused.problem)], status: .unprocessableContent)
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      let field = step == "stage-return" ? "reason" : "stage-actions"
      return try await evaluationRoom(
        id, visit, errors: [(field, problem)], status: HTTPResponse.Status(code: problem.status))
    }
    return visit.redirect(to: "/sections/\(id)/evaluation?done=\(step)")
  }

  static let badStage = ProblemDetails(
    status: 422, code: "INVALID_INPUT", english: "choose a stage of the evaluation",
    chinese: "请选择评审阶段")

  /// The report's arithmetic, once it is made (a member checks it; no member's name is beside
  /// the marks): with the credit scores the report logged.
  func addWorking(of section: Section, id: String, to values: inout [String: Any]) async throws {
    let events = try await platform.store.read {
      try await SectionStore.loggedEvents(of: id, on: $0)
    }
    let credit =
      events.reversed().lazy.compactMap { logged -> [String: Int]? in
        if case .creditScored(let scores) = logged.event { scores } else { nil }
      }.first ?? [:]
    let points = { (hundredths: Int) in String(format: "%.2f", Double(hundredths) / 100) }
    switch section.reportWorking(creditScores: credit) {
    case .comprehensive(let rows):
      values["hasWorkingScores"] = true
      values["workingScores"] = rows.enumerated().map { rank, row -> [String: Any] in
        [
          "rank": rank + 1, "bidder": row.bidder, "total": points(row.total),
          "criteria": row.criteria.map {
            [
              "criterion": $0.criterion, "marks": $0.marks.map(points).joined(separator: "、"),
              "dropped": $0.dropped.isEmpty ? "—" : $0.dropped.map(points).joined(separator: "、"),
              "mean": points($0.mean),
            ]
          },
        ]
      }
    case .lowestEvaluatedPrice(let rows):
      values["hasWorkingPrices"] = true
      values["workingPrices"] = rows.enumerated().map { rank, row -> [String: Any] in
        [
          "rank": rank + 1, "bidder": row.bidder, "price": PageFormat.money(fen: row.price.fen),
          "adjustments": row.adjustments.isEmpty
            ? "—" : row.adjustments.map { PageFormat.money(fen: $0.fen) }.joined(separator: "、"),
          "mean": PageFormat.money(fen: row.meanAdjustment.fen),
          "evaluated": PageFormat.money(fen: row.evaluatedPrice.fen),
        ]
      }
    case nil:
      break
    }
  }

  /// 条例51's grounds for rejecting a bid, as the room names them.
  static let rejectionGrounds: [(RejectionGround, String, String)] = [
    (.notSigned, "投标文件未经投标单位盖章和单位负责人签字（条例51①）", "Not sealed and signed (条例51 1)"),
    (.noJointBidAgreement, "投标联合体没有提交共同投标协议（条例51②）", "No joint bid agreement (条例51 2)"),
    (.notQualified, "投标人不符合资格条件（条例51③）", "Bidder not qualified (条例51 3)"),
    (.multipleBids, "同一投标人提交两个以上不同的投标文件或者投标报价（条例51④）", "Several bids or prices (条例51 4)"),
    (
      .priceBelowCostOrAboveCeiling, "投标报价低于成本或者高于最高投标限价（条例51⑤）",
      "Price below cost or above the ceiling (条例51 5)"
    ),
    (.notResponsive, "没有对招标文件的实质性要求和条件作出响应（条例51⑥）", "Not responsive (条例51 6)"),
    (.collusionFraudOrBribery, "有串通投标、弄虚作假、行贿等违法行为（条例51⑦）", "Collusion, fraud or bribery (条例51 7)"),
  ]

  /// A member flags a bid for rejection on a ground of 条例51.
  func flagRejection(id: String, form: PageForm, _ visit: PageVisit) async throws -> Response {
    do {
      guard
        let ground = form.optional("ground").flatMap(
          Operations.flagRejection.Input.Body.jsonPayload.groundPayload.init(rawValue:))
      else {
        throw PageFieldRefusal(
          field: "ground",
          problem: ProblemDetails(
            status: 422, code: "INVALID_INPUT", english: "choose a ground of 条例51",
            chinese: "请选择条例第五十一条规定的否决情形"))
      }
      _ = try PageCall.value(
        await api.flagRejection(
          .init(
            path: .init(sectionID: id, bidderID: form.optional("bidder") ?? ""),
            body: .json(.init(ground: ground))))
      ) { try $0.ok }
    } catch let refused as PageFieldRefusal {
      return try await evaluationRoom(
        id, visit, errors: [(refused.field, refused.problem)], status: .unprocessableContent)
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      return try await evaluationRoom(
        id, visit, errors: [("ground", problem)], status: HTTPResponse.Status(code: problem.status))
    }
    return visit.redirect(to: "/sections/\(id)/evaluation?done=rejection")
  }

  /// The member's sheet from the room's form: each mark in points with up to two decimals,
  /// within the criterion's most (the domain checks the rest).
  func submitScores(id: String, form: PageForm, _ visit: PageVisit) async throws -> Response {
    let stored = try await platform.store.read { try await SectionRepository.load(id, on: $0) }
    guard let section = stored?.section else { throw DomainError.notFound(id, chinese: "该标段") }
    let criteria = section.terms.criteria.filter(\.isMarked)
    var points: [String: [String: Int]] = [:]
    var adjustments: [String: Int64] = [:]
    // A draft keeps what is filled in so far; a sheet handed in needs every mark.
    let draft = form.optional("draft") != nil
    do {
      for bidder in section.openingResults.keys.sorted() {
        if section.terms.evaluationMethod == .comprehensiveScoring {
          for (index, criterion) in criteria.enumerated() {
            let field = "s-\(bidder)-\(index)"
            if draft, form.optional(field) == nil { continue }
            guard let value = form.optional(field).flatMap({ Self.fen($0) }).map(Int.init),
              value <= criterion.maxPoints
            else {
              throw PageFieldRefusal(
                field: field,
                problem: ProblemDetails(
                  status: 422, code: "INVALID_INPUT",
                  english: "mark \(criterion.name) of \(bidder) from 0 to its most points",
                  chinese: "请为\(bidder)的「\(criterion.name)」打分（0至该项最高分）"))
            }
            points[bidder, default: [:]][criterion.name] = value
          }
        } else if let text = form.optional("a-\(bidder)") {
          guard let value = Int64(text), abs(value) <= Money.maximum.fen else {
            throw PageFieldRefusal(field: "a-\(bidder)", problem: Self.badAmount)
          }
          adjustments[bidder] = value
        }
      }
      let sheet = Components.Schemas.ScoreSheetInput(
        points: .init(additionalProperties: points.mapValues { .init(additionalProperties: $0) }),
        priceAdjustmentsFen: .init(additionalProperties: adjustments))
      if draft {
        _ = try PageCall.value(
          await api.saveScoreDraft(.init(path: .init(sectionID: id), body: .json(sheet)))
        ) { try $0.ok }
        return visit.redirect(to: "/sections/\(id)/evaluation?done=draft")
      }
      _ = try PageCall.value(
        await api.submitScores(.init(path: .init(sectionID: id), body: .json(sheet)))
      ) { try $0.ok }
    } catch let refused as PageFieldRefusal {
      return try await evaluationRoom(
        id, visit, errors: [(refused.field, refused.problem)],
        status: .unprocessableContent)
    } catch let problem as ProblemDetails where (400..<500).contains(problem.status) {
      return try await evaluationRoom(
        id, visit, errors: [("scores", problem)],
        status: HTTPResponse.Status(code: problem.status))
    }
    return visit.redirect(to: "/sections/\(id)/evaluation?done=scores")
  }
}
