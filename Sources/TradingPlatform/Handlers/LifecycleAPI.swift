import Crypto
import Foundation
import OpenAPIRuntime
import SQLKit
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// From the opening record to the archive: confirmations and objections at the opening, the
/// committee draw, evaluation, publicity, award, contract, report, termination and archive.
extension TradingAPI {
  func getOpeningRecord(_ input: Operations.getOpeningRecord.Input) async throws
    -> Operations.getOpeningRecord.Output
  {
    await answering {
      let section = try await load(input.path.sectionID)
      guard !section.openingResults.isEmpty else {
        throw DomainError.wrongPhase(action: "show the opening record", phase: section.phase)
      }
      return .ok(.init(body: .json(Views.openingRecord(section))))
    }
  }

  /// The objections raised at the opening and their answers: as public as the hall, without who
  /// raised them.
  func listOpeningObjections(_ input: Operations.listOpeningObjections.Input) async throws
    -> Operations.listOpeningObjections.Output
  {
    await answering {
      let sectionID = input.path.sectionID
      let section = try await load(sectionID)
      guard section.schedule != nil else {
        throw DomainError.wrongPhase(action: "show the opening's objections", phase: section.phase)
      }
      let records = try await platform.store.read {
        try await ObjectionRepository.all(of: sectionID, atOpening: true, on: $0)
      }
      return .ok(
        .init(
          body: .json(
            records.map {
              .init(
                id: $0.id, raisedAt: Views.date($0.raisedAt), statement: $0.statement,
                answeredAt: $0.answeredAt.map(Views.date), answer: $0.answer)
            })))
    }
  }

  /// An opened bid's documents, for the committee and the section's manager only.
  func listOpenedDocuments(_ input: Operations.listOpenedDocuments.Input) async throws
    -> Operations.listOpenedDocuments.Output
  {
    await answering {
      let (sectionID, bidder) = (input.path.sectionID, input.path.bidderID)
      try await authorizeOpenedBids(of: sectionID)
      let documents = try await platform.openedDocuments(section: sectionID, bidder: bidder)
      return .ok(
        .init(
          body: .json(
            documents.map {
              .init(index: $0.index, name: $0.name, size: $0.size, sha256: $0.sha256)
            })))
    }
  }

  /// One document of an opened bid, streamed from a temporary file removed once sent.
  func getOpenedDocument(_ input: Operations.getOpenedDocument.Input) async throws
    -> Operations.getOpenedDocument.Output
  {
    await answering {
      let (sectionID, bidder) = (input.path.sectionID, input.path.bidderID)
      try await authorizeOpenedBids(of: sectionID)
      let (path, document) = try await platform.openedDocument(
        section: sectionID, bidder: bidder, index: input.path.index)
      return .ok(
        .init(
          headers: .init(Zhaocai_hyphen_Document_hyphen_Name: document.name),
          body: .binary(try TemporaryFileBody.body(path, size: document.size))))
    }
  }

  /// The evaluation committee's members and the section's tenderer or agency read opened bids;
  /// nobody else (another bidder, a key holder, the public).
  private func authorizeOpenedBids(of sectionID: String) async throws {
    _ = try await committeeOrManager(
      sectionID, "an opened bid's documents are for the evaluation committee and the tenderer")
  }

  /// The section, when the caller sits on its committee or manages it; else refused with `why`.
  private func committeeOrManager(_ sectionID: String, _ why: String) async throws -> Section {
    let section = try await load(sectionID)
    let caller = Caller.current
    let account = try caller.require()
    let member = section.evaluation?.members.contains { $0.id == account.id } ?? false
    guard member || caller.manages(section) else { throw Problem.forbidden(why) }
    return section
  }

