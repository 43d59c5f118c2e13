/// The entries of a ZIP file (.docx, .xlsx), read from its central directory: names, and the
/// bytes of one entry on request, inflated within a limit. ZIP64, encrypted and multi-disk
/// archives are refused; so is any offset or length that points outside the file.
struct ZipArchive {
  /// Why an archive or one of its entries could not be read.
  enum Failure: Error, Equatable {
    case notZip
    case unsupported(String)
    case damaged(String)
    case tooLarge
  }

  struct Entry: Equatable {
    let name: String
    let method: UInt16
    let compressedSize: Int
    let size: Int
    let localHeaderOffset: Int
  }

  static let maximumEntries = 10_000
  private let bytes: [UInt8]
  let entries: [Entry]

  /// A file whose first bytes are a ZIP local header.
  static func looksLikeZip(_ bytes: [UInt8]) -> Bool {
    bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
  }

  init(_ bytes: [UInt8]) throws(Failure) {
    self.bytes = bytes
    // The end record is in the last 22 bytes plus at most a 65,535-byte comment.
    guard bytes.count >= 22 else { throw .notZip }
    var end: Int?
    var position = bytes.count - 22
    let lowest = max(0, bytes.count - 22 - 65_535)
    while position >= lowest {
      if Self.u32(bytes, position) == 0x0605_4B50 {
        end = position
        break
      }
      position -= 1
    }
    guard let end else { throw .notZip }
    let count = Int(Self.u16(bytes, end + 10))
    let directorySize = Int(Self.u32(bytes, end + 12))
    let directoryOffset = Int(Self.u32(bytes, end + 16))
    guard Self.u16(bytes, end + 4) == 0, Self.u16(bytes, end + 6) == 0 else {
      throw .unsupported("multi-disk archive")
    }
    guard count != 0xFFFF, directoryOffset != 0xFFFF_FFFF else { throw .unsupported("ZIP64") }
    guard count <= Self.maximumEntries else { throw .tooLarge }
    guard directoryOffset + directorySize <= end else { throw .damaged("central directory") }
    var entries: [Entry] = []
    var cursor = directoryOffset
    for _ in 0..<count {
      guard cursor + 46 <= end, Self.u32(bytes, cursor) == 0x0201_4B50 else {
        throw .damaged("central directory entry")
      }
      let flags = Self.u16(bytes, cursor + 8)
      let method = Self.u16(bytes, cursor + 10)
      let compressed = Int(Self.u32(bytes, cursor + 20))
      let size = Int(Self.u32(bytes, cursor + 24))
      let nameLength = Int(Self.u16(bytes, cursor + 28))
      let extraLength = Int(Self.u16(bytes, cursor + 30))
      let commentLength = Int(Self.u16(bytes, cursor + 32))
      let local = Int(Self.u32(bytes, cursor + 42))
      let nameEnd = cursor + 46 + nameLength
      guard nameEnd <= end else { throw .damaged("entry name") }
      if flags & 1 != 0 { throw .unsupported("encrypted entries") }
      if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
        throw .unsupported("ZIP64")
      }
      entries.append(
        Entry(
          name: String(decoding: bytes[(cursor + 46)..<nameEnd], as: UTF8.self), method: method,
          compressedSize: compressed, size: size, localHeaderOffset: local))
      cursor = nameEnd + extraLength + commentLength
    }
    self.entries = entries
  }

  func entry(named name: String) -> Entry? {
    entries.first { $0.name == name }
  }

  /// The bytes of `entry`, stored or deflated, refused beyond `limit` bytes.
  func data(of entry: Entry, limit: Int) throws(Failure) -> [UInt8] {
    guard entry.size <= limit else { throw .tooLarge }
    let header = entry.localHeaderOffset
    guard header + 30 <= bytes.count, Self.u32(bytes, header) == 0x0403_4B50 else {
      throw .damaged("local header of \(entry.name)")
    }
    let start = header + 30 + Int(Self.u16(bytes, header + 26)) + Int(Self.u16(bytes, header + 28))
    guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
      throw .damaged("data of \(entry.name)")
    }
    let stored = bytes[start..<(start + entry.compressedSize)]
    switch entry.method {
    case 0:
      guard entry.compressedSize == entry.size else { throw .damaged("size of \(entry.name)") }
      return Array(stored)
    case 8:
      do {
        // The declared size bounds the output: an entry inflating past it is damaged.
        let inflated = try Inflate.raw(stored, limit: max(entry.size, 1))
        guard inflated.count == entry.size else { throw Failure.damaged("size of \(entry.name)") }
        return inflated
      } catch let failure as Failure {
        throw failure
      } catch {
        throw .damaged("deflate data of \(entry.name)")
      }
    default:
      throw .unsupported("compression method \(entry.method)")
    }
  }

  private static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    guard at >= 0, at + 2 <= bytes.count else { return 0 }
    return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
  }

  private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    guard at >= 0, at + 4 <= bytes.count else { return 0 }
    return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
      | UInt32(bytes[at + 3]) << 24
  }
}
