/// What a text field a person types may hold: it ends up in public notices and records, so no
/// control characters (which a page or a log would show as nothing, or act on) and no Unicode
/// bidirectional overrides (which would make a name read differently than it is stored), and a
/// length a notice can show.
public enum TextRules {
  /// The longest name of a section, a party, a criterion or a person.
  public static let maxNameLength = 200
  /// The longest reason, statement or answer.
  public static let maxTextLength = 2000

  /// Whether `scalar` may stand in a text field (tab and line breaks only in multi-line text).
  public static func isAllowed(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: multiline
    case 0x00...0x1F, 0x7F...0x9F: false
    case 0x202A...0x202E, 0x2066...0x2069: false
    default: true
    }
  }

  /// `value` if it is a text of 1 to `maxLength` characters, not blank, of allowed characters;
  /// else why not, naming `field` (in Chinese, `chineseField`).
  @discardableResult
  public static func checked(
    _ value: String, field: String, chineseField: String, maxLength: Int = maxNameLength,
    multiline: Bool = false
  ) throws(DomainError) -> String {
    guard value.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
      throw .invalid("\(field) may not be empty", chinese: "\(chineseField)不得为空")
    }
    guard value.count <= maxLength else {
      throw .invalid(
        "\(field) has \(value.count) characters, at most \(maxLength) allowed",
        chinese: "\(chineseField)共\(value.count)字，不得超过\(maxLength)字")
    }
    guard value.unicodeScalars.allSatisfy({ isAllowed($0, multiline: multiline) }) else {
      throw .invalid(
        "\(field) holds a control character or a bidirectional override, which no text may hold",
        chinese: "\(chineseField)含有控制字符或双向覆盖字符，任何文本均不得含有")
    }
    return value
  }
}

/// The range of instants any date a request carries may lie in: 2000-01-01 to 2100-01-01 (UTC).
/// Nothing tendered today happens outside it, and every day count on such instants is small.
public enum InstantBounds {
  public static let earliest: Int64 = 946_684_800
  public static let latest: Int64 = 4_102_444_800

  public static func contains(_ instant: Int64) -> Bool { (earliest...latest).contains(instant) }

  /// `instant` if it lies within the bounds; else why not, naming `field` (in Chinese,
  /// `chineseField`).
  @discardableResult
  public static func checked(
    _ instant: Int64, field: String, chineseField: String
  ) throws(DomainError) -> Int64 {
    guard contains(instant) else {
      throw .invalid(
        "\(field) must lie between 2000-01-01 and 2100-01-01",
        chinese: "\(chineseField)应在2000-01-01至2100-01-01之间")
    }
    return instant
  }
}
