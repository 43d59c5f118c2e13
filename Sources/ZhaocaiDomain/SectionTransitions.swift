/// The transitions of a section from draft to the close of bidding. Each is a pure function of
/// the state, its input and the time (injected), returning the new state and its events, or the
/// rule it would break.
extension Section {
  /// A new section in draft; its bid bond must respect 条例26.
  public static func draft(_ terms: SectionTerms) throws(DomainError) -> Transition {
    let terms = try terms.validated()
    try rule { () throws(RuleViolation) in
      try BondRules.checkBidBond(terms.bidBond, estimate: terms.estimate)
    }
    let section = Section(
      terms: terms, phase: .draft, schedule: nil, bids: [:], pendingObjections: [],
      amendmentCount: 0)
    return Transition(section: section, events: [.drafted(terms: terms)])
  }

  /// Publishes the tender notice and puts the documents on sale from `now` (法24, 条例16). Where a
  /// supervision platform oversees the section, its sealing key (`supervisionKey`) must be one
  /// of the key holders, so no opening happens without the supervisor's share or another two.
  public func publish(
    _ schedule: TenderSchedule, at now: Int64, supervisionKey: String? = nil
  ) throws(DomainError) -> Transition {
    guard phase == .draft else { throw .wrongPhase(action: "publish", phase: phase) }
    if let supervisionKey, !schedule.keyHolders.contains(where: { $0.sealingKey == supervisionKey })
    {
      throw .invalid(
        "the supervision platform's opening key must be one of the notice's key holders",
        chinese: "监督平台的开标密钥应为招标公告所列密钥持有人之一")
    }
    let holders = schedule.keyHolders.map(\.keyID)
    guard (2...16).contains(holders.count), Set(holders).count == holders.count,
      (2...holders.count).contains(schedule.threshold)
    else {
      throw .invalid(
        "2 to 16 distinct key holders and a threshold between 2 and their number are needed",
        chinese: "应有2至16个互不相同的密钥持有人，解密门限应在2至持有人数之间")
    }
    var schedule = schedule
    // The documents are issued from the moment the notice is published (法24, 条例16): a date
    // the tenderer names would let it count the 20 and 5 days from a day that has passed.
    schedule.documentsIssuedAt = now
    for (field, chineseField, instant) in [
      ("the sale's end", "发售截止时间", schedule.saleEndsAt),
      ("the bid deadline", "投标截止时间", schedule.bidDeadline),
      ("the application deadline", "资格预审申请截止时间", schedule.applicationDeadline ?? now),
    ] {
      try InstantBounds.checked(instant, field: field, chineseField: chineseField)
    }
    if terms.procedure == .invitation || terms.procedure == .invitationWithPrequalification {
      let invited = try Set(
        schedule.invited.map { code throws(DomainError) in try Account.checkedCreditCode(code) })
      guard invited.count >= 3 else {
        throw .invalid(
          "invitation tendering invites at least 3 parties (法17)",
          chinese: "邀请招标应当向3个以上的潜在投标人发出投标邀请书（法17）")
      }
      schedule.invited = invited.sorted()
    } else {
      schedule.invited = []
    }
    if terms.procedure.hasPrequalification {
      guard let applications = schedule.applicationDeadline,
        applications < schedule.bidDeadline
      else {
        throw .invalid(
          "prequalification needs an application deadline before the bid deadline",
          chinese: "资格预审应设定早于投标截止时间的申请截止时间")
      }
      try Self.rule { () throws(RuleViolation) in
        try TimeLimits.checkPrequalificationDeadline(
          saleEnd: schedule.saleEndsAt, deadline: applications)
      }
    } else {
      schedule.applicationDeadline = nil
    }
    try Self.rule { () throws(RuleViolation) in
      try TimeLimits.checkSalePeriod(start: schedule.documentsIssuedAt, end: schedule.saleEndsAt)
      try TimeLimits.checkBidDeadline(
        documentsIssued: schedule.documentsIssuedAt, deadline: schedule.bidDeadline)
    }
    var next = self
    next.phase = .bidding
    next.schedule = schedule
    return Transition(section: next, events: [.published(schedule: schedule, at: now)])
  }