  func getCollusionSigns(_ input: Operations.getCollusionSigns.Input) async throws
    -> Operations.getCollusionSigns.Output
  {
    await answering {
      let section = try await load(input.path.sectionID)
      // The committee weighs the signs (条例40, 51); the administrator answers for the platform.
      if Caller.current.account?.role != .administrator {
        _ = try Caller.current.authorize(.committeeMember, on: section)
      }
      guard let findings = section.collusionFindings else {
        throw DomainError.wrongPhase(
          action: "show the signs found at the opening", phase: section.phase)
      }
      return .ok(.init(body: .json(findings.map(Views.collusionFinding))))
    }
  }

  func confirmOpening(_ input: Operations.confirmOpening.Input) async throws
    -> Operations.confirmOpening.Output
  {
    await answering {
      let bidder = input.path.bidderID
      let section = try await transition(input.path.sectionID, as: .bidder(bidder)) {
        try $0.confirmOpening(bidder: bidder, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func objectToOpening(_ input: Operations.objectToOpening.Input) async throws
    -> Operations.objectToOpening.Output
  {
    await answering {
      let id = input.path.objectionID
      let sectionID = input.path.sectionID
      let bidder = try Caller.current.require(.bidder).creditCode
      let statement = try Self.statement(
        input.body.map { if case .json(let b) = $0 { b.statement } else { nil } } ?? nil)
      let calendar = platform.calendar
      let section = try await transition(
        sectionID, as: .anyBidder,
        {
          try $0.objectToOpening(id: id, bidder: bidder, at: $1, calendar: calendar)
            .stating(statement, objection: id, answer: false, at: $1)
        },
        also: {
          try await ObjectionRepository.raised(
            section: sectionID, id: id, by: bidder, atOpening: true, statement: statement,
            at: $1, on: $0)
        })
      return .created(.init(body: .json(section)))
    }
  }

  func closeOpening(_ input: Operations.closeOpening.Input) async throws
    -> Operations.closeOpening.Output
  {
    await answering {
      let section = try await transition(input.path.sectionID, as: .managerOrPlatform) {
        try $0.closeOpening(at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  /// The accounts of the tenderer's representatives named for the committee, each checked to be
  /// the tenderer's or its agency's.
  static func representatives(
    _ ids: [String], of section: Section, on database: any SQLDatabase
  ) async throws -> [Account] {
    var accounts: [Account] = []
    for id in ids {
      guard let found = try await AccountRepository.find(id, on: database)?.account else {
        throw DomainError.notFound("account \(id)", chinese: "账户\(id)")
      }
      accounts.append(found)
    }
    try checkRepresentatives(accounts, of: section)
    return accounts
  }

  static func checkRepresentatives(_ accounts: [Account], of section: Section) throws {
    for representative in accounts
    where !(representative.role == .tenderer || representative.role == .agency)
      || ![section.terms.tenderer, section.terms.agency].contains(representative.creditCode)
    {
      throw DomainError.invalid(
        "\(representative.id) is not a representative of the tenderer or its agency",
        chinese: "\(representative.id)不是招标人或其招标代理机构的代表")
    }
  }

  /// Draws the experts from the pool (recusing anyone tied to a bidder) and seats them with the
  /// tenderer's representatives. The seed comes from the platform's log root at the draw, so
  /// the draw can be recomputed; each drawn expert is told privately.
  func drawCommittee(_ input: Operations.drawCommittee.Input) async throws
    -> Operations.drawCommittee.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let sectionID = input.path.sectionID
      let caller = Caller.current
      let now = platform.clock.now()
      guard (1...99).contains(body.experts), body.representatives.count <= 10 else {
        throw DomainError.rule(
          RuleViolation(
            Rules.committeeComposition,
            "\(body.experts) experts and \(body.representatives.count) representatives asked for",
            chinese:
              "申请专家\(body.experts)名、招标人代表\(body.representatives.count)名；专家应为1至99名，代表不超过10名"
          ))
      }
      // On a platform linked to the hub, the committee comes from the hub's shared pool, drawn
      // verifiably there; otherwise from the platform's own pool, seeded by its log root.
      var hubDraw: VerifiableDraw?
      if let link = platform.exchange {
        let section = try await platform.store.transaction {
          try await SectionRepository.load(sectionID, on: $0)
        }
        guard let section else {
          throw DomainError.notFound("section \(sectionID)", chinese: "标段\(sectionID)")
        }
        try caller.authorize(.manager, on: section.section)
        // Everything that would refuse the committee is checked before the hub is asked: a
        // draw request names the bidders so far, and nothing may leave for a refused request.
        let representatives = try await platform.store.transaction { database in
          try await Self.representatives(body.representatives, of: section.section, on: database)
        }
        let seats = (0..<body.experts).map { CommitteeMember(id: "\u{0}seat\($0)", isExpert: true) }
        try section.section.checkCommitteeCanForm(seats + representatives.map(\.committeeMember))
        hubDraw = try await link.drawExperts(
          .init(
            section: sectionID, count: body.experts, speciality: body.speciality,
            bidders: section.section.bids.keys.sorted()), at: now)
      }
      let fromHub = hubDraw
      let view = try await platform.store.transaction { database in
        let (_, root) = try await PersistentLog.root(on: database)
        let pool = try await Self.pool(drawn: fromHub, at: now, on: database)
        var accounts: [Account] = []
        for id in body.representatives {
          guard let found = try await AccountRepository.find(id, on: database)?.account else {
            throw DomainError.notFound("account \(id)", chinese: "账户\(id)")
          }
          accounts.append(found)
        }
        let representatives = accounts
        var drawnIDs: [String] = []
        let applied = try await SectionStore.apply(
          sectionID, at: now, by: caller.asOperator, on: database
        ) { section in
          try caller.authorize(.manager, on: section)
          try Self.checkRepresentatives(representatives, of: section)
          let drawn: [CommitteeMember]
          if let fromHub {
            // The hub's order is the draw's; the pool here is already the drawn experts.
            drawn = fromHub.drawn.compactMap { id in
              pool.first { $0.id == id }?.committeeMember
            }
          } else {
            var generator = SeededGenerator(seed: Self.seed(section: sectionID, root: root))
            drawn = try ExpertDraw.draw(
              body.experts, speciality: body.speciality, from: pool,
              bidders: Set(section.bids.keys), using: &generator
            ).drawn
          }
          drawnIDs = drawn.map(\.id)
          return try section.formCommittee(
            drawn + representatives.map(\.committeeMember), at: now)
        }
        if let fromHub {
          try await CommitteeDrawRepository.save(fromHub, section: sectionID, at: now, on: database)
        }
        for expert in drawnIDs {
          try await NotificationRepository.send(
            to: expert, section: sectionID,
            message: "您已被抽取为\(applied.transition.section.terms.name)评标委员会成员，请对抽取结果保密",
            at: now, on: database)
        }
        return Views.section(applied.transition.section, for: caller)
      }
      return .created(.init(body: .json(view)))
    }
  }

  /// The experts to draw from: the platform's own pool, or those the hub drew. A drawn expert
  /// new to this platform gets an account (without a password until an administrator gives
  /// one), so the committee can be told and seated.
  static func pool(drawn fromHub: VerifiableDraw?, at now: Int64, on database: any SQLDatabase)
    async throws -> [Account]
  {
    guard let fromHub else { return try await AccountRepository.all(.expert, on: database) }
    let pool = fromHub.pool.filter { fromHub.drawn.contains($0.id) }
    for expert in pool where try await AccountRepository.find(expert.id, on: database) == nil {
      try await AccountRepository.create(
        expert, passwordHash: "", at: now, by: .platform, on: database)
    }
    return pool
  }

  /// A drawn expert declares a tie to a bidder and leaves the committee before checking in
  /// (条例46); its seat waits for a replacement.
  func recuseFromCommittee(_ input: Operations.recuseFromCommittee.Input) async throws
    -> Operations.recuseFromCommittee.Output
  {
    await answering {
      let member = try Caller.current.require().id
      let section = try await transition(input.path.sectionID, as: .committeeMember) {
        try $0.recuse(member: member, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  /// Draws experts to the seats of members who recused: at the hub when linked, the committee
  /// and those who recused left out of the draw (the record kept beside the first draw's), else
  /// from the platform's own pool the same way.
  func replaceRecusedMembers(_ input: Operations.replaceRecusedMembers.Input) async throws
    -> Operations.replaceRecusedMembers.Output
  {
    await answering {
      let speciality = try Self.statement(
        input.body.map { if case .json(let b) = $0 { b.speciality } else { nil } } ?? nil,
        field: "speciality", chineseField: "专业")
      let sectionID = input.path.sectionID
      let caller = Caller.current
      let now = platform.clock.now()
      let stored = try await platform.store.read {
        try await SectionRepository.load(sectionID, on: $0)
      }
      guard let section = stored?.section else {
        throw DomainError.notFound("section \(sectionID)", chinese: "标段\(sectionID)")
      }
      try caller.authorize(.manager, on: section)
      guard section.phase == .evaluation, let state = section.evaluation, state.vacancies > 0 else {
        throw DomainError.wrongPhase(action: "replace recused members", phase: section.phase)
      }
      let excluded = (state.members.map(\.id) + state.recusedMembers).sorted()
      var hubDraw: VerifiableDraw?
      if let link = platform.exchange {
        hubDraw = try await link.drawExperts(
          .init(
            section: sectionID, count: state.vacancies, speciality: speciality,
            bidders: section.bids.keys.sorted(), excluded: excluded), at: now)
      }
      let fromHub = hubDraw
      let view = try await platform.store.transaction { database in
        let (_, root) = try await PersistentLog.root(on: database)
        let pool = try await Self.pool(drawn: fromHub, at: now, on: database)
        var drawnIDs: [String] = []
        let applied = try await SectionStore.apply(
          sectionID, at: now, by: caller.asOperator, on: database
        ) { section in
          try caller.authorize(.manager, on: section)
          let drawn: [CommitteeMember]
          if let fromHub {
            drawn = fromHub.drawn.compactMap { id in pool.first { $0.id == id }?.committeeMember }
          } else {
            var generator = SeededGenerator(seed: Self.seed(section: sectionID, root: root))
            drawn = try ExpertDraw.draw(
              section.evaluation?.vacancies ?? 0, speciality: speciality, from: pool,
              bidders: Set(section.bids.keys), excluding: Set(excluded), using: &generator
            ).drawn
          }
          drawnIDs = drawn.map(\.id)
          return try section.replenishCommittee(drawn, at: now)
        }
        if let fromHub {
          try await CommitteeDrawRepository.saveReplacement(
            fromHub, section: sectionID, at: now, on: database)
        }
        for expert in drawnIDs {
          try await NotificationRepository.send(
            to: expert, section: sectionID,
            message: "您已被补充抽取为\(applied.transition.section.terms.name)评标委员会成员，请对抽取结果保密",
            at: now, on: database)
        }
        return Views.section(applied.transition.section, for: caller)
      }
      return .created(.init(body: .json(view)))
    }
  }

  /// The draw's seed: SHA-256 of the section id and the log root, first 8 bytes big-endian.
  static func seed(section: String, root: TreeHash) -> UInt64 {
    let digest = Array(SHA256.hash(data: Array(section.utf8) + root.array))
    return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
  }

  func checkInToCommittee(_ input: Operations.checkInToCommittee.Input) async throws
    -> Operations.checkInToCommittee.Output
  {
    await answering {
      let member = try Caller.current.require().id
      let section = try await transition(input.path.sectionID, as: .committeeMember) {
        try $0.checkIn(member: member, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func voteForLeader(_ input: Operations.voteForLeader.Input) async throws
    -> Operations.voteForLeader.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let member = try Caller.current.require().id
      let section = try await transition(input.path.sectionID, as: .committeeMember) {
        try $0.voteForLeader(member: member, candidate: body.candidate, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func concludeStage(_ input: Operations.concludeStage.Input) async throws
    -> Operations.concludeStage.Output
  {
    await answering {
      guard let stage = EvaluationStage(rawValue: input.path.stage.rawValue) else {
        throw Problem.badBody
      }
      let member = try Caller.current.require().id
      let section = try await transition(input.path.sectionID, as: .committeeMember) {
        try $0.concludeStage(member: member, stage, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  /// The leader takes the committee back to an earlier stage; the reason is bounded as any
  /// typed text is.
  func returnToStage(_ input: Operations.returnToStage.Input) async throws
    -> Operations.returnToStage.Output
  {
    await answering {
      guard case .json(let body) = input.body,
        let stage = EvaluationStage(rawValue: body.stage.rawValue)
      else { throw Problem.badBody }
      let reason = try Self.statement(body.reason, field: "reason", chineseField: "退回理由") ?? ""
      let member = try Caller.current.require().id
      let section = try await transition(input.path.sectionID, as: .committeeMember) {
        try $0.returnToStage(member: member, stage, reason: reason, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func askForMoreTime(_ input: Operations.askForMoreTime.Input) async throws
    -> Operations.askForMoreTime.Output
  {
    await answering {
      let member = try Caller.current.require().id
      let section = try await transition(input.path.sectionID, as: .committeeMember) {
        try $0.askForMoreTime(member: member, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func flagRejection(_ input: Operations.flagRejection.Input) async throws
    -> Operations.flagRejection.Output
  {
    await answering {
      guard case .json(let body) = input.body,
        let ground = RejectionGround(rawValue: body.ground.rawValue)
      else { throw Problem.badBody }
      let member = try Caller.current.require().id
      let bidder = input.path.bidderID
      let section = try await transition(input.path.sectionID, as: .committeeMember) { s, _ in
        try s.flagRejection(member: member, bidder: bidder, ground: ground)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func submitScores(_ input: Operations.submitScores.Input) async throws
    -> Operations.submitScores.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let member = try Caller.current.require().id
      let sheet = Self.sheet(body)
      let sectionID = input.path.sectionID
      let section = try await transition(
        sectionID, as: .committeeMember, { try $0.submitScores(member: member, sheet, at: $1) },
        also: { database, _ in
          try await ScoreDraftRepository.delete(section: sectionID, member: member, on: database)
        })
      return .ok(.init(body: .json(section)))
    }
  }

  /// A member signs the report, with its dissent if it disagrees (条例53); once.
  func signReport(_ input: Operations.signReport.Input) async throws
    -> Operations.signReport.Output
  {
    await answering {
      let member = try Caller.current.require().id
      let sectionID = input.path.sectionID
      let dissent = try Self.statement(
        input.body.map { if case .json(let b) = $0 { b.dissent } else { nil } } ?? nil,
        field: "dissent", chineseField: "不同意见")
      // The signature is logged with the section's events; the table answers "once each".
      _ = try await transition(
        sectionID, as: .committeeMember,
        { try $0.signReport(member: member, dissent: dissent, at: $1) },
        also: { database, now in
          guard
            try await ReportSignatureRepository.sign(
              section: sectionID, member: member, dissent: dissent, at: now, on: database)
          else {
            let phase = try await SectionRepository.load(sectionID, on: database)?.section.phase
            throw DomainError.wrongPhase(
              action: "sign the report a second time", phase: phase ?? .evaluation)
          }
        })
      let view = try await platform.store.read { database in
        guard let stored = try await SectionRepository.load(sectionID, on: database) else {
          throw DomainError.notFound("section \(sectionID)", chinese: "标段\(sectionID)")
        }
        return try await Self.signatures(of: stored.section, on: database)
      }
      return .ok(.init(body: .json(view)))
    }
  }

  /// The report's signatures: for the committee and the section's manager.
  func getReportSignatures(_ input: Operations.getReportSignatures.Input) async throws
    -> Operations.getReportSignatures.Output
  {
    await answering {
      let section = try await committeeOrManager(
        input.path.sectionID, "the report's signatures are for the committee and the tenderer")
      let view = try await platform.store.read { try await Self.signatures(of: section, on: $0) }
      return .ok(.init(body: .json(view)))
    }
  }

  private static func signatures(of section: Section, on database: any SQLDatabase) async throws
    -> Components.Schemas.ReportSignatures
  {
    let (signed, dissents) = try await ReportSignatureRepository.signatures(
      of: section.terms.sectionID, on: database)
    return .init(
      signed: signed, members: section.evaluation?.members.count ?? 0,
      dissents: dissents.map { .init(text: $0.text, at: Views.date($0.at)) })
  }

  /// A member keeps its marks so far; checked as a sheet is, recorded nowhere but here.
  func saveScoreDraft(_ input: Operations.saveScoreDraft.Input) async throws
    -> Operations.saveScoreDraft.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let member = try Caller.current.require().id
      let sectionID = input.path.sectionID
      let sheet = Self.sheet(body)
      let now = platform.clock.now()
      let caller = Caller.current
      try await platform.store.transaction { database in
        guard let stored = try await SectionRepository.load(sectionID, on: database) else {
          throw DomainError.notFound("section \(sectionID)", chinese: "标段\(sectionID)")
        }
        try caller.authorize(.committeeMember, on: stored.section)
        try stored.section.checkScoreDraft(member: member, sheet)
        try await ScoreDraftRepository.save(
          sheet, section: sectionID, member: member, at: now, on: database)
      }
      return .ok(.init(body: .json(.init(sheet: body, savedAt: Views.date(now)))))
    }
  }

  /// The caller's own draft; 404 when it keeps none.
  func getScoreDraft(_ input: Operations.getScoreDraft.Input) async throws
    -> Operations.getScoreDraft.Output
  {
    await answering {
      let member = try Caller.current.require().id
      let sectionID = input.path.sectionID
      guard
        let (sheet, savedAt) = try await platform.store.read({
          try await ScoreDraftRepository.draft(section: sectionID, member: member, on: $0)
        })
      else {
        throw DomainError.notFound("a draft of your score sheet", chinese: "您的评分草稿")
      }
      return .ok(.init(body: .json(.init(sheet: Self.input(sheet), savedAt: Views.date(savedAt)))))
    }
  }

  func reportEvaluation(_ input: Operations.reportEvaluation.Input) async throws
    -> Operations.reportEvaluation.Output
  {
    await answering {
      var count = 3
      if case .json(let body) = input.body, let asked = body.candidates { count = asked }
      let candidates = count
      // Credit scores come from the violation records the hub published, as last copied.
      let now = platform.clock.now()
      let records = try await platform.store.transaction {
        try await RegistryCopyRepository.violations(on: $0)
      }
      let scores = Dictionary(grouping: records, by: \.party).mapValues {
        CreditScore.of($0[0].party, records: $0, at: now)
      }
      let section = try await transition(input.path.sectionID, as: .committeeMember) {
        try $0.reportEvaluation(candidates: candidates, creditScores: scores, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func startPublicity(_ input: Operations.startPublicity.Input) async throws
    -> Operations.startPublicity.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      // Publicity starts when it is published; a start the request names is not used (条例54).
      let end = Views.seconds(body.end)
      let section = try await transition(input.path.sectionID, as: .manager) {
        try $0.startPublicity(end: end, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func objectToCandidates(_ input: Operations.objectToCandidates.Input) async throws
    -> Operations.objectToCandidates.Output
  {
    await answering {
      let id = input.path.objectionID
      let calendar = platform.calendar
      let section = try await transition(input.path.sectionID, as: .anyBidder) {
        try $0.objectToCandidates(id: id, at: $1, calendar: calendar)
      }
      return .created(.init(body: .json(section)))
    }
  }

  /// 条例55: the candidate declares it gives up or cannot perform; the tenderer (or agency)
  /// records a failure to provide the performance bond. Either is a fact in the record.
  func standDown(_ input: Operations.standDown.Input) async throws -> Operations.standDown.Output {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      guard let ground = ExcuseGround(rawValue: body.ground.rawValue) else {
        throw DomainError.invalid(
          "no ground \(body.ground.rawValue)", chinese: "无法识别的中标候选人退出事由：\(body.ground.rawValue)")
      }
      let bidder = input.path.bidderID
      let remit: Remit = ground.isDeclaredByCandidate ? .bidder(bidder) : .manager
      let section = try await transition(input.path.sectionID, as: remit) {
        try $0.excuseCandidate(bidder, ground: ground, at: $1)
      }
      return .created(.init(body: .json(section)))
    }
  }

  func awardSection(_ input: Operations.awardSection.Input) async throws
    -> Operations.awardSection.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let calendar = platform.calendar
      // A higher candidate's standing down is a recorded fact (条例55), not the tenderer's word.
      if let excused = body.excusedHigherRanks, !excused.isEmpty {
        throw DomainError.invalid(
          "a higher-ranked candidate stands down by its own declaration or the recorded failure of its bond (PUT …/candidates/{bidder}/standing-down), not by a field of the award",
          chinese:
            "排名在前的中标候选人退出，应由其本人声明或记录其未提交履约保证金（PUT …/candidates/{bidder}/standing-down），不能通过确定中标人请求中的字段载明"
        )
      }
      let section = try await transition(input.path.sectionID, as: .manager) {
        try $0.award(to: body.bidder, at: $1, calendar: calendar)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func signContract(_ input: Operations.signContract.Input) async throws
    -> Operations.signContract.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let calendar = platform.calendar
      let section = try await transition(input.path.sectionID, as: .manager) {
        try $0.signContract(
          at: $1, price: Money(fen: body.priceFen),
          performanceBond: Money(fen: body.performanceBondFen), calendar: calendar)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func fileReport(_ input: Operations.fileReport.Input) async throws
    -> Operations.fileReport.Output
  {
    await answering {
      let section = try await transition(input.path.sectionID, as: .manager) {
        try $0.fileReport(at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func terminateSection(_ input: Operations.terminateSection.Input) async throws
    -> Operations.terminateSection.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !reason.isEmpty else {
        throw DomainError.invalid("a termination states its reason", chinese: "终止招标应当说明理由")
      }
      let section = try await transition(input.path.sectionID, as: .manager) {
        try $0.terminate(at: $1, reason: reason)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  func archiveSection(_ input: Operations.archiveSection.Input) async throws
    -> Operations.archiveSection.Output
  {
    await answering {
      let section = try await transition(input.path.sectionID, as: .manager) {
        try $0.archive(at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  /// The archive file: every logged event of the section with its proof against a fresh
  /// checkpoint, and the documents and envelopes those events name.
  func getArchive(_ input: Operations.getArchive.Input) async throws
    -> Operations.getArchive.Output
  {
    await answering {
      let sectionID = input.path.sectionID
      let section = try await load(sectionID)
      try Caller.current.authorize(.managerOrPlatform, on: section)
      // Before the end, the log of the evaluation would tell who sits on the committee (法37).
      guard section.phase.isFinal else {
        throw DomainError.wrongPhase(action: "make the archive", phase: section.phase)
      }
      let signer = platform.logSigner
      let now = platform.clock.now()
      let (checkpoint, entries) = try await platform.store.transaction { database in
        let size = try await PersistentLog.size(on: database)
        let note = try await Receipts.checkpoint(
          size: size, signer: signer, at: now, on: database)
        var entries: [SectionArchive.Entry] = []
        for index in try await SectionStore.logIndices(of: sectionID, on: database) {
          guard let entry = try await PersistentLog.entry(index, on: database) else { continue }
          let proof = try await PersistentLog.inclusionProof(index: index, size: size, on: database)
          entries.append(.init(index: index, entry: entry, proof: proof))
        }
        return (note, entries)
      }
      let versions = try await platform.store.transaction {
        try await DocumentRepository.versions(section: sectionID, on: $0)
      }
      var files: [SectionArchive.File] = []
      for version in versions {
        let hex = String(version.hash.split(separator: ":").last ?? "")
        files.append(
          .init(
            name: "documents/v\(version.version)/\(version.name)", hash: version.hash,
            content: try Data(
              contentsOf: URL(fileURLWithPath: try await platform.blobs.path(of: hex)))))
      }
      for bid in section.bids.values.sorted(by: { $0.bidder < $1.bidder }) {
        files.append(
          .init(
            name: "envelopes/\(bid.bidder).zce", hash: bid.envelopeHash,
            content: try Data(contentsOf: URL(fileURLWithPath: try await blobPath(bid)))))
      }
      let archive = SectionArchive(
        section: sectionID, checkpoint: checkpoint, entries: entries, files: files)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      return .ok(.init(body: .binary(HTTPBody(Array(try encoder.encode(archive))))))
    }
  }
}

extension TradingAPI {
  /// A sheet as the API states it, as the domain reads it.
  static func sheet(_ body: Components.Schemas.ScoreSheetInput) -> ScoreSheet {
    ScoreSheet(
      points: body.points?.additionalProperties.mapValues(\.additionalProperties) ?? [:],
      priceAdjustments: body.priceAdjustmentsFen?.additionalProperties.mapValues {
        Money(fen: $0)
      } ?? [:])
  }

  /// A sheet as the API states it.
  static func input(_ sheet: ScoreSheet) -> Components.Schemas.ScoreSheetInput {
    .init(
      points: .init(
        additionalProperties: sheet.points.mapValues { .init(additionalProperties: $0) }),
      priceAdjustmentsFen: .init(additionalProperties: sheet.priceAdjustments.mapValues(\.fen)))
  }
}

extension Operations.getOpeningRecord.Output: ProblemAnswerable {}
extension Operations.signReport.Output: ProblemAnswerable {}
extension Operations.getReportSignatures.Output: ProblemAnswerable {}
extension Operations.saveScoreDraft.Output: ProblemAnswerable {}
extension Operations.getScoreDraft.Output: ProblemAnswerable {}
extension Operations.listOpenedDocuments.Output: ProblemAnswerable {}
extension Operations.getOpenedDocument.Output: ProblemAnswerable {}
extension Operations.listOpeningObjections.Output: ProblemAnswerable {}
extension Operations.getCollusionSigns.Output: ProblemAnswerable {}
extension Operations.confirmOpening.Output: ProblemAnswerable {}
extension Operations.objectToOpening.Output: ProblemAnswerable {}
extension Operations.closeOpening.Output: ProblemAnswerable {}
extension Operations.drawCommittee.Output: ProblemAnswerable {}
extension Operations.askForMoreTime.Output: ProblemAnswerable {}
extension Operations.flagRejection.Output: ProblemAnswerable {}
extension Operations.submitScores.Output: ProblemAnswerable {}
extension Operations.checkInToCommittee.Output: ProblemAnswerable {}
extension Operations.recuseFromCommittee.Output: ProblemAnswerable {}
extension Operations.replaceRecusedMembers.Output: ProblemAnswerable {}
extension Operations.voteForLeader.Output: ProblemAnswerable {}
extension Operations.concludeStage.Output: ProblemAnswerable {}
extension Operations.returnToStage.Output: ProblemAnswerable {}
extension Operations.reportEvaluation.Output: ProblemAnswerable {}
extension Operations.startPublicity.Output: ProblemAnswerable {}
extension Operations.standDown.Output: ProblemAnswerable {}
extension Operations.objectToCandidates.Output: ProblemAnswerable {}
extension Operations.awardSection.Output: ProblemAnswerable {}
extension Operations.signContract.Output: ProblemAnswerable {}
extension Operations.fileReport.Output: ProblemAnswerable {}
extension Operations.terminateSection.Output: ProblemAnswerable {}
extension Operations.archiveSection.Output: ProblemAnswerable {}
extension Operations.getArchive.Output: ProblemAnswerable {}
