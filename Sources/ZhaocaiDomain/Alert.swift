/// 预警: a rule a section's timeline shows broken, raised by the supervision platform itself and
/// shown to the supervisors whose remit covers the section.
public struct Alert: Codable, Sendable, Equatable {
  public var section: String
  /// The broken rule's code and article (RULES.md); the article is empty for a code this version
  /// does not know.
  public var code: String
  public var article: String
  /// What happened, in English, for people.
  public var detail: String
  /// When the rule was broken: the time of the entry that broke it or, for a step not taken by
  /// its due day, the start of the next day, so an alert keeps its time as the timeline grows.
  public var raisedAt: Int64

  public init(section: String, code: String, article: String, detail: String, raisedAt: Int64) {
    self.section = section
    self.code = code
    self.article = article
    self.detail = detail
    self.raisedAt = raisedAt
  }

  init(section: String, rule: Rule, detail: String, raisedAt: Int64) {
    self.init(
      section: section, code: rule.code, article: rule.article, detail: detail, raisedAt: raisedAt)
  }
}
