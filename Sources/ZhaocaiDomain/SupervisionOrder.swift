/// 监督指令: what a supervisory department orders on a section — suspend, resume, terminate or
/// correct — sent through the exchange and applied by the trading platform that runs it.
public struct SupervisionOrder: Codable, Sendable, Equatable {
  /// What the order does to the section.
  public enum Kind: String, Codable, Sendable, CaseIterable {
    /// 暂停: every action on the section is refused until an order resumes it (条例62).
    case suspend
    /// 恢复: lifts a suspension.
    case resume
    /// 终止: the tender ends, with the order's reason as the termination's.
    case terminate
    /// 责令改正: recorded on the section for the tenderer to act on; it changes no state.
    case correct
  }

  public var id: String
  public var section: String
  public var kind: Kind
  /// The finding or article behind the order, as the department wrote it.
  public var reason: String
  /// The department's id, and the supervisor who issued the order.
  public var department: String
  public var issuedBy: String
  public var issuedAt: Int64
  /// The articles the order rests on (条例81 …); a termination must cite them.
  public var legalGround: String?
  /// The second supervisor of the department who confirmed a termination.
  public var confirmedBy: String?

  public init(
    id: String, section: String, kind: Kind, reason: String, department: String, issuedBy: String,
    issuedAt: Int64, legalGround: String? = nil, confirmedBy: String? = nil
  ) {
    self.id = id
    self.section = section
    self.kind = kind
    self.reason = reason
    self.department = department
    self.issuedBy = issuedBy
    self.issuedAt = issuedAt
    self.legalGround = legalGround
    self.confirmedBy = confirmedBy
  }

  /// Whether `text` cites articles: 法64, 条例81, 办法31, joined by 、.
  public static func isCitation(_ text: String) -> Bool {
    text.split(separator: "、", omittingEmptySubsequences: false).allSatisfy { part in
      let number = ["条例", "办法", "法"].first { part.hasPrefix($0) }.map { part.dropFirst($0.count) }
      return number.map {
        (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber)
      } ?? false
    } && !text.isEmpty
  }

  /// An order names itself, its section, a reason and its issuer. A termination is
  /// irreversible: it cites its legal ground, gives a reason a notice can carry, and was
  /// confirmed by a second supervisor of the department.
  public func validated() throws(DomainError) -> SupervisionOrder {
    guard [id, section, reason, department, issuedBy].allSatisfy({ !$0.isBlank }) else {
      throw .invalid(
        "a supervision order names itself, its section, a reason and its issuer",
        chinese: "监督指令应当载明指令编号、所涉标段、理由及签发人")
    }
    try TextRules.checked(
      reason, field: "the order's reason", chineseField: "监督指令理由",
      maxLength: TextRules.maxTextLength, multiline: true)
    if let legalGround, !Self.isCitation(legalGround) {
      throw .invalid(
        "the legal ground cites articles such as 条例81 or 法64",
        chinese: "法律依据应引用具体条款，如条例81或法64")
    }
    if kind == .terminate {
      guard let legalGround, Self.isCitation(legalGround) else {
        throw .invalid(
          "a termination cites its legal ground (the articles it rests on)",
          chinese: "终止招标投标活动应当载明法律依据（所依据的具体条款）")
      }
      guard reason.count >= 10 else {
        throw .invalid(
          "a termination states its reason in at least 10 characters; it is published",
          chinese: "终止理由不得少于10字（将予公告）")
      }
    }
    return self
  }

  /// An order that may be sent and applied: a termination only once a second supervisor of
  /// the department, not its issuer, has confirmed it.
  public func confirmedForDelivery() throws(DomainError) -> SupervisionOrder {
    let order = try validated()
    if kind == .terminate {
      guard let confirmedBy, !confirmedBy.isBlank, confirmedBy != issuedBy else {
        throw .invalid(
          "a termination is confirmed by a second supervisor of the department",
          chinese: "终止指令须经本部门另一名监督人员确认")
      }
    }
    return order
  }
}

extension Section {
  /// Applies a supervision order; the only change a suspended section accepts.
  public func apply(_ order: SupervisionOrder, at now: Int64) throws(DomainError) -> Transition {
    let order = try order.confirmedForDelivery()
    let applied = SectionEvent.orderApplied(
      id: order.id, kind: order.kind, at: now, reason: order.reason)
    var next = self
    switch order.kind {
    case .suspend:
      guard !phase.isFinal else { throw .wrongPhase(action: "suspend", phase: phase) }
      guard suspendingOrder == nil else {
        throw .invalid(
          "the section is already suspended by order \(suspendingOrder!)",
          chinese: "本标段已被监督指令\(suspendingOrder!)暂停")
      }
      next.suspendingOrder = order.id
      return Transition(section: next, events: [applied])
    case .resume:
      guard suspendingOrder != nil else {
        throw .invalid("the section is not suspended", chinese: "本标段未被暂停")
      }
      next.suspendingOrder = nil
      return Transition(section: next, events: [applied])
    case .terminate:
      next.suspendingOrder = nil
      let terminated = try next.terminate(
        at: now, reason: "\(order.reason)（依据：\(order.legalGround ?? "")）")
      return Transition(section: terminated.section, events: [applied] + terminated.events)
    case .correct:
      return Transition(section: next, events: [applied])
    }
  }

  /// Refuses any action on a section a supervision order has suspended (条例62).
  public func checkNotSuspendedByOrder() throws(DomainError) {
    if let order = suspendingOrder {
      throw .rule(
        RuleViolation(
          Rules.suspendedByOrder, "supervision order \(order) suspends this section until resumed",
          chinese: "监督指令\(order)已责令本标段暂停，恢复前不得继续"))
    }
  }
}

extension String {
  var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
