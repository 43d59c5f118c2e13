import ZhaocaiDomain

/// An event as logged and sent: which section, when, what, and who did it from where.
public struct LoggedEvent: Codable, Sendable, Equatable {
  public let section: String
  public let at: Int64
  public let event: SectionEvent
  public let by: Operator?
  /// With a publication, the terms it published, so the entry stands alone for open data.
  public let terms: SectionTerms?

  public init(
    section: String, at: Int64, event: SectionEvent, by: Operator?, terms: SectionTerms? = nil
  ) {
    self.section = section
    self.at = at
    self.event = event
    self.by = by
    self.terms = terms
  }
}

/// A published notice as logged and sent: its text with the remit it falls in, so the hub
/// can publish and index it without knowing the section.
public struct LoggedNotice: Codable, Sendable, Equatable {
  public let section: String
  public let at: Int64
  public let notice: Notice
  public let region: String
  public let industry: String
  public let by: Operator?

  public init(
    section: String, at: Int64, notice: Notice, region: String, industry: String, by: Operator?
  ) {
    self.section = section
    self.at = at
    self.notice = notice
    self.region = region
    self.industry = industry
    self.by = by
  }
}
