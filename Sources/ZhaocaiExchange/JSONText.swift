import Foundation

/// JSON for the untyped documents of open data (`[String: Any]` releases and packages), read and
/// written in plain Swift. On Linux, JSONSerialization bridges every dictionary and array
/// through NSDictionary and NSArray, which made writing a record package most of its cost.
public enum JSONText {
  /// Compact JSON with sorted keys, slashes and non-ASCII text unescaped.
  public static func string(_ value: Any) -> String {
    String(decoding: bytes(value), as: UTF8.self)
  }

  /// The same, as UTF-8 bytes.
  public static func bytes(_ value: Any) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(4096)
    write(value, into: &out)
    return out
  }

  /// Native Swift values (`[String: Any]`, `[Any]`, String, Int64, Double, Bool, NSNull).
  public static func parse(_ data: Data) throws -> Any {
    var parser = Parser(bytes: [UInt8](data))
    let value = try parser.value()
    parser.skipSpace()
    guard parser.index == parser.bytes.count else { throw Parser.Failure(at: parser.index) }
    return value
  }

  /// The byte ranges of the elements of the array under `key` in a top-level object, found by
  /// one scan that only tracks strings and nesting, so the elements can be parsed apart (on
  /// several cores); nil if there is no such array.
  public static func elementRanges(ofArray key: String, in bytes: [UInt8]) -> [Range<Int>]? {
    let quoted = Array("\"\(key)\"".utf8)
    var depth = 0
    var index = 0
    var inString = false
    var target: Int?  // the depth of the array's elements, once inside it
    var ranges: [Range<Int>] = []
    var elementStart: Int?
    while index < bytes.count {
      let byte = bytes[index]
      if inString {
        if byte == UInt8(ascii: "\\") {
          index += 2
          continue
        }
        if byte == UInt8(ascii: "\"") { inString = false }
        index += 1
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        if depth == 1, target == nil, bytes[index...].starts(with: quoted) {
          // The key: skip it, the colon and spaces; an array must follow.
          var next = index + quoted.count
          while next < bytes.count, bytes[next] == 0x20 || bytes[next] == UInt8(ascii: ":") {
            next += 1
          }
          guard next < bytes.count, bytes[next] == UInt8(ascii: "[") else { return nil }
          depth += 1
          target = depth
          index = next + 1
          continue
        }
        if let target, depth == target, elementStart == nil { elementStart = index }
        inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        if let target, depth == target, elementStart == nil { elementStart = index }
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        if let target, depth == target {  // the array closes
          if let start = elementStart { ranges.append(start..<index) }
          return ranges
        }
        depth -= 1
      case UInt8(ascii: ","):
        if let target, depth == target, let start = elementStart {
          ranges.append(start..<index)
          elementStart = nil
        }
      case 0x20, 0x0A, 0x0D, 0x09:
        break
      default:
        if let target, depth == target, elementStart == nil { elementStart = index }
      }
      index += 1
    }
    return nil
  }

  /// Parses one value at `range` of `bytes` (as `elementRanges` found it).
  public static func parse(_ bytes: [UInt8], in range: Range<Int>) throws -> Any {
    var parser = Parser(bytes: bytes, index: range.lowerBound)
    let value = try parser.value()
    parser.skipSpace()
    guard parser.index == range.upperBound else { throw Parser.Failure(at: parser.index) }
    return value
  }

  private static func write(_ value: Any, into out: inout [UInt8]) {
    // Containers first: testing a Swift dictionary against a bridged type (Bool, NSNumber)
    // bridges the whole dictionary on Linux.
    switch value {
    case let object as [String: Any]:
      out.append(UInt8(ascii: "{"))
      var first = true
      for (key, element) in object.sorted(by: { $0.key < $1.key }) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        write(element, into: &out)
      }
      out.append(UInt8(ascii: "}"))
    case let array as [Any]:
      out.append(UInt8(ascii: "["))
      for (index, element) in array.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        write(element, into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case let text as String:
      writeString(text, into: &out)
    case let number as Int64:
      out += String(number).utf8
    case let number as Int:
      out += String(number).utf8
    case let number as Double:
      if number.rounded() == number, abs(number) < 1e15 {
        out += String(Int64(number)).utf8
      } else {
        out += "\(number)".utf8
      }
    case let flag as Bool:
      out += flag ? Array("true".utf8) : Array("false".utf8)
    case let number as NSNumber:
      out += number.stringValue.utf8
    default:
      out += "null".utf8
    }
  }

  private static let hex = Array("0123456789abcdef".utf8)

  private static func writeString(_ text: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    // Most strings need no escape: scanned and copied straight from their UTF-8 storage.
    var text = text
    let copied = text.withUTF8 { bytes -> Bool in
      for byte in bytes
      where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
        return false
      }
      out.append(contentsOf: bytes)
      return true
    }
    if copied {
      out.append(UInt8(ascii: "\""))
      return
    }
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
      case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
      case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0..<0x20:
        out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// A recursive-descent reader of RFC 8259 JSON into native values.
  struct Parser {
    struct Failure: Error { let at: Int }
    let bytes: [UInt8]
    var index = 0

    mutating func skipSpace() {
      while index < bytes.count,
        bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
          || bytes[index] == 0x09
      {
        index += 1
      }
    }

    mutating func value() throws -> Any {
      skipSpace()
      guard index < bytes.count else { throw Failure(at: index) }
      switch bytes[index] {
      case UInt8(ascii: "{"):
        index += 1
        var object = [String: Any](minimumCapacity: 8)
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
          index += 1
          return object
        }
        while true {
          skipSpace()
          let key = try string()
          skipSpace()
          try expect(UInt8(ascii: ":"))
          object[key] = try value()
          skipSpace()
          guard index < bytes.count else { throw Failure(at: index) }
          if bytes[index] == UInt8(ascii: ",") {
            index += 1
            continue
          }
          try expect(UInt8(ascii: "}"))
          return object
        }
      case UInt8(ascii: "["):
        index += 1
        var array: [Any] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
          index += 1
          return array
        }
        while true {
          array.append(try value())
          skipSpace()
          guard index < bytes.count else { throw Failure(at: index) }
          if bytes[index] == UInt8(ascii: ",") {
            index += 1
            continue
          }
          try expect(UInt8(ascii: "]"))
          return array
        }
      case UInt8(ascii: "\""):
        return try string()
      case UInt8(ascii: "t"):
        try literal("true")
        return true
      case UInt8(ascii: "f"):
        try literal("false")
        return false
      case UInt8(ascii: "n"):
        try literal("null")
        return NSNull()
      default:
        return try number()
      }
    }

    mutating func expect(_ byte: UInt8) throws {
      guard index < bytes.count, bytes[index] == byte else { throw Failure(at: index) }
      index += 1
    }

    mutating func literal(_ word: String) throws {
      for byte in word.utf8 { try expect(byte) }
    }

    mutating func number() throws -> Any {
      let start = index
      // Integers (most numbers here) without an intermediate string.
      var negative = false
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
        negative = true
        index += 1
      }
      var integer: Int64 = 0
      var digits = 0
      while index < bytes.count, bytes[index] >= UInt8(ascii: "0"),
        bytes[index] <= UInt8(ascii: "9"),
        digits < 18
      {
        integer = integer * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
        index += 1
        digits += 1
      }
      let next = index < bytes.count ? bytes[index] : 0
      if digits > 0, !(next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9")),
        next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E")
      {
        return negative ? -integer : integer
      }
      index = start
      var integral = true
      while index < bytes.count {
        let byte = bytes[index]
        if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") || byte == UInt8(ascii: "-") {
          index += 1
        } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
          || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
        {
          integral = false
          index += 1
        } else {
          break
        }
      }
      let text = String(decoding: bytes[start..<index], as: UTF8.self)
      if integral, let integer = Int64(text) { return integer }
      guard let number = Double(text) else { throw Failure(at: start) }
      return number
    }

    mutating func string() throws -> String {
      try expect(UInt8(ascii: "\""))
      let start = index
      // The common case: no escapes, one copy.
      while index < bytes.count, bytes[index] != UInt8(ascii: "\""),
        bytes[index] != UInt8(ascii: "\\")
      {
        index += 1
      }
      guard index < bytes.count else { throw Failure(at: start) }
      if bytes[index] == UInt8(ascii: "\"") {
        index += 1
        return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
      }
      var out = Array(bytes[start..<index])
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
        guard byte == UInt8(ascii: "\\") else {
          out.append(byte)
          continue
        }
        guard index < bytes.count else { break }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"):
          var scalar = try hexQuad()
          if (0xD800..<0xDC00).contains(scalar) {
            try literal("\\u")
            let low = try hexQuad()
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let unicode = Unicode.Scalar(scalar) else { throw Failure(at: index) }
          out += Array(String(Character(unicode)).utf8)
        default: out.append(escape)
        }
      }
      throw Failure(at: start)
    }

    mutating func hexQuad() throws -> UInt32 {
      guard index + 4 <= bytes.count,
        let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
      else { throw Failure(at: index) }
      index += 4
      return value
    }
  }
}
