/// A bidder's bid bond (投标保证金): what it paid, from which account, and its refund — or the
/// bank guarantee (电子保函) lodged in its place where the notice accepts one.
public struct BidBond: Codable, Sendable, Equatable {
  public let amount: Money
  /// The account the bond came from; the supervision platform compares them (条例40 ⑥). Empty
  /// for a guarantee.
  public let payingAccount: String
  public let paidAt: Int64
  public internal(set) var refundDue: LegalDate?
  public internal(set) var refundedAt: Int64?
  /// The guarantee lodged instead of a transfer; its "refund" is its return.
  public var guarantee: BankGuarantee? = nil
}

/// An electronic bank guarantee (电子投标保函): the bank that issued it and its number.
public struct BankGuarantee: Codable, Sendable, Equatable {
  public let issuer: String
  public let number: String

  /// A guarantee whose issuer and number are short clean texts, the number without spaces.
  public init(issuer: String, number: String) throws(DomainError) {
    self.issuer = try TextRules.checked(
      issuer, field: "the issuing bank", chineseField: "出具保函的银行", maxLength: 100)
    let compact = number.filter { !$0.isWhitespace }
    guard (4...64).contains(compact.count),
      compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
    else {
      throw .invalid(
        "the guarantee number is 4 to 64 letters, digits or hyphens",
        chinese: "保函编号应为4至64位字母、数字或连字符")
    }
    self.number = compact
  }
}

/// Bid bonds: paid before the deadline in the notice's amount, refunded within 5 days of a
/// withdrawal (条例35) or of the contract (条例57).
extension Section {
  public func payBond(
    bidder: String, amount: Money, payingAccount: String, at now: Int64
  ) throws(DomainError) -> Transition {
    guard phase == .bidding, let schedule, now < schedule.bidDeadline else {
      throw .wrongPhase(action: "pay a bid bond", phase: phase)
    }
    guard amount == terms.bidBond else {
      throw .invalid(
        "the bid bond of this section is \(terms.bidBond), not \(amount)",
        chinese: "本标段投标保证金为\(terms.bidBond)，提交金额\(amount)不符")
    }
    let account = payingAccount.filter { !$0.isWhitespace }
    guard (6...40).contains(account.count), account.allSatisfy({ $0.isNumber }) else {
      throw .invalid(
        "the paying account must be a bank account number (6 to 40 digits)",
        chinese: "缴款账户应为6至40位银行账号")
    }
    guard bonds[bidder] == nil else {
      throw .invalid("\(bidder) has already paid its bond", chinese: "\(bidder)已缴纳投标保证金")
    }
    var next = self
    next.bonds[bidder] = BidBond(amount: amount, payingAccount: account, paidAt: now)
    return Transition(
      section: next, events: [.bondPaid(bidder: bidder, amount: amount, account: account, at: now)])
  }

  /// A bank guarantee lodged instead of a bond, where the notice accepts one, for the notice's
  /// amount and before the deadline like a transfer.
  public func lodgeGuarantee(
    bidder: String, amount: Money, guarantee: BankGuarantee, at now: Int64
  ) throws(DomainError) -> Transition {
    guard phase == .bidding, let schedule, now < schedule.bidDeadline else {
      throw .wrongPhase(action: "lodge a bank guarantee", phase: phase)
    }
    guard terms.bondGuaranteeAccepted == true else {
      throw .invalid(
        "the notice of this section does not accept a bank guarantee as the bid bond",
        chinese: "本标段招标公告未接受以银行保函形式提交投标保证金")
    }
    guard amount == terms.bidBond else {
      throw .invalid(
        "the bid bond of this section is \(terms.bidBond), not \(amount)",
        chinese: "本标段投标保证金为\(terms.bidBond)，保函金额\(amount)不符")
    }
    guard bonds[bidder] == nil else {
      throw .invalid("\(bidder) has already paid its bond", chinese: "\(bidder)已缴纳投标保证金")
    }
    var next = self
    next.bonds[bidder] = BidBond(
      amount: amount, payingAccount: "", paidAt: now, guarantee: guarantee)
    return Transition(
      section: next,
      events: [
        .guaranteeLodged(
          bidder: bidder, amount: amount, issuer: guarantee.issuer, number: guarantee.number,
          at: now)
      ])
  }

  /// The tenderer refunds a bond; one refunded after its due day is recorded as late.
  public func refundBond(bidder: String, at now: Int64) throws(DomainError) -> Transition {
    guard var bond = bonds[bidder], bond.refundedAt == nil else {
      throw .notFound(
        "an unrefunded bond of \(bidder)", chinese: "\(bidder)尚未退还的投标保证金")
    }
    guard let due = bond.refundDue else {
      throw .wrongPhase(action: "refund a bond that is not yet due", phase: phase)
    }
    var events: [SectionEvent] = []
    if TimeLimits.isOverdue(due, now: now) {
      events.append(.deadlineMissed(rule: Rules.bondRefund5Days.code, due: due, at: now))
    }
    bond.refundedAt = now
    events.append(.bondRefunded(bidder: bidder, at: now))
    var next = self
    next.bonds[bidder] = bond
    return Transition(section: next, events: events)
  }

  /// Sets the refund day of the given bonds (or all) that have none yet.
  func bondsFallDue(_ bidders: [String]? = nil, on due: LegalDate) -> [String: BidBond] {
    var updated = bonds
    for (bidder, bond) in bonds where bond.refundDue == nil && (bidders?.contains(bidder) ?? true) {
      updated[bidder]?.refundDue = due
    }
    return updated
  }
}
