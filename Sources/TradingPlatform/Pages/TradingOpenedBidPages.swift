import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiWeb

/// 投标文件查阅: an opened bid's documents for the evaluation committee and the section's
/// manager, read through the API's handlers (which decrypt the envelope again each time). A
/// document a browser shows without running anything (PDF, plain text, an image) opens in the
/// browser; any other is saved.
extension TradingPages {
  func openedBidPage(_ id: String, _ bidder: String, _ visit: PageVisit) async throws -> Response {
    let documents = try PageCall.value(
      await api.listOpenedDocuments(.init(path: .init(sectionID: id, bidderID: bidder)))
    ) { try $0.ok.body.json }
    let view = try PageCall.value(await api.getSection(.init(path: .init(sectionID: id)))) {
      try $0.ok.body.json
    }
    let values: [String: Any] = [
      "id": id, "name": view.terms.name, "bidder": bidder,
      "documents": documents.map { document -> [String: Any] in
        [
          "index": document.index, "name": document.name,
          "size": Self.size(document.size),
          "sha256": document.sha256,
          "href": "/sections/\(id)/opened/\(bidder)/\(document.index)",
          "shown": Self.shownType(of: document.name) != nil,
        ]
      },
    ]
    return try render(
      "opened-bid", visit, title: "投标文件查阅", english: "Opened bid", values: values)
  }

  /// One document: shown in the browser when its type is one a browser shows without running
  /// anything from it, under a sandbox that lets it run nothing; saved otherwise.
  func openedDocument(_ id: String, _ bidder: String, _ index: String) async throws -> Response {
    guard let number = Int(index), (0...9999).contains(number) else {
      throw DomainError.notFound("document \(index)", chinese: "该文件")
    }
    // One decryption: the file's name comes with its bytes.
    let output = try await api.getOpenedDocument(
      .init(path: .init(sectionID: id, bidderID: bidder, index: number)))
    if let refusal = PageCall.refusal(in: output) { throw refusal }
    guard case .ok(let ok) = output, case .binary(let body) = ok.body else { throw Problem.badBody }
    let name = ok.headers.Zhaocai_hyphen_Document_hyphen_Name
    guard let type = Self.shownType(of: name) else {
      return Self.attachment(body, plainName: "document-\(number)", name: name)
    }
    var response = Self.attachment(body, plainName: "document-\(number)", name: name, type: type)
    response.headers[.contentDisposition] =
      response.headers[.contentDisposition]?.replacingOccurrences(of: "attachment", with: "inline")
    // Shown types run nothing of their own (Chromium refuses a PDF under a CSP sandbox); the
    // type is not to be guessed from the bytes.
    response.headers[.contentSecurityPolicy] =
      "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
    return response
  }

  /// A file's size as the page shows it, in units that read the same in Chinese and English.
  static func size(_ bytes: Int64) -> String {
    switch bytes {
    case ..<1024: "\(bytes) B"
    case ..<(1 << 20): String(format: "%.1f KiB", Double(bytes) / 1024)
    default: String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
  }

  /// The type a document is shown as, by its name's extension; nil for any other (saved).
  static func shownType(of name: String) -> String? {
    switch (name as NSString).pathExtension.lowercased() {
    case "pdf": "application/pdf"
    case "txt": "text/plain; charset=utf-8"
    case "png": "image/png"
    case "jpg", "jpeg": "image/jpeg"
    default: nil
    }
  }
}