  /// Issues a clarification or amendment; the deadline moves if it comes too late (法23, 条例21).
  public func amend(at now: Int64) throws(DomainError) -> Transition {
    guard phase == .bidding, let schedule, now < schedule.bidDeadline else {
      throw .wrongPhase(action: "amend the documents", phase: phase)
    }
    // During prequalification an amendment concerns its documents and application deadline
    // (3 days); afterwards the tender documents and the bid deadline (15 days).
    let prequalification = schedule.inPrequalification(at: now)
    let current = prequalification ? schedule.applicationDeadline! : schedule.bidDeadline
    let deadline = TimeLimits.deadlineAfterAmendment(
      issuedAt: now, deadline: current, prequalification: prequalification)
    var next = self
    next.amendmentCount += 1
    if prequalification {
      next.schedule?.applicationDeadline = deadline
      // The bid deadline keeps its distance from the application deadline.
      next.schedule?.bidDeadline = schedule.bidDeadline + (deadline - current)
    } else {
      next.schedule?.bidDeadline = deadline
    }
    let moved = deadline != current
    return Transition(
      section: next,
      events: [
        .amended(
          number: next.amendmentCount, at: now, deadline: deadline,
          movedFrom: moved ? current : nil,
          rule: moved ? TimeLimits.amendmentRule(prequalification: prequalification).code : nil)
      ])
  }

  /// A bidder objects to the documents; the close of bidding waits for the answer (条例22).
  public func raiseObjection(
    id: String, at now: Int64, calendar: WorkingCalendar
  ) throws(DomainError) -> Transition {
    guard phase == .bidding, let schedule else {
      throw .wrongPhase(action: "object to the documents", phase: phase)
    }
    let prequalification = schedule.inPrequalification(at: now)
    try Self.rule { () throws(RuleViolation) in
      try TimeLimits.checkObjectionToDocuments(
        raisedAt: now,
        deadline: prequalification ? schedule.applicationDeadline! : schedule.bidDeadline,
        prequalification: prequalification)
    }
    let due = TimeLimits.objectionAnswerDue(receivedAt: now, calendar: calendar)
    var next = self
    next.pendingObjections.append(PendingObjection(id: id, raisedAt: now, answerDue: due))
    return Transition(
      section: next,
      events: [.objectionRaised(id: id, at: now, answerDue: due)]
        + Self.provisional(due, from: now, rule: Rules.objectionAnswer3Days, calendar: calendar))
  }

  /// The tenderer answers an objection; once none is pending the section goes on.
  /// An answer after its due day is still taken, and recorded as late (条例22, 条例54).
  public func answerObjection(id: String, at now: Int64) throws(DomainError) -> Transition {
    guard let pending = pendingObjections.first(where: { $0.id == id }) else {
      throw .notFound("objection \(id)", chinese: "异议\(id)")
    }
    var next = self
    next.pendingObjections.removeAll { $0.id == id }
    var events: [SectionEvent] = []
    if TimeLimits.isOverdue(pending.answerDue, now: now) {
      events.append(
        .deadlineMissed(rule: Rules.objectionAnswer3Days.code, due: pending.answerDue, at: now))
    }
    return Transition(section: next, events: events + [.objectionAnswered(id: id, at: now)])
  }

