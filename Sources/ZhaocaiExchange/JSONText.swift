import Foundation

/// JSON for the documents of open data (releases, records and packages), read and written in
/// plain Swift as `JSONValue`. On Linux, JSONSerialization bridges every dictionary and array
/// through NSDictionary and NSArray, which made writing a record package most of its cost.
public enum JSONText {
  /// Compact JSON with sorted keys, slashes and non-ASCII text unescaped.
  public static func string(_ value: JSONValue) -> String {
    String(decoding: bytes(value), as: UTF8.self)
  }

  /// The same, as UTF-8 bytes.
  public static func bytes(_ value: JSONValue) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(4096)
    write(value, into: &out)
    return out
  }

  /// One JSON text.
  public static func parseValue(_ data: Data) throws -> JSONValue {
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
  public static func parseValue(_ bytes: [UInt8], in range: Range<Int>) throws -> JSONValue {
    var parser = Parser(bytes: bytes, index: range.lowerBound)
    let value = try parser.value()
    parser.skipSpace()
    guard parser.index == range.upperBound else { throw Parser.Failure(at: parser.index) }
    return value
  }

  private static func write(_ value: JSONValue, into out: inout [UInt8]) {
    switch value {
    case .object(let object):
      out.append(UInt8(ascii: "{"))
      for (index, member) in object.members.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        writeString(member.key, into: &out)
        out.append(UInt8(ascii: ":"))
        write(member.value, into: &out)
      }
      out.append(UInt8(ascii: "}"))
    case .array(let array):
      out.append(UInt8(ascii: "["))
      for (index, element) in array.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        write(element, into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .string(let text):
      writeString(text, into: &out)
    case .integer(let number):
      writeInteger(number, into: &out)
    case .number(let number):
      if number.rounded() == number, abs(number) < 1e15 {
        writeInteger(Int64(number), into: &out)
      } else {
        out += "\(number)".utf8
      }
    case .bool(let flag):
      out += flag ? Array("true".utf8) : Array("false".utf8)
    case .null:
      out += "null".utf8
    }
  }

  /// Decimal digits written straight into `out`, without an intermediate string.
  private static func writeInteger(_ number: Int64, into out: inout [UInt8]) {
    if number < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = number.magnitude
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) = (
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      )
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0
      out.append(contentsOf: buffer[(20 - count)...])
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
    /// How deep arrays and objects nest now; a document nested deeper than `maxDepth` is refused
    /// rather than recursed into until the stack overflows.
    var depth = 0
    static let maxDepth = 256

    mutating func skipSpace() {
      while index < bytes.count,
        bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
          || bytes[index] == 0x09
      {
        index += 1
      }
    }

    mutating func value() throws -> JSONValue {
      skipSpace()
      guard index < bytes.count, depth < Self.maxDepth else { throw Failure(at: index) }
      depth += 1
      defer { depth -= 1 }
      switch bytes[index] {
      case UInt8(ascii: "{"):
        index += 1
        var members: [JSONObject.Member] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
          index += 1
          return .object(JSONObject())
        }
        while true {
          skipSpace()
          let key = try string()
          skipSpace()
          try expect(UInt8(ascii: ":"))
          members.append(JSONObject.Member(key: key, value: try value()))
          skipSpace()
          guard index < bytes.count else { throw Failure(at: index) }
          if bytes[index] == UInt8(ascii: ",") {
            index += 1
            continue
          }
          try expect(UInt8(ascii: "}"))
          return .object(JSONObject(members: members))
        }
      case UInt8(ascii: "["):
        index += 1
        var array: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
          index += 1
          return .array(array)
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
          return .array(array)
        }
      case UInt8(ascii: "\""):
        return .string(try string())
      case UInt8(ascii: "t"):
        try literal("true")
        return .bool(true)
      case UInt8(ascii: "f"):
        try literal("false")
        return .bool(false)
      case UInt8(ascii: "n"):
        try literal("null")
        return .null
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

    mutating func number() throws -> JSONValue {
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
        return .integer(negative ? -integer : integer)
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
      if integral, let integer = Int64(text) { return .integer(integer) }
      guard let number = Double(text) else { throw Failure(at: start) }
      return .number(number)
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
            guard (0xDC00..<0xE000).contains(low) else { throw Failure(at: index) }
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
