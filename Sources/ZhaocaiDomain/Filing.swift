/// A filing with the supervisory department (备案), made online from the trading platform and
/// acknowledged by the supervision platform: the written report on the tendering (法47) or the
/// self-tendering filing of a tenderer that runs its tender itself (自行招标, 法12).
public enum FilingKind: String, Codable, Sendable, CaseIterable {
  case writtenReport
  case selfTendering
}

extension SectionEvent {
  /// The filing this event makes, if it is one.
  public var filing: FilingKind? {
    switch self {
    case .reportFiled: .writtenReport
    case .selfTenderingFiled: .selfTendering
    default: nil
    }
  }
}

extension Section {
  /// The tenderer files that it runs the tender itself, with the basis of its capacity to draw
  /// up the documents and organise the evaluation (法12): in draft, without an agency, once.
  public func fileSelfTendering(basis: String, at now: Int64) throws(DomainError) -> Transition {
    guard phase == .draft else { throw .wrongPhase(action: "file self-tendering", phase: phase) }
    guard terms.agency == nil else {
      throw .invalid(
        "a section an agency runs is not self-tendered", chinese: "委托招标代理机构的标段不属于自行招标")
    }
    guard !basis.isBlank else {
      throw .invalid(
        "a self-tendering filing states the tenderer's capacity (法12)",
        chinese: "自行招标备案应当说明招标人具有编制招标文件和组织评标的能力（法12）")
    }
    guard selfTenderingFiledAt == nil else {
      throw .invalid("self-tendering was filed already", chinese: "已办理自行招标备案")
    }
    var next = self
    next.selfTenderingFiledAt = now
    return Transition(section: next, events: [.selfTenderingFiled(at: now, basis: basis)])
  }
}