  /// Records a sealed envelope received before the deadline; a later one replaces the earlier
  /// (办法27). The platform has checked the envelope's structure and signature; `facts` are what
  /// it read from it. The envelope must be sealed to the notice's key holders with its threshold
  /// (办法26), so nobody alone can open it, and for the section's current deadline (法34): holders
  /// release shares at the time the envelope names, so after an amendment moves the deadline an
  /// envelope is sealed again.
  /// `ties` are the bidder's, and `tendererTies` the tenderer's, as the party registry knows
  /// them (条例34): a bidder the tenderer or its agency controls, or that controls the tenderer,
  /// is refused; ties between bidders void their bids at the close.
  public func receiveBid(
    bidder: String, _ facts: SealedBidFacts, ties: PartyTies? = nil,
    tendererTies: PartyTies? = nil, at now: Int64
  ) throws(DomainError) -> Transition {
    try checkNotLate(at: now)
    guard phase == .bidding, let schedule else {
      throw .wrongPhase(action: "receive a bid", phase: phase)
    }
    guard admits(bidder) else {
      throw .invalid(
        "\(bidder) was not invited to bid, or has not passed prequalification",
        chinese: "\(bidder)未受邀请投标，或未通过资格预审")
    }
    // The tenderer cannot compete in its own tender, nor the agency that runs it, nor a party
    // either controls or that controls the tenderer (条例34).
    let managers = [terms.tenderer] + (terms.agency.map { [$0] } ?? [])
    if let controller = ties?.controllers.first(where: managers.contains) {
      throw .rule(
        RuleViolation(
          Rules.bidderIndependent, "\(bidder) is controlled or managed by \(controller)",
          chinese: "\(bidder)与招标人或招标代理机构\(controller)存在控股或管理关系"))
    }
    if tendererTies?.controllers.contains(bidder) == true {
      throw .rule(
        RuleViolation(
          Rules.bidderIndependent, "\(bidder) controls or manages the tenderer",
          chinese: "\(bidder)对招标人存在控股或管理关系"))
    }
    if bidder == terms.tenderer || bidder == terms.agency {
      throw .rule(
        RuleViolation(
          Rules.bidderIndependent,
          "\(bidder) is the \(bidder == terms.tenderer ? "tenderer" : "agency") of this section",
          chinese:
            "\(bidder)是本标段的\(bidder == terms.tenderer ? "招标人" : "招标代理机构")，不得参加投标"))
    }
    try Self.rule { () throws(RuleViolation) in
      try OpeningRules.checkSubmission(at: now, deadline: schedule.bidDeadline)
      guard facts.holderKeyIDs == schedule.keyHolders.map(\.keyID),
        facts.threshold == schedule.threshold
      else {
        throw RuleViolation(
          Rules.bidMustBeEncrypted,
          "the envelope must be sealed to the notice's \(schedule.keyHolders.count) key holders, \(schedule.threshold) needed",
          chinese:
            "投标文件应当按公告确定的\(schedule.keyHolders.count)名密钥持有人加密，解密需其中\(schedule.threshold)名"
        )
      }
      guard facts.openingTime == schedule.bidDeadline else {
        throw RuleViolation(
          Rules.openingAtDeadline,
          "the envelope is sealed for opening at \(facts.openingTime), the deadline is \(schedule.bidDeadline): seal it again",
          chinese:
            "投标文件加密设定的开标时间为\(facts.openingTime)，投标截止时间为\(schedule.bidDeadline)，二者不一致，请重新加密"
        )
      }
    }
    let version = (bids[bidder]?.version ?? 0) + 1
    var next = self
    next.bids[bidder] = BidRecord(
      bidder: bidder, envelopeHash: facts.envelopeHash, receivedAt: now, version: version,
      ties: ties)
    return Transition(
      section: next,
      events: [
        .bidReceived(bidder: bidder, envelopeHash: facts.envelopeHash, at: now, version: version)
      ])
  }

