import Foundation
import Testing

@testable import ZhaocaiAnalytics

/// PDFs read as a collusion screen needs them: the pages' text through each font (a Latin
/// Type 1 font and a CID font whose codes only its ToUnicode map explains, as Chinese PDFs are
/// set), the information dictionary and the file ids, objects inside object streams, and what is
/// not read (encryption, other filters) named, never trapped on.
@Suite struct PDFTextTests {
  /// zlib data holding `data` in one stored DEFLATE block, with its Adler-32.
  static func zlibStored(_ data: [UInt8]) -> [UInt8] {
    let length = UInt16(data.count)
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in data {
      a = (a + UInt32(byte)) % 65_521
      b = (b + a) % 65_521
    }
    let adler = b << 16 | a
    return [
      0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF),
      UInt8(~length >> 8),
    ] + data + (0..<4).map { UInt8(adler >> (24 - 8 * $0) & 0xFF) }
  }

  /// A PDF of `objects` (number, dictionary text, stream bytes) and a trailer.
  static func pdf(_ objects: [(Int, String, [UInt8]?)], trailer: String) -> [UInt8] {
    var bytes = Array("%PDF-1.7\n%\u{E2}\u{E3}\n".utf8)
    for (number, dictionary, stream) in objects {
      bytes += Array("\(number) 0 obj\n\(dictionary)\n".utf8)
      if let stream {
        bytes += Array("stream\r\n".utf8) + stream + Array("\nendstream\n".utf8)
      }
      bytes += Array("endobj\n".utf8)
    }
    return bytes + Array("trailer\n\(trailer)\nstartxref\n0\n%%EOF\n".utf8)
  }

  static let cmap = Array(
    """
    /CIDInit /ProcSet findresource begin 12 dict begin begincmap
    1 begincodespacerange <0000> <FFFF> endcodespacerange
    2 beginbfchar <0001> <4E2D> <0002> <6587> endbfchar
    1 beginbfrange <0003> <0004> <65BD> endbfrange
    endcmap CMapName currentdict /CMap defineresource pop end end
    """.utf8)

  static let content = Array(
    """
    BT /F1 12 Tf 72 700 Td (Hello \\(PDF\\) world) Tj 0 -14 Td
    /F2 12 Tf <00010002> Tj [<0003> -120 <0004>] TJ ET
    """.utf8)

  static func sample(
    id: String = "0123abcd", author: String = "Zhang San", compressed: Bool = true
  ) -> [UInt8] {
    pdf(
      [
        (1, "<< /Type /Catalog /Pages 2 0 R >>", nil),
        (
          2,
          "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> >>",
          nil
        ),
        (3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R >>", nil),
        (4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", nil),
        (5, "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 7 0 R >>", nil),
        compressed
          ? (6, "<< /Length 999 /Filter /FlateDecode >>", zlibStored(content))
          : (6, "<< /Length \(content.count) >>", content),
        (7, "<< /Length \(cmap.count) >>", cmap),
        (
          8, "<< /Author (\(author)) /Creator (Microsoft\\256 Word) /Producer <FEFF5F204E09> >>",
          nil
        ),
      ], trailer: "<< /Size 9 /Root 1 0 R /Info 8 0 R /ID [<\(id)><\(id)ff>] >>")
  }

  @Test func thePagesTextReadsThroughEachFontsMap() {
    for compressed in [true, false] {
      let facts = DocumentReader.read(name: "技术标.pdf", bytes: Self.sample(compressed: compressed))
      #expect(facts.format == .pdf, "\(facts.unreadReason ?? "")")
      #expect(facts.text.contains("Hello (PDF) world"))
      // <0001><0002> are 中文; the range maps <0003><0004> to 施 and the next code point.
      #expect(facts.text.contains("中文"))
      #expect(facts.text.contains("施\u{65BE}"))
    }
  }

  @Test func theInformationDictionaryAndTheFileIdsAreRead() {
    let facts = DocumentReader.read(name: "a.pdf", bytes: Self.sample())
    #expect(facts.properties["author"] == "Zhang San")
    #expect(facts.properties["creator"] == "Microsoft\u{AE} Word")
    #expect(facts.properties["producer"] == "张三")
    #expect(facts.identifiers["pdf:ID"] == ["0123abcd", "0123abcdff"])
  }

  @Test func twoBiddersPDFsWithOneFileIDAreOnePreparer() throws {
    var bids = CollusionScreenTests.independent
    // B0 and B2 saved one file under their own names; B3's file is its own.
    for (index, id, author) in [(0, "77aa", "Wang"), (2, "77aa", "Li"), (3, "88bb", "Zhao")] {
      bids[index].documents.append(
        DocumentReader.read(name: "商务标\(index).pdf", bytes: Self.sample(id: id, author: author)))
    }
    let found = CollusionScreenTests.found(bids).filter { $0.sign == .samePreparer }
    #expect(found.map(\.bidders) == [["B0", "B2"]])
    #expect(
      found.first?.evidence.contains { $0.field == "pdf:ID" && $0.values == ["77aa", "77aaff"] }
        == true)
  }

  @Test func objectsInsideAnObjectStreamAreRead() {
    let packed = Array("8 0 << /Author (Li Si) >>".utf8)
    let bytes = Self.pdf(
      [
        (1, "<< /Type /Catalog /Pages 2 0 R >>", nil),
        (2, "<< /Type /Pages /Kids [] /Count 0 >>", nil),
        (9, "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>", Self.zlibStored(packed)),
      ], trailer: "<< /Root 1 0 R /Info 8 0 R >>")
    #expect(DocumentReader.read(name: "a.pdf", bytes: bytes).properties["author"] == "Li Si")
  }

  @Test func hostileStructuresAreReadOnceAndCIDCodesWithoutAMapAreNotText() {
    // A page naming its content stream 1,000 times shows it once; a CID font without a
    // ToUnicode map shows nothing rather than its glyph numbers as Latin letters.
    let content = Array("BT /F1 12 Tf (Once) Tj /F2 12 Tf <0041004200430044> Tj ET".utf8)
    let references = Array(repeating: "6 0 R", count: 1_000).joined(separator: " ")
    let bytes = Self.pdf(
      [
        (1, "<< /Type /Catalog /Pages 2 0 R >>", nil),
        (2, "<< /Type /Pages /Kids [3 0 R] >>", nil),
        (
          3,
          "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents [\(references)] >>",
          nil
        ),
        (4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", nil),
        (5, "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H >>", nil),
        (6, "<< /Length \(content.count) >>", content),
      ], trailer: "<< /Root 1 0 R >>")
    let facts = DocumentReader.read(name: "a.pdf", bytes: bytes)
    #expect(facts.text.trimmingCharacters(in: .whitespacesAndNewlines) == "Once")
    // An object stream whose entries all claim offset 0 is read once, not once per entry.
    let packed = Array("1 0 2 0 3 0 << /Author (Once) >>".utf8)
    let stream = Self.pdf(
      [(9, "<< /Type /ObjStm /N 3 /First 12 >>", packed)], trailer: "<< /Info 1 0 R >>")
    #expect(DocumentReader.read(name: "o.pdf", bytes: stream).properties["author"] == "Once")
    // Control and bidirectional characters in a property are not carried into evidence.
    let sneaky = Self.pdf(
      [(1, "<< /Author <FEFF00570061006E0067001B202E004C0069> >>", nil)],
      trailer: "<< /Info 1 0 R >>")
    #expect(DocumentReader.read(name: "s.pdf", bytes: sneaky).properties["author"] == "WangLi")
  }

  @Test func whatIsNotReadIsNamedAndNothingTraps() {
    let encrypted = Self.pdf(
      [(1, "<< /Type /Catalog >>", nil)], trailer: "<< /Root 1 0 R /Encrypt 2 0 R >>")
    let facts = DocumentReader.read(name: "e.pdf", bytes: encrypted)
    #expect(facts.format == .unread && facts.unreadReason == "an encrypted PDF")
    // A scan: its page shows an image, no text.
    let scan = Self.pdf(
      [
        (1, "<< /Type /Catalog /Pages 2 0 R >>", nil),
        (2, "<< /Type /Pages /Kids [3 0 R] >>", nil),
        (3, "<< /Type /Page /Contents 4 0 R >>", nil),
        (4, "<< /Filter /DCTDecode >>", [0xFF, 0xD8, 0xFF]),
      ], trailer: "<< /Root 1 0 R >>")
    #expect(
      DocumentReader.read(name: "s.pdf", bytes: scan).unreadReason?.contains("no text") == true)
    // Every prefix of a good file, and damaged streams and dictionaries, end without a trap.
    let good = Self.sample()
    for cut in stride(from: 0, to: good.count, by: 7) {
      _ = DocumentReader.read(name: "cut.pdf", bytes: Array(good.prefix(cut)))
    }
    let nested =
      Array("%PDF-1.7\n1 0 obj\n".utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 10_000)
    _ = DocumentReader.read(name: "deep.pdf", bytes: nested)
    let lying = Self.pdf(
      [(1, "<< /Type /ObjStm /N 99999 /First 999999 >>", Array("1 0 2 5".utf8))], trailer: "<<>>")
    _ = DocumentReader.read(name: "lying.pdf", bytes: lying)
  }
}
