import Foundation
import OpenAPIRuntime
import SQLKit
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// The handlers of openapi/trading.yaml: each loads, calls the pure transition, saves.
struct TradingAPI: APIProtocol {
  let platform: TradingPlatform

  /// A tenderer creates its own section; an agency creates one for the tenderer it names.
  func createSection(_ input: Operations.createSection.Input) async throws
    -> Operations.createSection.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let caller = Caller.current
      let account = try caller.require(.tenderer, .agency)
      var terms = Views.terms(body)
      if account.role == .tenderer {
        if let named = body.tenderer, named != account.creditCode {
          throw Problem.forbidden("a tenderer creates sections for itself only")
        }
        terms.tenderer = account.creditCode
        terms.agency = nil
      } else {
        guard let named = body.tenderer else {
          throw DomainError.invalid(
            "an agency names the tenderer it acts for", chinese: "招标代理机构应注明其代理的招标人")
        }
        terms.tenderer = try Account.checkedCreditCode(named)
        terms.agency = account.creditCode
      }
      let now = platform.clock.now()
      let transition = try Section.draft(terms)
      _ = try await SectionStore.create(
        transition, at: now, by: caller.asOperator, in: platform.store)
      return .created(.init(body: .json(Views.section(transition.section, for: caller))))
    }
  }

  func listSections(_ input: Operations.listSections.Input) async throws
    -> Operations.listSections.Output
  {
    await answering {
      let caller = Caller.current
      let query = input.query
      if query.mine == true, caller.account == nil { throw Problem.signInNeeded }
      let filter = TradingPlatform.SectionFilter(
        phase: query.phase.flatMap { SectionPhase(rawValue: $0.rawValue) },
        mine: query.mine ?? false,
        limit: Paging.limit(query.limit, default: 50, max: 200),
        offset: min(Paging.position(query.offset), 10_000))
      let sections = try await platform.visibleSections(filter, for: caller)
      return .ok(.init(body: .json(sections.map { Views.summary($0, for: caller) })))
    }
  }

  func getSection(_ input: Operations.getSection.Input) async throws -> Operations.getSection.Output
  {
    await answering {
      let section = try await load(input.path.sectionID)
      return .ok(.init(body: .json(Views.section(section, for: Caller.current))))
    }
  }

  func publishSection(_ input: Operations.publishSection.Input) async throws
    -> Operations.publishSection.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let schedule = try Views.schedule(body)
      let caller = Caller.current
      let now = platform.clock.now()
      let sectionID = input.path.sectionID
      let supervisionKey = platform.supervision?.holderKey
      let section = try await platform.store.transaction { database in
        let applied = try await SectionStore.apply(
          sectionID, at: now, by: caller.asOperator, on: database
        ) {
          try caller.authorize(.manager, on: $0)
          return try $0.publish(schedule, at: now, supervisionKey: supervisionKey)
        }
        // Invitation tendering: each invited party receives its invitation (投标邀请书).
        let published = applied.transition.section
        for party in published.schedule?.invited ?? [] {
          try await NotificationRepository.send(
            to: party, section: sectionID,
            message: "投标邀请书：诚邀贵单位参加\(published.terms.name)投标",
            at: now, on: database)
        }
        return Views.section(published, for: caller)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  /// Streams the envelope to a temporary file (constant memory), checks its structure, section,
  /// opening time and signature (never its contents) against the bidder's registered key, keeps
  /// it under its hash, records the bid and answers with the receipt. Any failure, a cut-off
  /// upload included, leaves nothing.
  func submitBid(_ input: Operations.submitBid.Input) async throws -> Operations.submitBid.Output {
    var temporary: String?
    do {
      guard case .binary(let body) = input.body else { throw Problem.badBody }
      let account = try Caller.current.requireBidder(input.path.bidderID)
      let received = try await platform.blobs.receive(body)
      temporary = received.temporary
      let receipt = try await record(
        envelope: received.temporary, size: received.size, section: input.path.sectionID,
        account: account)
      return .created(.init(body: .json(receipt)))
    } catch {
      if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
      return Problem(error).answer()
    }
  }

  /// Checks the envelope in the file `temporary` (whole, `size` bytes) — structure, section,
  /// opening time and signature, never its contents — against the bidder's registered key,
  /// keeps it under its hash, records the bid and gives the receipt. On a refusal the caller
  /// removes the file; on success it has been moved into the blob store, and the `upload` it
  /// came from (if any) is gone in the same transaction.
  func record(
    envelope temporary: String, size: Int64, section sectionID: String, account: Account,
    upload: String? = nil
  ) async throws -> Components.Schemas.Receipt {
    let bidder = account.creditCode
    let caller = Caller.current
    var reader = try EnvelopeReader(FileSource(path: temporary))
    // The opening time is checked against the deadline inside the recording transaction.
    try reader.check(EnvelopeExpectations(sectionID: sectionID))
    guard reader.header.bidderID == bidder else {
      throw Problem(
        status: 422, code: "ENVELOPE_WRONG_BIDDER", article: nil,
        english: "the envelope was sealed for bidder \(reader.header.bidderID), not \(bidder)",
        chinese: "投标文件的投标人与上传人不符")
    }
    guard
      Data(reader.header.signer.rawRepresentation).base64EncodedString() == account.signingKey,
      reader.header.signer.algorithm.description == account.signatureAlgorithm
    else {
      throw Problem(
        status: 422, code: "ENVELOPE_WRONG_SIGNER", article: nil,
        english: "the envelope is not signed with the key \(bidder) registered",
        chinese: "投标文件的签名密钥不是投标人登记的密钥")
    }
    let summary = try reader.verify()
    let facts = SealedBidFacts(
      envelopeHash: "\(summary.header.suite.hashFunction):\(summary.envelopeHash.hex)",
      openingTime: summary.header.openingTime,
      holderKeyIDs: summary.header.holders.map(\.keyID.hex), threshold: summary.header.threshold)
    let now = platform.clock.now()
    let blobs = platform.blobs
    let applied = try await platform.store.transaction { database in
      // The envelope's bytes first: the section's row is locked from its update to the commit,
      // and other bidders' uploads wait on that lock, not on these megabytes.
      try await blobs.record(temporary, as: summary.envelopeHash.hex, on: database)
      // A party banned at the hub bids nowhere (一处受罚、处处受限).
      let bans = try await RegistryCopyRepository.bans(of: bidder, on: database)
      try Ban.check(bidder, against: bans, at: now)
      // A certificate that expired or was revoked since sign-in signs no bid.
      try await platform.checkStillCertified(account, at: now, on: database)
      // What the hub's registry knows of the bidder's and the tenderer's ties (条例34).
      let ties = try await RegistryCopyRepository.party(bidder, on: database)?.ties
      var tendererTies: PartyTies? = nil
      if let stored = try await SectionRepository.load(sectionID, on: database) {
        tendererTies = try await RegistryCopyRepository.party(
          stored.section.terms.tenderer, on: database)?.ties
      }
      let applied = try await SectionStore.apply(
        sectionID, at: now, by: caller.asOperator, on: database
      ) {
        try $0.receiveBid(bidder: bidder, facts, ties: ties, tendererTies: tendererTies, at: now)
      }
      if let upload { try await BidUploadRepository.delete(upload, on: database) }
      return applied
    }
    try platform.blobs.settle(temporary, as: summary.envelopeHash.hex)
    platform.metrics.count("bids_received")
    platform.metrics.count("bid_bytes", by: Int(clamping: size))
    let signer = platform.logSigner
    let receipt = try await platform.store.transaction { database in
      try await Receipts.receipt(
        for: applied.logIndices[0], signer: signer, at: now, on: database)
    }
    return Views.receipt(receipt)
  }

  func withdrawBid(_ input: Operations.withdrawBid.Input) async throws
    -> Operations.withdrawBid.Output
  {
    await answering {
      let bidder = input.path.bidderID
      let calendar = platform.calendar
      let section = try await transition(input.path.sectionID, as: .bidder(bidder)) {
        try $0.withdrawBid(bidder: bidder, at: $1, calendar: calendar)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  /// A clarification or amendment without new documents (a late one moves the deadline); every
  /// party that downloaded the documents is notified.
  func amendDocuments(_ input: Operations.amendDocuments.Input) async throws
    -> Operations.amendDocuments.Output
  {
    await answering {
      let section = try await amend(input.path.sectionID).section
      return .created(.init(body: .json(section)))
    }
  }

  func raiseObjection(_ input: Operations.raiseObjection.Input) async throws
    -> Operations.raiseObjection.Output
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
          try $0.raiseObjection(id: id, at: $1, calendar: calendar)
            .stating(statement, objection: id, answer: false, at: $1)
        },
        also: {
          try await ObjectionRepository.raised(
            section: sectionID, id: id, by: bidder, atOpening: false, statement: statement,
            at: $1, on: $0)
        })
      return .created(.init(body: .json(section)))
    }
  }

  func answerObjection(_ input: Operations.answerObjection.Input) async throws
    -> Operations.answerObjection.Output
  {
    await answering {
      let id = input.path.objectionID
      let sectionID = input.path.sectionID
      let answer = try Self.statement(
        input.body.map { if case .json(let b) = $0 { b.answer } else { nil } } ?? nil,
        field: "answer", chineseField: "答复")
      let section = try await transition(
        sectionID, as: .manager,
        {
          try $0.answerObjection(id: id, at: $1).stating(
            answer, objection: id, answer: true, at: $1)
        },
        also: {
          try await ObjectionRepository.answered(
            section: sectionID, id: id, answer: answer, at: $1, on: $0)
        })
      return .ok(.init(body: .json(section)))
    }
  }

  /// Load, authorise the caller, call the pure transition at the platform's now, save with its
  /// events (and who did it, from where); the section as the caller may see it.
  func transition(
    _ id: String, as remit: Remit,
    _ change: @escaping @Sendable (Section, Int64) throws -> Transition
  ) async throws -> Components.Schemas.SectionView {
    let caller = Caller.current
    let now = platform.clock.now()
    let transition = try await SectionStore.apply(
      id, at: now, by: caller.asOperator, in: platform.store
    ) {
      try caller.authorize(remit, on: $0)
      return try change($0, now)
    }
    return Views.section(transition.section, for: caller)
  }

  /// `transition`, with `also` run in the same transaction once the section is saved: a side
  /// record that stands or falls with the events.
  func transition(
    _ id: String, as remit: Remit,
    _ change: @escaping @Sendable (Section, Int64) throws -> Transition,
    also: @escaping @Sendable (any SQLDatabase, Int64) async throws -> Void
  ) async throws -> Components.Schemas.SectionView {
    let caller = Caller.current
    let now = platform.clock.now()
    let applied = try await platform.store.transaction { database in
      let applied = try await SectionStore.apply(
        id, at: now, by: caller.asOperator, on: database
      ) {
        try caller.authorize(remit, on: $0)
        return try change($0, now)
      }
      try await also(database, now)
      return applied
    }
    return Views.section(applied.transition.section, for: caller)
  }

  /// An objection's statement or its answer as a person typed it (optional): bounded and
  /// without control characters (in-process page calls pass by the API's schema).
  static func statement(
    _ text: String?, field: String = "statement", chineseField: String = "异议内容"
  ) throws -> String? {
    guard let text, !text.isEmpty else { return nil }
    return try TextRules.checked(
      text, field: field, chineseField: chineseField, maxLength: TextRules.maxTextLength,
      multiline: true)
  }

  func getPlatform(_ input: Operations.getPlatform.Input) async throws
    -> Operations.getPlatform.Output
  {
    .ok(
      .init(
        body: .json(
          .init(
            platformID: platform.exchange?.platformID, hub: platform.exchange?.hub,
            logVerifierKey: platform.logSigner.verifier.verifierKey))))
  }

  func getCheckpoint(_ input: Operations.getCheckpoint.Input) async throws
    -> Operations.getCheckpoint.Output
  {
    let signer = platform.logSigner
    let now = platform.clock.now()
    let head = try await platform.logHead.value("head", on: platform.store) {
      try await LogHead.read(on: $0)
    }
    let note = try Receipts.checkpoint(of: head, signer: signer, at: now)
    return .ok(.init(body: .plainText(HTTPBody(note))))
  }
}

