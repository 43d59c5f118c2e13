/// placeholder until the reader lands
enum PDFText {
  struct Result: Equatable {
    var text: String = ""
    var properties: [String: String] = [:]
    var identifiers: [String: [String]] = [:]
    var unread: String? = nil
  }
  static func read(_ bytes: [UInt8], limits: DocumentLimits) -> Result {
    Result(unread: "PDF not read yet")
  }
}
