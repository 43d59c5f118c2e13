import Foundation

/// Appends big-endian integers and length-prefixed fields to a byte buffer.
struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func u8(_ value: UInt8) { bytes.append(value) }

  mutating func u16(_ value: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    bytes.append(UInt8(truncatingIfNeeded: value))
  }

  mutating func u32(_ value: UInt32) {
    for shift in stride(from: 24, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
    }
  }

  mutating func i64(_ value: Int64) {
    let raw = UInt64(bitPattern: value)
    for shift in stride(from: 56, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: raw >> UInt64(shift)))
    }
  }

  mutating func raw<S: Sequence>(_ data: S) where S.Element == UInt8 {
    bytes.append(contentsOf: data)
  }

  /// A field preceded by its length as u16; the caller has checked the length fits.
  mutating func field<C: Collection>(_ data: C) where C.Element == UInt8 {
    u16(UInt16(data.count))
    bytes.append(contentsOf: data)
  }
}

/// Reads what `ByteWriter` wrote; every read fails with `nil` past the end.
struct ByteReader {
  let bytes: [UInt8]
  private(set) var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var isAtEnd: Bool { offset == bytes.count }

  mutating func u8() -> UInt8? {
    guard offset < bytes.count else { return nil }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func u16() -> UInt16? {
    guard let hi = u8(), let lo = u8() else { return nil }
    return UInt16(hi) << 8 | UInt16(lo)
  }

  mutating func u32() -> UInt32? {
    guard let hi = u16(), let lo = u16() else { return nil }
    return UInt32(hi) << 16 | UInt32(lo)
  }

  mutating func i64() -> Int64? {
    guard let hi = u32(), let lo = u32() else { return nil }
    return Int64(bitPattern: UInt64(hi) << 32 | UInt64(lo))
  }

  mutating func raw(_ count: Int) -> [UInt8]? {
    guard count >= 0, bytes.count - offset >= count else { return nil }
    defer { offset += count }
    return Array(bytes[offset..<offset + count])
  }

  mutating func field() -> [UInt8]? {
    guard let count = u16() else { return nil }
    return raw(Int(count))
  }
}

extension Sequence where Element == UInt8 {
  /// Lower-case hexadecimal.
  public var hex: String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in self {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

extension Array where Element == UInt8 {
  /// Bytes from hexadecimal (either case, whitespace ignored), or nil.
  public init?(hex: String) {
    var out: [UInt8] = []
    var high: UInt8?
    for char in hex.utf8 where char != 0x20 && char != 0x0a {
      let nibble: UInt8
      switch char {
      case 0x30...0x39: nibble = char - 0x30
      case 0x61...0x66: nibble = char - 0x61 + 10
      case 0x41...0x46: nibble = char - 0x41 + 10
      default: return nil
      }
      if let h = high {
        out.append(h << 4 | nibble)
        high = nil
      } else {
        high = nibble
      }
    }
    guard high == nil else { return nil }
    self = out
  }
}

/// Compares two byte sequences without an early exit, so timing does not reveal where they differ.
public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
  guard a.count == b.count else { return false }
  var diff: UInt8 = 0
  for i in a.indices { diff |= a[i] ^ b[i] }
  return diff == 0
}

/// Random bytes from the system's CSPRNG.
public func secureRandomBytes(_ count: Int) -> [UInt8] {
  var generator = SystemRandomNumberGenerator()
  return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}