extension Operations.createSection.Output: ProblemAnswerable {}
extension Operations.getSection.Output: ProblemAnswerable {}
extension Operations.listSections.Output: ProblemAnswerable {}
extension Operations.publishSection.Output: ProblemAnswerable {}
extension Operations.submitBid.Output: ProblemAnswerable {}
extension Operations.withdrawBid.Output: ProblemAnswerable {}
extension Operations.amendDocuments.Output: ProblemAnswerable {}
extension Operations.raiseObjection.Output: ProblemAnswerable {}
extension Operations.answerObjection.Output: ProblemAnswerable {}

extension Components.Responses.Problem: ProblemResponseBody {
  init(_ problem: ProblemDetails) { self = problem.response }
  static func problem(for error: any Error) -> ProblemDetails { ProblemDetails(error) }
  var details: ProblemDetails {
    switch body {
    case .application_problem_plus_json(let stated):
      ProblemDetails(
        status: stated.status, code: stated.code, article: stated.article,
        english: stated.detail, chinese: stated.detailChinese)
    }
  }
}

extension Problem {
  func answer<Output: ProblemAnswerable>() -> Output
  where Output.ProblemResponse == Components.Responses.Problem {
    .default(statusCode: status, response)
  }

  static let badBody = Problem(
    status: 415, code: "UNSUPPORTED_BODY", article: nil,
    english: "the request body has the wrong content type", chinese: "请求内容类型错误")

  static let signInNeeded = Problem(
    status: 401, code: "AUTH_REQUIRED", article: nil,
    english: "sign in first (POST /sessions); the token is missing, unknown or expired",
    chinese: "请先登录，令牌缺失、无效或已过期")

  static let wrongPassword = Problem(
    status: 401, code: "AUTH_WRONG_PASSWORD", article: nil,
    english: "wrong account or password", chinese: "账号或密码错误")

  static func forbidden(_ why: String) -> Problem {
    Problem(
      status: 403, code: "AUTH_FORBIDDEN", article: nil, english: "not allowed: \(why)",
      chinese: "无权进行此操作")
  }
}
