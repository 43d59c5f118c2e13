/// The 18-character unified social credit code (统一社会信用代码) of an organisation, checked
/// with its GB 32100-2015 check character.
public struct CreditCode: Sendable, Hashable, Codable, CustomStringConvertible {
  public let value: String

  /// The 31 characters the code may use (no I, O, S, V, Z).
  static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
  static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

  /// Why a code was refused.
  public enum Problem: Error, Equatable, Sendable {
    case wrongLength(Int)
    case invalidCharacter(Character)
    case wrongCheckCharacter(expected: Character, found: Character)
  }

  public init(_ text: String) throws(Problem) {
    let characters = Array(text.uppercased())
    guard characters.count == 18 else { throw .wrongLength(characters.count) }
    var values: [Int] = []
    for character in characters {
      guard let value = Self.alphabet.firstIndex(of: character) else {
        throw .invalidCharacter(character)
      }
      values.append(value)
    }
    let expected = Self.checkCharacter(values.prefix(17))
    guard characters[17] == expected else {
      throw .wrongCheckCharacter(expected: expected, found: characters[17])
    }
    value = String(characters)
  }

  /// The code whose first 17 characters are `first17`, with its check character; nil if they
  /// are not 17 characters of the code's alphabet.
  public static func completing(_ first17: String) -> CreditCode? {
    let characters = Array(first17.uppercased())
    let values = characters.compactMap { alphabet.firstIndex(of: $0) }
    guard characters.count == 17, values.count == 17 else { return nil }
    return try? CreditCode(String(characters) + String(checkCharacter(values[...])))
  }

  /// The check character for the first 17 values: 31 − (Σ value·weight mod 31), 31 ↦ 0.
  static func checkCharacter(_ values: ArraySlice<Int>) -> Character {
    let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
    return alphabet[(31 - sum % 31) % 31]
  }

  public var description: String { value }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do {
      try self.init(text)
    } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a credit code"))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(value)
  }
}
