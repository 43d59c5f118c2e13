/// 监督人员: a person of a supervisory department, who sees and acts only within the department's
/// remit (its industry and region, with the regions below it).
public struct Supervisor: Codable, Sendable, Equatable {
  public var id: String
  public var name: String
  public var department: Department

  public init(id: String, name: String, department: Department) {
    self.id = id
    self.name = name
    self.department = department
  }

  /// Whether the process falls in this supervisor's remit; one whose terms have not arrived
  /// falls in none.
  public func oversees(_ process: TrackedProcess) -> Bool {
    guard let terms = process.terms else { return false }
    return department.covers(industry: terms.industry, region: terms.region)
  }
}
