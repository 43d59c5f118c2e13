import Foundation

/// A PDF's text, properties and ids, read as far as a text comparison needs: every indirect
/// object (objects inside object streams too), each page's content streams shown through their
/// fonts' ToUnicode maps (so CID-keyed Chinese text reads), the document information dictionary
/// (author, creator, producer), the trailer's `/ID` and the XMP document ids. Streams are
/// inflated (FlateDecode) within the limits; other filters (images, JBIG2) are not read, nor is
/// an encrypted PDF, which is named as such.
enum PDFText {
  struct Result: Equatable {
    var text: String = ""
    var properties: [String: String] = [:]
    var identifiers: [String: [String]] = [:]
    var unread: String? = nil
  }

  /// One indirect object: its value (a stream's dictionary) and its decoded stream, if any.
  struct Object {
    var value: PDFValue
    var stream: [UInt8]?
  }

  /// The most objects read from one file.
  static let maxObjects = 200_000

  static func read(_ bytes: [UInt8], limits: DocumentLimits) -> Result {
    var result = Result()
    var budget = limits.partBytes * 4
    var objects = indirectObjects(bytes, limits: limits, budget: &budget)
    for (_, object) in objects where object.value.dictionary?["Type"]?.name == "ObjStm" {
      guard let stream = object.stream, let dictionary = object.value.dictionary else { continue }
      for (number, value) in objectStream(stream, dictionary) where objects[number] == nil {
        objects[number] = Object(value: value, stream: nil)
      }
      if objects.count > maxObjects { break }
    }
    let trailer = trailers(bytes)
    if trailer.contains(where: { $0["Encrypt"] != nil }) {
      result.unread = "an encrypted PDF"
      return result
    }
    properties(trailer, objects, into: &result)
    result.text = pageText(objects, limit: limits.characters)
    if objects.isEmpty {
      result.unread = "no PDF objects found"
    } else if result.text.allSatisfy(\.isWhitespace) {
      result.text = ""
      result.unread = "a PDF with no text (scanned pages are images)"
    }
    return result
  }

  // MARK: Objects

  /// Every `N G obj … endobj` in the file, its stream decoded where it is FlateDecode or plain.
  static func indirectObjects(_ bytes: [UInt8], limits: DocumentLimits, budget: inout Int)
    -> [Int: Object]
  {
    var objects: [Int: Object] = [:]
    var index = 0
    let obj = Array("obj".utf8)
    while let found = search(obj, in: bytes, from: index), objects.count < maxObjects {
      index = found + 3
      guard let number = objectNumber(before: found, in: bytes),
        index < bytes.count, PDFLexer.isWhite(bytes[index]) || PDFLexer.isDelimiter(bytes[index])
      else { continue }
      var lexer = PDFLexer(bytes, from: index)
      guard let value = lexer.value() else { continue }
      var object = Object(value: value, stream: nil)
      lexer.skipWhite()
      let streamWord = Array("stream".utf8)
      if let dictionary = value.dictionary,
        bytes[min(lexer.position, bytes.count)...].starts(with: streamWord)
      {
        var start = lexer.position + streamWord.count
        if start < bytes.count, bytes[start] == 0x0D { start += 1 }
        if start < bytes.count, bytes[start] == 0x0A { start += 1 }
        let stop = search(Array("endstream".utf8), in: bytes, from: start) ?? bytes.count
        object.stream = decode(bytes[start..<stop], dictionary, limits: limits, budget: &budget)
        index = stop
      }
      objects[number] = object
    }
    return objects
  }

