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

  public init(
    id: String, section: String, kind: Kind, reason: String, department: String, issuedBy: String,
    issuedAt: Int64
  ) {
    self.id = id
    self.section = section
    self.kind = kind
    self.reason = reason
    self.department = department
    self.issuedBy = issuedBy
    self.issuedAt = issuedAt
  }

  /// An order names itself, its section and a reason.
  public func validated() throws(DomainError) -> SupervisionOrder {
    guard [id, section, reason, department, issuedBy].allSatisfy({ !$0.isBlank }) else {
      throw .invalid("a supervision order names itself, its section, a reason and its issuer")
    }
    return self
  }
}

extension Section {
  /// Applies a supervision order; the only change a suspended section accepts.
  public func apply(_ order: SupervisionOrder, at now: Int64) throws(DomainError) -> Transition {
    let order = try order.validated()
    let applied = SectionEvent.orderApplied(
      id: order.id, kind: order.kind, at: now, reason: order.reason)
    var next = self
    switch order.kind {
    case .suspend:
      guard !phase.isFinal else { throw .wrongPhase(action: "suspend", phase: phase) }
      guard suspendingOrder == nil else {
        throw .invalid("the section is already suspended by order \(suspendingOrder!)")
      }
      next.suspendingOrder = order.id
      return Transition(section: next, events: [applied])
    case .resume:
      guard suspendingOrder != nil else { throw .invalid("the section is not suspended") }
      next.suspendingOrder = nil
      return Transition(section: next, events: [applied])
    case .terminate:
      next.suspendingOrder = nil
      let terminated = try next.terminate(at: now, reason: order.reason)
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
          Rules.suspendedByOrder, "supervision order \(order) suspends this section until resumed"))
    }
  }
}

extension String {
  var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
