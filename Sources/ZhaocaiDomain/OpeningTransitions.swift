/// What the opening announces of each bid (办法30): the manifest items of docs/BID-BUNDLE.md.
public struct OpeningItems: Codable, Sendable, Equatable {
  public var price: Money
  public var durationDays: Int
  public var quality: String
  public var warrantyMonths: Int
  public var projectManagerID: String

  public init(
    price: Money, durationDays: Int, quality: String, warrantyMonths: Int, projectManagerID: String
  ) {
    self.price = price
    self.durationDays = durationDays
    self.quality = quality
    self.warrantyMonths = warrantyMonths
    self.projectManagerID = projectManagerID
  }
}

/// How one bid came out of the opening.
public enum OpeningResult: Codable, Sendable, Equatable {
  /// Decrypted and verified; `bidKey` is published so anyone can re-verify the envelope.
  case opened(items: OpeningItems, bidKey: String)
  case undecryptable(OpeningRules.UndecryptableOutcome)

  public var items: OpeningItems? {
    if case .opened(let items, _) = self { return items }
    return nil
  }
}

/// The opening: shares released after the deadline, every bid decrypted, the record published,
/// bidders confirming it or objecting on the spot.
extension Section {
  /// A key holder releases its shares; only possible once bidding has closed (办法28).
  public func releaseShares(holder: String, at now: Int64) throws(DomainError) -> Transition {
    // Before the deadline the rule is what the holder must hear, whatever else is wrong.
    guard phase == .bidding || phase == .opening, let schedule else {
      throw .wrongPhase(action: "release key shares", phase: phase)
    }
    do {
      try OpeningRules.checkDecryptionAllowed(at: now, deadline: schedule.bidDeadline)
    } catch {
      throw .rule(error)
    }
    guard phase == .opening else { throw .wrongPhase(action: "release key shares", phase: phase) }
    guard schedule.keyHolders.contains(where: { $0.name == holder }) else {
      throw .notFound(
        "key holder \(holder) in the notice", chinese: "招标公告所列密钥持有人\(holder)")
    }
    guard !releasedHolders.contains(holder) else { return Transition(section: self, events: []) }
    var next = self
    next.releasedHolders.append(holder)
    return Transition(section: next, events: [.sharesReleased(holder: holder, at: now)])
  }

  /// Whether the bids may be opened now; if not, the rule that forbids it: before the deadline
  /// nobody decrypts (办法28); a section failed for too few bids is never opened (条例44).
  public func checkCanOpen(at now: Int64) throws(DomainError) {
    guard let schedule else { throw .wrongPhase(action: "open the bids", phase: phase) }
    switch phase {
    case .bidding:
      try Self.rule { () throws(RuleViolation) in
        try OpeningRules.checkDecryptionAllowed(at: now, deadline: schedule.bidDeadline)
      }
      // The deadline has passed and the scheduler has not closed bidding yet.
      throw .wrongPhase(action: "open the bids before bidding is closed", phase: phase)
    case .failed where openingResults.isEmpty:
      try Self.rule { () throws(RuleViolation) in try OpeningRules.checkEnoughBids(bids.count) }
      throw .wrongPhase(action: "open the bids", phase: phase)
    case .opening where openingResults.isEmpty:
      return
    default:
      throw .wrongPhase(action: "open the bids", phase: phase)
    }
  }

  /// Records the decryption of every bid and publishes the opening record. A bid that could not
  /// be decrypted is revoked or withdrawn by fault, and the opening goes on (办法31).
  public func publishOpeningRecord(
    _ results: [String: OpeningResult], threshold: Int, at now: Int64,
    signs: [CollusionFinding] = []
  ) throws(DomainError) -> Transition {
    try checkCanOpen(at: now)
    guard releasedHolders.count >= threshold else {
      throw .rule(
        RuleViolation(
          Rules.noDecryptionBeforeDeadline,
          "\(releasedHolders.count) of the \(threshold) key holders needed have released shares",
          chinese: "需\(threshold)名密钥持有人提交解密份额，现仅\(releasedHolders.count)名提交"))
    }
    guard Set(results.keys) == Set(bids.keys) else {
      throw .notFound(
        "an opening result for every bid received", chinese: "每份已接收投标文件的开标结果")
    }
    var next = self
    next.openingResults = results
    var events: [SectionEvent] = []
    for bidder in results.keys.sorted() {
      switch results[bidder]! {
      case .opened(let items, let key):
        events.append(.bidOpened(bidder: bidder, items: items, bidKey: key))
      case .undecryptable(let outcome):
        events.append(.bidUndecryptable(bidder: bidder, outcome: outcome))
      }
    }
    let opened = results.values.count { $0.items != nil }
    events.append(
      .openingRecordPublished(at: now, opened: opened, undecryptable: results.count - opened))
    // The signs among the opened bids (条例40), for the committee and the supervisor: logged
    // even when there are none, so the record shows the check was made.
    let openedBidders = Set(results.filter { $0.value.items != nil }.keys)
    next.collusionFindings = signs.filter { Set($0.bidders).isSubset(of: openedBidders) }
    events.append(.collusionSignsFound(findings: next.collusionFindings ?? [], at: now))
    return Transition(section: next, events: events)
  }

  /// A bidder confirms the opening record.
  public func confirmOpening(bidder: String, at now: Int64) throws(DomainError) -> Transition {
    guard phase == .opening, !openingResults.isEmpty else {
      throw .wrongPhase(action: "confirm the opening record", phase: phase)
    }
    guard bids[bidder] != nil else {
      throw .notFound("a bid of \(bidder)", chinese: "\(bidder)的投标文件")
    }
    var next = self
    next.openingConfirmations.insert(bidder)
    return Transition(section: next, events: [.openingConfirmed(bidder: bidder, at: now)])
  }

  /// A bidder objects to the opening; it must be at the opening itself (条例44) and is answered
  /// there, which `answerObjection` records.
  public func objectToOpening(
    id: String, bidder: String, at now: Int64, calendar: WorkingCalendar
  ) throws(DomainError) -> Transition {
    guard phase == .opening else {
      throw .rule(
        RuleViolation(
          Rules.openingObjectionOnTheSpot, "the opening is over; objections to it are closed",
          chinese: "开标已结束，不再受理对开标的异议"))
    }
    guard bids[bidder] != nil else {
      throw .notFound("a bid of \(bidder)", chinese: "\(bidder)的投标文件")
    }
    var next = self
    let due = LegalDate(instant: now)
    next.pendingObjections.append(PendingObjection(id: id, raisedAt: now, answerDue: due))
    return Transition(section: next, events: [.objectionRaised(id: id, at: now, answerDue: due)])
  }

  /// Ends the opening once every objection raised there has its answer.
  public func closeOpening(at now: Int64) throws(DomainError) -> Transition {
    guard phase == .opening, !openingResults.isEmpty else {
      throw .wrongPhase(action: "close the opening", phase: phase)
    }
    if let pending = pendingObjections.first {
      throw .rule(
        RuleViolation(
          Rules.openingObjectionOnTheSpot, "objection \(pending.id) awaits its answer",
          chinese: "异议\(pending.id)尚未当场答复"))
    }
    var next = self
    next.phase = .evaluation
    return Transition(section: next, events: [.openingClosed(at: now)])
  }
}
