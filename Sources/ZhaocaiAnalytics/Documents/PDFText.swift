import Foundation
import ZhaocaiDomain

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
    properties(trailer, objects, limit: limits.identifiers, into: &result)
    result.text = pageText(objects, limit: limits.characters, joinLimit: limits.partBytes)
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
    let endobj = Array("endobj".utf8)
    // Each object is read up to its `endobj` only, so a hostile file of unclosed objects costs
    // one pass, not one pass per object; the next `endobj` is found once for all before it.
    var objectEnd = -1
    while let found = search(obj, in: bytes, from: index), objects.count < maxObjects {
      index = found + 3
      guard let number = objectNumber(before: found, in: bytes),
        index < bytes.count, PDFLexer.isWhite(bytes[index]) || PDFLexer.isDelimiter(bytes[index])
      else { continue }
      if objectEnd < index { objectEnd = search(endobj, in: bytes, from: index) ?? bytes.count }
      var lexer = PDFLexer(bytes, from: index, to: objectEnd)
      guard let value = lexer.value() else {
        index = max(index, min(objectEnd, bytes.count))
        continue
      }
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
      index = max(index, min(objectEnd, bytes.count))
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
      guard limit > 0 else { return nil }
      guard let inflated = try? Inflate.zlib(data, limit: limit) else {
        // A stream that fails (a bomb stopped at the limit) cost the work of the limit.
        budget -= limit
        return nil
      }
      budget -= max(inflated.count, 1)
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
    // Numbers in a file may be anything (1e400 is infinity): only small whole ones become Int.
    func small(_ value: Double?) -> Int? {
      guard let value, value >= 0, value < Double(Int32.max) else { return nil }
      return Int(value)
    }
    guard let count = small(dictionary["N"]?.number), count < 100_000,
      let first = small(dictionary["First"]?.number), first < stream.count
    else { return [] }
    var header = PDFLexer(stream, to: first)
    var entries: [(Int, Int)] = []
    while entries.count < count, let number = small(header.value()?.number),
      let offset = small(header.value()?.number)
    {
      // Offsets rise: each object lies between its offset and the next, read once.
      guard first + offset < stream.count, first + offset > (entries.last?.1 ?? -1) else { break }
      entries.append((number, first + offset))
    }
    return entries.enumerated().compactMap { index, entry in
      let end = index + 1 < entries.count ? entries[index + 1].1 : stream.count
      var lexer = PDFLexer(stream, from: entry.1, to: end)
      return lexer.value().map { (entry.0, $0) }
    }
  }

  /// Each trailer dictionary (`trailer << … >>`) and each cross-reference stream's dictionary.
  static func trailers(_ bytes: [UInt8]) -> [[String: PDFValue]] {
    // A trailer is small: each is read within 64 KiB of where it starts, and at most 64 of
    // each kind are looked at, found or not.
    let window = 1 << 16
    var found: [[String: PDFValue]] = []
    var index = 0
    var tries = 0
    while tries < 64, let at = search(Array("trailer".utf8), in: bytes, from: index) {
      tries += 1
      var lexer = PDFLexer(bytes, from: at + 7, to: min(bytes.count, at + 7 + window))
      if let dictionary = lexer.value()?.dictionary { found.append(dictionary) }
      index = at + 7
    }
    // A cross-reference stream carries the trailer's keys itself.
    index = 0
    tries = 0
    while tries < 64, let at = search(Array("/XRef".utf8), in: bytes, from: index) {
      tries += 1
      index = at + 5
      guard let open = lastSearch(Array("<<".utf8), in: bytes, before: at) else { continue }
      var lexer = PDFLexer(bytes, from: open, to: min(bytes.count, open + window))
      if let dictionary = lexer.value()?.dictionary, dictionary["Type"]?.name == "XRef" {
        found.append(dictionary)
      }
    }
    return found
  }

  // MARK: Properties and ids

  /// A property's text as evidence may show it: no control or bidirectional characters (the
  /// rule every text field keeps), trimmed, at most 200 characters.
  static func clean(_ text: String) -> String {
    let kept = String(
      String.UnicodeScalarView(
        text.unicodeScalars.filter { TextRules.isAllowed($0, multiline: false) }))
    return String(kept.trimmingCharacters(in: .whitespaces).prefix(200))
  }

  static func properties(
    _ trailers: [[String: PDFValue]], _ objects: [Int: Object], limit: Int,
    into result: inout Result
  ) {
    func resolved(_ value: PDFValue?) -> PDFValue? {
      guard let number = value?.reference else { return value }
      return objects[number]?.value
    }
    for trailer in trailers {
      // An /ID is two 16-byte strings; longer ones are cut, more than two ignored.
      if let ids = trailer["ID"]?.array?.prefix(2).compactMap(\.bytes), !ids.isEmpty {
        let hex = ids.map { $0.prefix(64).map { String(format: "%02x", $0) }.joined() }
        result.identifiers["pdf:ID", default: []].append(contentsOf: hex)
      }
      guard let info = resolved(trailer["Info"])?.dictionary else { continue }
      for (key, property) in [
        ("Author", "author"), ("Creator", "creator"), ("Producer", "producer"),
      ] {
        if let bytes = resolved(info[key])?.bytes {
          let text = clean(pdfTextString(Array(bytes.prefix(1024))))
          if !text.isEmpty { result.properties[property] = text }
        }
      }
    }
    if let ids = result.identifiers["pdf:ID"] {
      result.identifiers["pdf:ID"] = Array(Array(Set(ids)).sorted().prefix(limit))
    }
    // XMP metadata: the document id a copy keeps, and the tool where the dictionary has none.
    for object in objects.values.prefix(maxObjects)
    where object.value.dictionary?["Type"]?.name == "Metadata"
      && (result.identifiers["xmp:DocumentID"]?.count ?? 0) < limit
    {
      guard let stream = object.stream else { continue }
      let xml = String(decoding: stream.prefix(1 << 20), as: UTF8.self)
      for (tag, kind) in [("xmpMM:DocumentID", "xmp:DocumentID")] {
        if let value = element(tag, in: xml).map(clean), !value.isEmpty,
          !(result.identifiers[kind] ?? []).contains(value)
        {
          result.identifiers[kind, default: []].append(value)
        }
      }
      if result.properties["creator"] == nil, let tool = element("xmp:CreatorTool", in: xml) {
        result.properties["creator"] = clean(tool)
      }
      if result.properties["producer"] == nil, let tool = element("pdf:Producer", in: xml) {
        result.properties["producer"] = clean(tool)
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
  static func pageText(_ objects: [Int: Object], limit: Int, joinLimit: Int) -> String {
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
    var length = 0
    // Each CMap is parsed once per file; a content stream is joined once per page, and the
    // bytes joined over the file are bounded by the streams' own budget.
    var maps: [Int: PDFToUnicode] = [:]
    var joined = 0
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
      for (name, reference) in (resolved(resources?["Font"])?.dictionary ?? [:]).prefix(256) {
        guard let font = resolved(reference)?.dictionary else { continue }
        if let map = font["ToUnicode"]?.reference, let cmap = objects[map]?.stream {
          if maps[map] == nil { maps[map] = PDFToUnicode(cmap) }
          fonts[name] = maps[map]
        } else if font["Subtype"]?.name == "Type0" {
          // A CID font without a map: its codes are glyph numbers, not text; shown as nothing.
          fonts[name] = PDFToUnicode(Array())
        }
      }
      let contents: [PDFValue] =
        resolved(page["Contents"])?.array ?? (page["Contents"].map { [$0] } ?? [])
      var stream: [UInt8] = []
      var seen: Set<Int> = []
      for content in contents {
        guard let reference = content.reference, seen.insert(reference).inserted,
          let data = objects[reference]?.stream, joined + data.count <= joinLimit
        else { continue }
        joined += data.count
        stream += data + [0x0A]
      }
      let shown = ContentText.read(stream, fonts: fonts, limit: limit - length) + "\n"
      text += shown
      length += shown.count
      if length >= limit { break }
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
    // String.count walks the string: the length is kept as pieces are added.
    var length = 0
    var atLineStart = true
    func add(_ piece: String) {
      guard !piece.isEmpty else { return }
      text += piece
      length += piece.count
      atLineStart = piece.hasSuffix("\n")
    }
    func show(_ bytes: [UInt8]) {
      add(font.map { $0.text(bytes) } ?? pdfTextString(bytes))
    }
    while length < limit, let value = lexer.value() {
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
        if word != "Tj" { add("\n") }
        if let bytes = operands.last?.bytes { show(bytes) }
      case "TJ":
        for item in operands.last?.array ?? [] {
          if let bytes = item.bytes {
            show(bytes)
          } else if let shift = item.number, shift < -250, font == nil {
            add(" ")  // a wide gap between Latin words
          }
        }
      case "T*", "ET":
        if !atLineStart { add("\n") }
      case "Td", "TD":
        if operands.count >= 2, let ty = operands[operands.count - 1].number, ty != 0,
          !atLineStart
        {
          add("\n")
        }
      case "ID":
        // Inline image data: skip to `EI`.
        if let end = PDFText.search(Array("EI".utf8), in: stream, from: lexer.position) {
          lexer.position = end + 2
        } else {
          lexer.position = stream.count
        }
      default:
        break
      }
      operands = []
    }
    return text
  }
}
