/// A font's ToUnicode CMap (ISO 32000-1 §9.10.3): the character codes a content stream shows,
/// mapped to the text they stand for. Chinese PDFs set their text in CID fonts whose codes are
/// glyph numbers, so without this map their text cannot be read at all.
struct PDFToUnicode: Equatable {
  /// Bytes per code (the first codespace range's; 1 or 2 in practice).
  var codeBytes = 1
  var map: [UInt32: String] = [:]

  /// The most codes one map holds (a CJK font maps some tens of thousands).
  static let maxCodes = 1 << 17

  /// The map a CMap stream declares; ranges beyond 65,536 codes are cut there, and the whole
  /// map at `maxCodes`.
  init(_ cmap: [UInt8]) {
    var lexer = PDFLexer(cmap)
    var operands: [PDFValue] = []
    var section = ""
    var sawCodespace = false
    while map.count < Self.maxCodes, let value = lexer.value() {
      guard case .keyword(let word) = value else {
        operands.append(value)
        continue
      }
      switch word {
      case "begincodespacerange", "beginbfchar", "beginbfrange":
        section = word
        operands = []
      case "endcodespacerange":
        if !sawCodespace, let low = operands.first?.bytes, (1...4).contains(low.count) {
          codeBytes = low.count
          sawCodespace = true
        }
        section = ""
      case "endbfchar":
        for pair in stride(from: 0, to: operands.count - 1, by: 2) {
          if let source = operands[pair].bytes, let target = operands[pair + 1].bytes {
            map[Self.code(source)] = Self.utf16(target)
          }
        }
        section = ""
      case "endbfrange":
        for triple in stride(from: 0, to: operands.count - 2, by: 3) {
          guard let low = operands[triple].bytes, let high = operands[triple + 1].bytes else {
            continue
          }
          let (first, last) = (Self.code(low), Self.code(high))
          guard first <= last, map.count < Self.maxCodes else { continue }
          let count = min(Int(last - first), 65_535, Self.maxCodes - map.count)
          if let targets = operands[triple + 2].array {
            for (offset, target) in targets.prefix(count + 1).enumerated() {
              if let bytes = target.bytes { map[first + UInt32(offset)] = Self.utf16(bytes) }
            }
          } else if let start = operands[triple + 2].bytes, !start.isEmpty {
            // Consecutive codes map to consecutive text: the last byte counts up.
            for offset in 0...count {
              var target = start
              let bumped = Int(target[target.count - 1]) + offset
              target[target.count - 1] = UInt8(truncatingIfNeeded: bumped)
              if bumped > 0xFF, target.count >= 2 {
                target[target.count - 2] &+= UInt8(truncatingIfNeeded: bumped >> 8)
              }
              map[first + UInt32(offset)] = Self.utf16(target)
            }
          }
        }
        section = ""
      default:
        if section.isEmpty { operands = [] }
      }
    }
  }

  /// The text of a shown string.
  func text(_ shown: [UInt8]) -> String {
    var out = ""
    var index = 0
    while index + codeBytes <= shown.count {
      let code = Self.code(shown[index..<(index + codeBytes)])
      out += map[code] ?? ""
      index += codeBytes
    }
    return out
  }

  static func code(_ bytes: some Collection<UInt8>) -> UInt32 {
    bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
  }

  static func utf16(_ bytes: [UInt8]) -> String {
    let units = stride(from: 0, to: bytes.count - 1, by: 2).map {
      UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
    }
    return String(decoding: units, as: UTF16.self)
  }
}
