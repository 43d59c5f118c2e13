/// The few PDF objects a text reader needs (ISO 32000-1 §7.3), read from bytes by a lexer that
/// never looks past its input and a parser whose depth and size are bounded.
indirect enum PDFValue: Equatable {
  case number(Double)
  case string([UInt8])
  case name(String)
  case array([PDFValue])
  case dictionary([String: PDFValue])
  case reference(Int)
  case keyword(String)

  var dictionary: [String: PDFValue]? {
    if case .dictionary(let value) = self { return value }
    return nil
  }

  var array: [PDFValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  var reference: Int? {
    if case .reference(let number) = self { return number }
    return nil
  }

  var name: String? {
    if case .name(let name) = self { return name }
    return nil
  }

  var bytes: [UInt8]? {
    if case .string(let bytes) = self { return bytes }
    return nil
  }

  var number: Double? {
    if case .number(let value) = self { return value }
    return nil
  }
}

/// Reads PDF tokens and values from a byte range.
struct PDFLexer {
  let bytes: [UInt8]
  var position: Int
  let end: Int

  init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
    self.bytes = bytes
    position = start
    self.end = min(end ?? bytes.count, bytes.count)
  }

  static func isWhite(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
  }

  static func isDelimiter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"),
      UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
      UInt8(ascii: "/"), UInt8(ascii: "%"):
      true
    default: false
    }
  }

  mutating func skipWhite() {
    while position < end {
      let byte = bytes[position]
      if Self.isWhite(byte) {
        position += 1
      } else if byte == UInt8(ascii: "%") {
        while position < end, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
      } else {
        return
      }
    }
  }

  /// The next value; `]`, `>>` and operators come back as keywords. Nil at the end.
  mutating func value(depth: Int = 0) -> PDFValue? {
    skipWhite()
    guard position < end, depth < 32 else { return nil }
    let byte = bytes[position]
    switch byte {
    case UInt8(ascii: "("):
      return .string(literalString())
    case UInt8(ascii: "<"):
      if position + 1 < end, bytes[position + 1] == UInt8(ascii: "<") {
        position += 2
        var entries: [String: PDFValue] = [:]
        while entries.count < 4096 {
          guard let key = value(depth: depth + 1) else { break }
          if case .keyword(">>") = key { break }
          guard case .name(let name) = key, let item = value(depth: depth + 1) else { continue }
          if case .keyword(">>") = item { break }
          entries[name] = item
        }
        return .dictionary(entries)
      }
      return .string(hexString())
    case UInt8(ascii: ">"):
      position += 1
      if position < end, bytes[position] == UInt8(ascii: ">") { position += 1 }
      return .keyword(">>")
    case UInt8(ascii: "["):
      position += 1
      var items: [PDFValue] = []
      while items.count < 100_000 {
        guard let item = value(depth: depth + 1) else { break }
        if case .keyword("]") = item { break }
        items.append(item)
      }
      return .array(items)
    case UInt8(ascii: "]"):
      position += 1
      return .keyword("]")
    case UInt8(ascii: "/"):
      position += 1
      return .name(regular())
    default:
      let word = regular()
      if word.isEmpty {
        position += 1  // a stray delimiter: `{`, `}` or `)`
        return .keyword(String(UnicodeScalar(byte)))
      }
      if let number = Double(word), word.first.map({ $0.isNumber || "+-.".contains($0) }) == true {
        // `N G R` is a reference: looked ahead without losing the position otherwise.
        let saved = position
        if let generation = nextRegular(), Int(generation) != nil, nextRegular() == "R",
          let object = Int(word)
        {
          return .reference(object)
        }
        position = saved
        return .number(number)
      }
      return .keyword(word)
    }
  }

  private mutating func nextRegular() -> String? {
    skipWhite()
    let word = regular()
    return word.isEmpty ? nil : word
  }

  private mutating func regular() -> String {
    let start = position
    while position < end, !Self.isWhite(bytes[position]), !Self.isDelimiter(bytes[position]) {
      position += 1
    }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  private mutating func literalString() -> [UInt8] {
    position += 1
    var out: [UInt8] = []
    var depth = 1
    while position < end, out.count < 1 << 20 {
      let byte = bytes[position]
      position += 1
      switch byte {
      case UInt8(ascii: "\\"):
        guard position < end else { return out }
        let escaped = bytes[position]
        position += 1
        switch escaped {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
          var value = Int(escaped - UInt8(ascii: "0"))
          for _ in 0..<2 {
            guard position < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[position])
            else { break }
            value = value * 8 + Int(bytes[position] - UInt8(ascii: "0"))
            position += 1
          }
          out.append(UInt8(truncatingIfNeeded: value))
        case 0x0D:
          if position < end, bytes[position] == 0x0A { position += 1 }
        case 0x0A: break
        default: out.append(escaped)
        }
      case UInt8(ascii: "("):
        depth += 1
        out.append(byte)
      case UInt8(ascii: ")"):
        depth -= 1
        if depth == 0 { return out }
        out.append(byte)
      default:
        out.append(byte)
      }
    }
    return out
  }

  private mutating func hexString() -> [UInt8] {
    position += 1
    var digits: [UInt8] = []
    while position < end, bytes[position] != UInt8(ascii: ">"), digits.count < 1 << 21 {
      if let digit = Self.hexDigit(bytes[position]) { digits.append(digit) }
      position += 1
    }
    if position < end { position += 1 }
    if digits.count % 2 == 1 { digits.append(0) }
    return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
  }

  static func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}

/// A PDF text string: UTF-16BE with its mark, UTF-8 with its mark, else PDFDocEncoding (read
/// as Latin-1, which it equals for letters).
func pdfTextString(_ bytes: [UInt8]) -> String {
  if bytes.starts(with: [0xFE, 0xFF]) {
    let units = stride(from: 2, to: bytes.count - 1, by: 2).map {
      UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
    }
    return String(decoding: units, as: UTF16.self)
  }
  if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
    return String(decoding: bytes.dropFirst(3), as: UTF8.self)
  }
  return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
}
