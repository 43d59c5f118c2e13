import Testing

@testable import ZhaocaiAnalytics

/// Opened files read by their bytes: a .docx's text, ids and properties from its parts, plain
/// text, and what is refused (damaged or oversized ZIPs, unknown bytes) without a trap.
@Suite struct DocumentReaderTests {
  /// A ZIP of stored entries, as an Office application may write small parts.
  static func zip(_ entries: [(String, String)], declaring sizes: [String: UInt32] = [:])
    -> [UInt8]
  {
    func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }
    var body: [UInt8] = []
    var directory: [UInt8] = []
    for (name, text) in entries {
      let data = Array(text.utf8)
      let size = sizes[name] ?? UInt32(data.count)
      let offset = UInt32(body.count)
      let common =
        u16(20) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(size) + u32(size)
        + u16(name.utf8.count) + u16(0)
      body += u32(0x0403_4B50) + common + Array(name.utf8) + data
      directory +=
        u32(0x0201_4B50) + u16(20) + common + u16(0) + u16(0) + u16(0) + u32(0)
        + u32(offset) + Array(name.utf8)
    }
    return body + directory + u32(0x0605_4B50) + u16(0) + u16(0) + u16(entries.count)
      + u16(entries.count) + u32(UInt32(directory.count)) + u32(UInt32(body.count)) + u16(0)
  }

  static let docx = zip([
    ("[Content_Types].xml", "<Types/>"),
    (
      "word/document.xml",
      "<w:document><w:body><w:p><w:r><w:t>第一段：施工</w:t></w:r><w:r><w:t xml:space=\"preserve\">组织设计 &amp; 方案</w:t></w:r></w:p>"
        + "<w:p><w:r><w:t>第二段：项目经理 张三</w:t></w:r></w:p></w:body></w:document>"
    ),
    (
      "word/settings.xml",
      "<w:settings><w:rsids><w:rsidRoot w:val=\"00A1B2C3\"/><w:rsid w:val=\"00A1B2C3\"/><w:rsid w:val='00D4E5F6'/></w:rsids><w14:docId w14:val=\"5F3A2B1C\"/></w:settings>"
    ),
    (
      "docProps/core.xml",
      "<cp:coreProperties><dc:creator>王工</dc:creator><cp:lastModifiedBy>李工</cp:lastModifiedBy></cp:coreProperties>"
    ),
    (
      "docProps/app.xml",
      "<Properties><Application>Microsoft Office Word</Application><Company>福建示范建设工程有限公司</Company></Properties>"
    ),
  ])

  @Test func aWordFileGivesItsTextIdsAndProperties() {
    let facts = DocumentReader.read(name: "技术标.docx", bytes: Self.docx)
    #expect(facts.format == .docx && facts.unreadReason == nil)
    #expect(facts.text == "第一段：施工组织设计 & 方案\n第二段：项目经理 张三\n")
    #expect(facts.identifiers["w:rsidRoot"] == ["00A1B2C3"])
    #expect(facts.identifiers["w:rsid"] == ["00A1B2C3", "00D4E5F6"])
    #expect(facts.identifiers["w14:docId"] == ["5F3A2B1C"])
    #expect(facts.properties["author"] == "王工" && facts.properties["lastModifiedBy"] == "李工")
    #expect(facts.properties["company"] == "福建示范建设工程有限公司")
    #expect(facts.sha256.hasPrefix("sha256:") && facts.sha256.count == 71)
  }

  @Test func aWorkbookGivesItsStringsAndNumbers() {
    let xlsx = Self.zip([
      ("xl/workbook.xml", "<workbook/>"),
      ("xl/sharedStrings.xml", "<sst><si><t>混凝土</t></si><si><t>钢筋</t></si></sst>"),
      (
        "xl/worksheets/sheet1.xml",
        "<sheetData><row><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>4125.5</v></c></row></sheetData>"
      ),
    ])
    let facts = DocumentReader.read(name: "报价.xlsx", bytes: xlsx)
    #expect(facts.format == .xlsx && facts.text.contains("混凝土") && facts.text.contains("4125.5"))
  }

  @Test func aPartLargerThanItsLimitOrALyingArchiveIsRefusedNotTrapped() {
    // A part that claims 200 MB: refused by its declared size before anything is inflated.
    let bomb = Self.zip(
      [("word/document.xml", "<w:t>x</w:t>")], declaring: ["word/document.xml": 200_000_000])
    let facts = DocumentReader.read(
      name: "b.docx", bytes: bomb, limits: DocumentLimits(partBytes: 10 << 20))
    #expect(facts.text.isEmpty)
    // Every truncation of a valid file is read or refused, never a trap.
    for length in stride(from: 1, to: Self.docx.count, by: 7) {
      let cut = DocumentReader.read(name: "cut.docx", bytes: Array(Self.docx.prefix(length)))
      #expect(cut.format == .docx || cut.format == .text || cut.unreadReason != nil)
    }
    #expect(throws: ZipArchive.Failure.notZip) { try ZipArchive(Array("PK\u{3}\u{4}".utf8)) }
  }

  @Test func plainTextIsReadAndOtherBytesAreListedAsNotRead() {
    #expect(DocumentReader.read(name: "a.txt", bytes: Array("施工方案\n第二行".utf8)).format == .text)
    let binary = DocumentReader.read(name: "scan.jpg", bytes: (0..<256).map { UInt8($0) })
    #expect(binary.format == .unread && binary.unreadReason != nil)
    let pdf = DocumentReader.read(name: "a.pdf", bytes: Array("%PDF-1.7\n".utf8))
    #expect(pdf.format == .unread && pdf.unreadReason?.contains("PDF") == true)
  }

  @Test func inflateStopsAtItsLimit() throws {
    // zlib's own encoding of 1,000 zero bytes (Python's `zlib.compress(bytes(1000))`).
    let zeros: [UInt8] = [
      0x78, 0x9C, 0x63, 0x60, 0x18, 0x05, 0xA3, 0x60, 0x14, 0x0C, 0x77, 0x00, 0x00, 0x03, 0xE8,
      0x00, 0x01,
    ]
    #expect(try Inflate.zlib(zeros[...], limit: 1_000) == [UInt8](repeating: 0, count: 1_000))
    #expect(throws: Inflate.Failure.tooLarge) { try Inflate.zlib(zeros[...], limit: 999) }
    #expect(throws: Inflate.Failure.truncated) { try Inflate.zlib(zeros.prefix(8), limit: 1_000) }
    #expect(throws: Inflate.Failure.notDeflate) { try Inflate.zlib([1, 2, 3, 4][...], limit: 10) }
  }
}