  /// The object number of `N G obj` whose `obj` is at `position`.
  static func objectNumber(before position: Int, in bytes: [UInt8]) -> Int? {
    var cursor = position - 1
    func number() -> Int? {
      while cursor >= 0, PDFLexer.isWhite(bytes[cursor]) { cursor -= 1 }
      let end = cursor + 1
      while cursor >= 0, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[cursor]),
        end - cursor <= 10
      {
        cursor -= 1
      }
      return cursor + 1 < end
        ? Int(String(decoding: bytes[(cursor + 1)..<end], as: UTF8.self)) : nil
    }
    guard number() != nil, let object = number() else { return nil }
    return object
  }

  /// A stream's data as its filter leaves it: inflated, kept as is, or nil (not read).
  static func decode(
    _ data: ArraySlice<UInt8>, _ dictionary: [String: PDFValue], limits: DocumentLimits,
    budget: inout Int
  ) -> [UInt8]? {
    let filters: [String] =
      dictionary["Filter"]?.name.map { [$0] }
      ?? dictionary["Filter"]?.array?.compactMap(\.name) ?? []
    switch filters {
    case []:
      return Array(data)
    case ["FlateDecode"]:
      // Text compresses ten-fold or so; a stream claiming more than 200-fold is not text.
      let limit = min(limits.partBytes, budget, max(1 << 16, data.count * 200))
      guard limit > 0, let inflated = try? Inflate.zlib(data, limit: limit) else { return nil }
      budget -= inflated.count
      return inflated
    default:
      return nil
    }
  }

  /// The objects of an object stream (`/Type /ObjStm`): `/N` pairs of number and offset, then
  /// the objects from `/First`.
  static func objectStream(_ stream: [UInt8], _ dictionary: [String: PDFValue])
    -> [(Int, PDFValue)]
  {
    guard let count = dictionary["N"]?.number, let first = dictionary["First"]?.number,
      count >= 0, count < 100_000, first >= 0, Int(first) < stream.count
    else { return [] }
    var header = PDFLexer(stream, to: Int(first))
    var entries: [(Int, Int)] = []
    while entries.count < Int(count), let number = header.value()?.number,
      let offset = header.value()?.number
    {
      entries.append((Int(number), Int(first) + Int(offset)))
    }
    return entries.compactMap { number, offset in
      guard offset >= 0, offset < stream.count else { return nil }
      var lexer = PDFLexer(stream, from: offset)
      return lexer.value().map { (number, $0) }
    }
  }

  /// Each trailer dictionary (`trailer << … >>`) and each cross-reference stream's dictionary.
  static func trailers(_ bytes: [UInt8]) -> [[String: PDFValue]] {
    var found: [[String: PDFValue]] = []
    var index = 0
    while let at = search(Array("trailer".utf8), in: bytes, from: index), found.count < 64 {
      var lexer = PDFLexer(bytes, from: at + 7)
      if let dictionary = lexer.value()?.dictionary { found.append(dictionary) }
      index = at + 7
    }
    // A cross-reference stream carries the trailer's keys itself.
    index = 0
    while let at = search(Array("/XRef".utf8), in: bytes, from: index), found.count < 128 {
      index = at + 5
      guard let open = lastSearch(Array("<<".utf8), in: bytes, before: at) else { continue }
      var lexer = PDFLexer(bytes, from: open)
      if let dictionary = lexer.value()?.dictionary, dictionary["Type"]?.name == "XRef" {
        found.append(dictionary)
      }
    }
    return found
  }

  // MARK: Properties and ids

  static func properties(
    _ trailers: [[String: PDFValue]], _ objects: [Int: Object], into result: inout Result
  ) {
    func resolved(_ value: PDFValue?) -> PDFValue? {
      guard let number = value?.reference else { return value }
      return objects[number]?.value
    }
    for trailer in trailers {
      if let ids = trailer["ID"]?.array?.compactMap(\.bytes), !ids.isEmpty {
        let hex = ids.map { $0.map { String(format: "%02x", $0) }.joined() }
        result.identifiers["pdf:ID", default: []].append(contentsOf: hex)
      }
      guard let info = resolved(trailer["Info"])?.dictionary else { continue }
      for (key, property) in [
        ("Author", "author"), ("Creator", "creator"), ("Producer", "producer"),
      ] {
        if let bytes = resolved(info[key])?.bytes {
          let text = pdfTextString(bytes).trimmingCharacters(in: .whitespacesAndNewlines)
          if !text.isEmpty { result.properties[property] = String(text.prefix(200)) }
        }
      }
    }
    if let ids = result.identifiers["pdf:ID"] {
      result.identifiers["pdf:ID"] = Array(Set(ids)).sorted()
    }
    // XMP metadata: the document id a copy keeps, and the tool where the dictionary has none.
    for object in objects.values where object.value.dictionary?["Type"]?.name == "Metadata" {
      guard let stream = object.stream else { continue }
      let xml = String(decoding: stream.prefix(1 << 20), as: UTF8.self)
      for (tag, kind) in [("xmpMM:DocumentID", "xmp:DocumentID")] {
        if let value = element(tag, in: xml) {
          result.identifiers[kind, default: []].append(value)
        }
      }
      if result.properties["creator"] == nil, let tool = element("xmp:CreatorTool", in: xml) {
        result.properties["creator"] = tool
      }
      if result.properties["producer"] == nil, let tool = element("pdf:Producer", in: xml) {
        result.properties["producer"] = tool
      }
    }
  }

  /// The text of `<tag>…</tag>` or of the attribute `tag="…"`, trimmed.
  static func element(_ tag: String, in xml: String) -> String? {
    if let open = xml.range(of: "<\(tag)>"),
      let close = xml.range(of: "</\(tag)>", range: open.upperBound..<xml.endIndex)
    {
      let value = xml[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
      return value.isEmpty ? nil : String(value.prefix(200))
    }
    if let open = xml.range(of: "\(tag)=\""),
      let close = xml.range(of: "\"", range: open.upperBound..<xml.endIndex)
    {
      let value = xml[open.upperBound..<close.lowerBound]
      return value.isEmpty ? nil : String(value.prefix(200))
    }
    return nil
  }

  // MARK: Page text

  /// The pages' text in page-tree order where the tree is whole, else in object order.
  static func pageText(_ objects: [Int: Object], limit: Int) -> String {
    func resolved(_ value: PDFValue?) -> PDFValue? {
      guard let number = value?.reference else { return value }
      return objects[number]?.value
    }
    var pages = orderedPages(objects)
    if pages.isEmpty {
      pages = objects.keys.sorted().filter {
        objects[$0]?.value.dictionary?["Type"]?.name == "Page"
      }
    }
    var text = ""
    for number in pages {
      guard let page = objects[number]?.value.dictionary else { continue }
      // Resources may be inherited from the page tree.
      var resources = resolved(page["Resources"])?.dictionary
      var parent = page["Parent"]
      var hops = 0
      while resources == nil, let up = resolved(parent)?.dictionary, hops < 32 {
        resources = resolved(up["Resources"])?.dictionary
        parent = up["Parent"]
        hops += 1
      }
      var fonts: [String: PDFToUnicode] = [:]
      for (name, reference) in resolved(resources?["Font"])?.dictionary ?? [:] {
        guard let font = resolved(reference)?.dictionary,
          let map = font["ToUnicode"]?.reference, let cmap = objects[map]?.stream
        else { continue }
        fonts[name] = PDFToUnicode(cmap)
      }
      let contents: [PDFValue] =
        resolved(page["Contents"])?.array ?? (page["Contents"].map { [$0] } ?? [])
      var stream: [UInt8] = []
      for content in contents {
        if let number = content.reference, let data = objects[number]?.stream {
          stream += data + [0x0A]
        }
      }
      text += ContentText.read(stream, fonts: fonts, limit: limit - text.count)
      text += "\n"
      if text.count >= limit { break }
    }
    return String(text.prefix(limit))
  }

  /// The page objects in the order the page tree lists them (from the catalog's `/Pages`).
  static func orderedPages(_ objects: [Int: Object]) -> [Int] {
    guard
      let catalog = objects.values.first(where: {
        $0.value.dictionary?["Type"]?.name == "Catalog"
      })?.value.dictionary,
      let root = catalog["Pages"]?.reference
    else { return [] }
    var pages: [Int] = []
    var stack = [root]
    var seen: Set<Int> = []
    while let number = stack.popLast(), pages.count < 100_000 {
      guard seen.insert(number).inserted, let node = objects[number]?.value.dictionary else {
        continue
      }
      if node["Type"]?.name == "Page" {
        pages.append(number)
      } else {
        stack += (node["Kids"]?.array?.compactMap(\.reference) ?? []).reversed()
      }
    }
    return pages
  }

  // MARK: Byte search

  static func search(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
    guard let first = needle.first, start >= 0 else { return nil }
    var index = start
    let last = bytes.count - needle.count
    while index <= last {
      if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) {
        return index
      }
      index += 1
    }
    return nil
  }

  static func lastSearch(_ needle: [UInt8], in bytes: [UInt8], before end: Int) -> Int? {
    var index = min(end, bytes.count) - needle.count
    while index >= max(0, end - 4096) {
      if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index -= 1
    }
    return nil
  }
}

