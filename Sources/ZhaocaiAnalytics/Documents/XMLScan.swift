import Foundation

/// Just enough of XML for Office files: the text inside named elements and the values of named
/// attributes, found by one pass over the bytes. No DTD, no entity but the five predefined and
/// numeric references: an Office part needs nothing else, and nothing a file says can expand.
enum XMLScan {
  /// The text of every `textElements` element, a line break after each `breakElements` end tag
  /// and a space for each `spaceElements` tag, stopping at `limit` characters.
  static func text(
    _ xml: [UInt8], textElements: Set<String>, breakElements: Set<String> = [],
    spaceElements: Set<String> = [], limit: Int
  ) -> String {
    var output = ""
    var count = 0
    var index = 0
    var inText = false
    while index < xml.count, count < limit {
      if xml[index] == UInt8(ascii: "<") {
        guard let close = xml[index...].firstIndex(of: UInt8(ascii: ">")) else { break }
        let tag = xml[(index + 1)..<close]
        let closing = tag.first == UInt8(ascii: "/")
        let selfClosing = tag.last == UInt8(ascii: "/")
        let name = Self.name(of: closing ? tag.dropFirst() : tag)
        if closing {
          if textElements.contains(name) { inText = false }
          if breakElements.contains(name) {
            output.append("\n")
            count += 1
          }
        } else if textElements.contains(name) {
          inText = !selfClosing
        } else if spaceElements.contains(name) {
          output.append(" ")
          count += 1
        }
        index = close + 1
        continue
      }
      let end = xml[index...].firstIndex(of: UInt8(ascii: "<")) ?? xml.count
      if inText {
        let piece = decode(xml[index..<end])
        let room = limit - count
        if piece.count > room {
          output += piece.prefix(room)
          count = limit
        } else {
          output += piece
          count += piece.count
        }
      }
      index = end
    }
    return output
  }

  /// The value of `attribute` on every `element` tag, in order.
  static func attributeValues(_ xml: [UInt8], element: String, attribute: String, limit: Int)
    -> [String]
  {
    var values: [String] = []
    var index = 0
    while index < xml.count, values.count < limit {
      guard let open = xml[index...].firstIndex(of: UInt8(ascii: "<")),
        let close = xml[open...].firstIndex(of: UInt8(ascii: ">"))
      else { break }
      let tag = xml[(open + 1)..<close]
      if name(of: tag) == element, let value = Self.attribute(attribute, in: tag) {
        values.append(value)
      }
      index = close + 1
    }
    return values
  }

  /// The text of the first `element`, or nil.
  static func firstText(_ xml: [UInt8], element: String) -> String? {
    let found = text(xml, textElements: [element], breakElements: [element], limit: 1_000)
    let first = found.split(separator: "\n", omittingEmptySubsequences: true).first
    return first.map { String($0).trimmingCharacters(in: .whitespaces) }
      .flatMap { $0.isEmpty ? nil : $0 }
  }

  private static func name(of tag: ArraySlice<UInt8>) -> String {
    let end =
      tag.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "/") || $0 < 0x21 }
      ?? tag.endIndex
    return String(decoding: tag[tag.startIndex..<end], as: UTF8.self)
  }

  private static func attribute(_ attribute: String, in tag: ArraySlice<UInt8>) -> String? {
    let key = Array((" " + attribute + "=").utf8)
    var index = tag.startIndex
    while index + key.count < tag.endIndex {
      if tag[index..<(index + key.count)].elementsEqual(key) {
        let quote = tag[index + key.count]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        let start = index + key.count + 1
        guard let end = tag[start...].firstIndex(of: quote) else { return nil }
        return decode(tag[start..<end])
      }
      index += 1
    }
    return nil
  }

  /// Text with the predefined and numeric character references replaced.
  static func decode(_ bytes: ArraySlice<UInt8>) -> String {
    let raw = String(decoding: bytes, as: UTF8.self)
    guard raw.contains("&") else { return raw }
    var output = ""
    var rest = Substring(raw)
    while let amp = rest.firstIndex(of: "&") {
      output += rest[rest.startIndex..<amp]
      guard let semi = rest[amp...].prefix(12).firstIndex(of: ";") else {
        output += "&"
        rest = rest[rest.index(after: amp)...]
        continue
      }
      let entity = rest[rest.index(after: amp)..<semi]
      switch entity {
      case "lt": output += "<"
      case "gt": output += ">"
      case "amp": output += "&"
      case "quot": output += "\""
      case "apos": output += "'"
      default:
        let number: UInt32? =
          entity.hasPrefix("#x") || entity.hasPrefix("#X")
          ? UInt32(entity.dropFirst(2), radix: 16)
          : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
        if let number, let scalar = Unicode.Scalar(number) {
          output.unicodeScalars.append(scalar)
        } else {
          output += "&" + entity + ";"
        }
      }
      rest = rest[rest.index(after: semi)...]
    }
    return output + rest
  }
}
