/// 行政监督部门: a supervisory department, whose remit is one industry in one region.
public struct Department: Codable, Sendable, Equatable {
  public var id: String
  public var name: String
  /// The industry it supervises (住建, 交通, 水利, 发改, 商务 …), as sections name it.
  public var industry: String
  /// Its administrative division, a 6-digit GB/T 2260 code.
  public var region: String

  public init(id: String, name: String, industry: String, region: String) {
    self.id = id
    self.name = name
    self.industry = industry
    self.region = region
  }

  /// The tier of government a department belongs to, read from its region code.
  public enum Level: String, Codable, Sendable {
    /// `350000`: the whole province (or municipality).
    case province
    /// `350100`: a prefecture-level city.
    case city
    /// `350102`: a county or district.
    case county
  }

  public var level: Level {
    if region.hasSuffix("0000") { return .province }
    return region.hasSuffix("00") ? .city : .county
  }

  /// Checks a department before it is registered: an id, a name, an industry and a region code.
  public func validated() throws(DomainError) -> Department {
    guard !Self.isBlank(id), !Self.isBlank(name), !Self.isBlank(industry) else {
      throw .invalid(
        "a department needs an id, a name and an industry", chinese: "行政监督部门应当载明编号、名称及所属行业")
    }
    guard Self.isRegionCode(region) else {
      throw .invalid(
        "'\(region)' is not a 6-digit GB/T 2260 region code",
        chinese: "“\(region)”不是6位行政区划代码（GB/T 2260）")
    }
    return self
  }

  /// Whether a section of `industry` in `region` is within this department's remit: the same
  /// industry, and a region inside its own (a province sees its cities and counties, a city
  /// its counties, a county only itself).
  public func covers(industry: String, region: String) -> Bool {
    guard industry == self.industry, Self.isRegionCode(region) else { return false }
    let shared =
      switch level {
      case .province: 2
      case .city: 4
      case .county: 6
      }
    return region.utf8.prefix(shared).elementsEqual(self.region.utf8.prefix(shared))
  }

  /// A GB/T 2260 administrative division code: six digits.
  public static func isRegionCode(_ text: String) -> Bool {
    text.utf8.count == 6
      && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
  }

  private static func isBlank(_ text: String) -> Bool { text.allSatisfy(\.isWhitespace) }
}
