import Crypto
import Foundation

/// Reads an opened bid's file by what its bytes are, not by its name: a ZIP with a Word part is
/// a .docx, with a workbook an .xlsx; `%PDF-` a PDF; valid UTF-8 (or UTF-16 with its mark) plain
/// text. Anything else (images, scans, .doc, archives) is listed as not read, with the reason.
/// Reading never fails: a damaged file is a finding about that file, never a failed opening.
public enum DocumentReader {
  /// The formats read, named where a file is not (the pages word it in `CollusionWords`).
  static let readFormats = ".docx, .xlsx, .pdf (text), plain text (UTF-8, UTF-16)"

  public static func read(
    name: String, bytes: [UInt8], limits: DocumentLimits = DocumentLimits()
  ) -> DocumentFacts {
    let hash = "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    var facts = DocumentFacts(name: name, sha256: hash, format: .unread)
    guard bytes.count <= limits.fileBytes else {
      facts.unreadReason = "larger than \(limits.fileBytes >> 20) MiB"
      return facts
    }
    if ZipArchive.looksLikeZip(bytes) {
      readOffice(bytes, into: &facts, limits: limits)
    } else if bytes.starts(with: Array("%PDF-".utf8)) {
      let pdf = PDFText.read(bytes, limits: limits)
      facts.format = pdf.unread == nil ? .pdf : .unread
      facts.unreadReason = pdf.unread
      facts.text = pdf.text
      facts.properties = pdf.properties
      facts.identifiers = pdf.identifiers
    } else if let text = plainText(bytes) {
      facts.format = .text
      facts.text = String(text.prefix(limits.characters))
    } else {
      facts.unreadReason = "not a format read here (\(readFormats))"
    }
    return facts
  }

  private static func readOffice(
    _ bytes: [UInt8], into facts: inout DocumentFacts, limits: DocumentLimits
  ) {
    let archive: ZipArchive
    do {
      archive = try ZipArchive(bytes)
    } catch {
      facts.unreadReason = "ZIP not read: \(error)"
      return
    }
    func part(_ name: String) -> [UInt8]? {
      guard let entry = archive.entry(named: name) else { return nil }
      return try? archive.data(of: entry, limit: limits.partBytes)
    }
    if let document = part("word/document.xml") {
      facts.format = .docx
      facts.text = XMLScan.text(
        document, textElements: ["w:t"], breakElements: ["w:p"],
        spaceElements: ["w:tab", "w:br"], limit: limits.characters)
      if let settings = part("word/settings.xml") {
        for (kind, element) in [
          ("w:rsidRoot", "w:rsidRoot"), ("w:rsid", "w:rsid"), ("w14:docId", "w14:docId"),
          ("w15:docId", "w15:docId"),
        ] {
          let attribute = element.hasPrefix("w1") ? element.prefix(3) + ":val" : "w:val"
          let values = XMLScan.attributeValues(
            settings, element: element, attribute: String(attribute), limit: limits.identifiers)
          if !values.isEmpty { facts.identifiers[kind] = values }
        }
      }
    } else if part("xl/workbook.xml") != nil {
      facts.format = .xlsx
      var text = ""
      if let strings = part("xl/sharedStrings.xml") {
        text = XMLScan.text(
          strings, textElements: ["t"], breakElements: ["si"], limit: limits.characters)
      }
      let sheets = archive.entries.map(\.name).filter {
        $0.hasPrefix("xl/worksheets/sheet") && $0.hasSuffix(".xml")
      }.sorted()
      for sheet in sheets where text.count < limits.characters {
        guard let xml = part(sheet) else { continue }
        // Numbers and inline strings; shared strings are already in.
        text += XMLScan.text(
          xml, textElements: ["v", "t"], breakElements: ["row"], spaceElements: ["c"],
          limit: limits.characters - text.count)
      }
      facts.text = text
    } else {
      facts.unreadReason = "a ZIP archive that is neither .docx nor .xlsx"
      return
    }
    if let core = part("docProps/core.xml") {
      facts.properties["author"] = XMLScan.firstText(core, element: "dc:creator")
      facts.properties["lastModifiedBy"] = XMLScan.firstText(core, element: "cp:lastModifiedBy")
    }
    if let app = part("docProps/app.xml") {
      // The application with its build (`AppVersion`), as a tool is told apart by its build.
      facts.properties["application"] = XMLScan.firstText(app, element: "Application").map {
        name in XMLScan.firstText(app, element: "AppVersion").map { name + " " + $0 } ?? name
      }
      facts.properties["company"] = XMLScan.firstText(app, element: "Company")
    }
  }

  /// The bytes as text, if they are UTF-8 or UTF-16 with a byte-order mark and hold no control
  /// characters but line breaks and tabs.
  static func plainText(_ bytes: [UInt8]) -> String? {
    var text: String?
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      text = String(data: Data(bytes), encoding: .utf16)
    } else {
      let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
      text = String(validating: body, as: UTF8.self)
    }
    guard let text,
      !text.unicodeScalars.contains(where: {
        $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t"
      })
    else { return nil }
    return text
  }
}