  /// A bidder withdraws its bid before the deadline (办法27); its bond falls due for refund
  /// within 5 days (条例35).
  public func withdrawBid(
    bidder: String, at now: Int64, calendar: WorkingCalendar
  ) throws(DomainError) -> Transition {
    try checkNotLate(at: now)
    guard phase == .bidding, let schedule else {
      throw .wrongPhase(action: "withdraw a bid", phase: phase)
    }
    try Self.rule { () throws(RuleViolation) in
      try OpeningRules.checkSubmission(at: now, deadline: schedule.bidDeadline)
    }
    guard bids[bidder] != nil else {
      throw .notFound("a bid of \(bidder)", chinese: "\(bidder)的投标文件")
    }
    var next = self
    next.bids[bidder] = nil
    let refund = TimeLimits.bondRefundDue(after: now, calendar: calendar)
    next.bonds = bondsFallDue([bidder], on: refund)
    return Transition(
      section: next,
      events: [.bidWithdrawn(bidder: bidder, at: now)]
        + Self.provisional(refund, from: now, rule: Rules.bondRefund5Days, calendar: calendar))
  }

  /// The scheduler closes bidding at the deadline: with fewer than 3 bids the section fails and
  /// must be re-tendered (条例44); otherwise it goes to the opening (法34).
  public func closeBidding(at now: Int64) throws(DomainError) -> Transition {
    guard phase == .bidding, let schedule else {
      throw .wrongPhase(action: "close bidding", phase: phase)
    }
    try Self.rule { () throws(RuleViolation) in
      try OpeningRules.checkDecryptionAllowed(at: now, deadline: schedule.bidDeadline)
    }
    if let pending = pendingObjections.first {
      throw .rule(
        RuleViolation(
          Rules.objectionAnswer3Days,
          "objection \(pending.id) awaits its answer (due \(pending.answerDue))",
          chinese: "异议\(pending.id)尚未答复（答复期限\(pending.answerDue)）"))
    }
    var next = self
    let closed = SectionEvent.biddingClosed(at: now, bids: bids.count)
    // Bids of tied parties are void (条例34), all of them; the rest go on (or too few remain).
    let tied = tiedBidders()
    var events = [closed]
    if !tied.isEmpty {
      for bidder in tied { next.bids[bidder] = nil }
      events.append(.bidsVoided(bidders: tied, rule: Rules.bidderIndependent.code))
    }
    do {
      try OpeningRules.checkEnoughBids(next.bids.count)
    } catch {
      next.phase = .failed
      return Transition(
        section: next, events: events + [.sectionFailed(at: now, rule: error.rule.code)])
    }
    next.phase = .opening
    return Transition(section: next, events: events)
  }

  /// Ends the tender at any point before it is final, with its reason (a termination notice).
  public func terminate(at now: Int64, reason: String) throws(DomainError) -> Transition {
    guard !phase.isFinal else { throw .wrongPhase(action: "terminate", phase: phase) }
    // The reason is published in the termination notice.
    try TextRules.checked(
      reason, field: "the reason", chineseField: "终止理由", maxLength: TextRules.maxTextLength,
      multiline: true)
    var next = self
    next.phase = .terminated
    return Transition(section: next, events: [.terminated(at: now, reason: reason)])
  }

  /// The bidders tied to another bidder of this section (one person in charge, or control), in
  /// credit-code order.
  func tiedBidders() -> [String] {
    let records = bids.values.sorted { $0.bidder < $1.bidder }
    var tied: Set<String> = []
    for (index, a) in records.enumerated() {
      for b in records[(index + 1)...]
      where PartyTies.areTied(a.bidder, a.ties ?? PartyTies(), b.bidder, b.ties ?? PartyTies()) {
        tied.formUnion([a.bidder, b.bidder])
      }
    }
    return tied.sorted()
  }

  /// Once the deadline has passed a bid comes too late, whether or not the scheduler has closed
  /// bidding yet (办法27): the refusal names that rule, not the phase.
  func checkNotLate(at now: Int64) throws(DomainError) {
    guard phase != .draft, let schedule, now >= schedule.bidDeadline else { return }
    try Self.rule { () throws(RuleViolation) in
      try OpeningRules.checkSubmission(at: now, deadline: schedule.bidDeadline)
    }
  }

  static func rule(_ check: () throws(RuleViolation) -> Void) throws(DomainError) {
    do {
      try check()
    } catch {
      throw .rule(error)
    }
  }
}