/// The text a content stream shows (Tj, TJ, ', "), through the current font's map; a line break
/// where the text moves to a new line.
enum ContentText {
  static func read(_ stream: [UInt8], fonts: [String: PDFToUnicode], limit: Int) -> String {
    var lexer = PDFLexer(stream)
    var operands: [PDFValue] = []
    var font: PDFToUnicode?
    var text = ""
    func show(_ bytes: [UInt8]) {
      text += font.map { $0.text(bytes) } ?? pdfTextString(bytes)
    }
    while text.count < limit, let value = lexer.value() {
      guard case .keyword(let word) = value else {
        if operands.count < 4096 { operands.append(value) }
        continue
      }
      switch word {
      case "Tf":
        if operands.count >= 2, let name = operands[operands.count - 2].name {
          font = fonts[name]
        }
      case "Tj", "'", "\"":
        if word != "Tj" { text += "\n" }
        if let bytes = operands.last?.bytes { show(bytes) }
      case "TJ":
        for item in operands.last?.array ?? [] {
          if let bytes = item.bytes {
            show(bytes)
          } else if let shift = item.number, shift < -250, font == nil {
            text += " "  // a wide gap between Latin words
          }
        }
      case "T*", "ET":
        if !text.hasSuffix("\n") { text += "\n" }
      case "Td", "TD":
        if operands.count >= 2, let ty = operands[operands.count - 1].number, ty != 0,
          !text.hasSuffix("\n")
        {
          text += "\n"
        }
      case "ID":
        // Inline image data: skip to `EI`.
        if let end = PDFText.search(Array("EI".utf8), in: stream, from: lexer.position) {
          lexer.position = end + 2
        }
      default:
        break
      }
      operands = []
    }
    return text
  }
}
