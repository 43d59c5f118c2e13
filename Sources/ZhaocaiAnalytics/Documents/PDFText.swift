/// A PDF's text, properties and ids. Not read in this version: PDF text needs the page tree,
/// fonts and their ToUnicode maps, and a reader of those is not built yet, so a PDF is listed
/// as not read (docs/ANALYTICS.md) rather than read half and compared wrongly.
enum PDFText {
  struct Result: Equatable {
    var text: String = ""
    var properties: [String: String] = [:]
    var identifiers: [String: [String]] = [:]
    var unread: String? = nil
  }

  static func read(_ bytes: [UInt8], limits: DocumentLimits) -> Result {
    Result(unread: "PDF text is not read in this version")
  }
}
