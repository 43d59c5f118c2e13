import Foundation
import Hummingbird
import HummingbirdTesting

/// A visitor of a platform's pages in a test: keeps the cookies the pages set, reads the form
/// token a page renders, and sends forms as a browser would (urlencoded, with that token).
public final class PageBrowser: @unchecked Sendable {
  // One test drives one browser at a time; the lock keeps the cookie jar consistent anyway.
  private let lock = NSLock()
  private var cookies: [String: String] = [:]
  private var formToken: String?
  public let client: any TestClientProtocol

  public init(_ client: any TestClientProtocol) { self.client = client }

  /// The page at `uri`, with its HTML as text.
  public func get(_ uri: String, headers: HTTPFields = [:]) async throws -> (
    status: HTTPResponse.Status, html: String, headers: HTTPFields
  ) {
    try await send(uri, method: .get, headers: headers, body: nil)
  }

  /// Sends `fields` as the form the last page showed (its token added unless `token` says
  /// otherwise).
  public func post(_ uri: String, _ fields: [(String, String)], token: String? = nil)
    async throws -> (status: HTTPResponse.Status, html: String, headers: HTTPFields)
  {
    let sent = [("_form", token ?? lock.withLock { formToken } ?? "")] + fields
    let body = sent.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    return try await send(
      uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
      body: body)
  }

  /// A cookie the pages set.
  public func cookie(_ name: String) -> String? { lock.withLock { cookies[name] } }

  /// The page's form token, as a page's script reads it to send in a header.
  public var pageToken: String? { lock.withLock { formToken } }

  /// A request a page's script sends (`method`, with `bytes` if any, and `headers`); the
  /// answer's body as text.
  public func script(
    _ method: HTTPRequest.Method, _ uri: String, _ bytes: [UInt8]? = nil,
    headers: HTTPFields = [:]
  ) async throws -> (status: HTTPResponse.Status, html: String, headers: HTTPFields) {
    var fields = headers
    if bytes != nil { fields[.contentType] = "application/octet-stream" }
    return try await send(uri, method: method, headers: fields, body: nil, bytes: bytes)
  }

  private func send(
    _ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: String?,
    bytes: [UInt8]? = nil
  ) async throws -> (status: HTTPResponse.Status, html: String, headers: HTTPFields) {
    var fields = headers
    let jar = lock.withLock { cookies }
    if !jar.isEmpty {
      fields[.cookie] = jar.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
    }
    let response = try await client.execute(
      uri: uri, method: method, headers: fields,
      body: bytes.map { ByteBuffer(bytes: $0) } ?? body.map { ByteBuffer(string: $0) })
    let html = String(buffer: response.body)
    lock.withLock {
      for header in response.headers[values: .setCookie] {
        let pair = header.split(separator: ";")[0].split(
          separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard pair.count == 2 else { continue }
        let name = String(pair[0])
        if header.contains("Max-Age=0") {
          cookies[name] = nil
        } else {
          cookies[name] = String(pair[1])
        }
      }
      if let range = html.range(of: #"name="_form" value=""#),
        let end = html[range.upperBound...].firstIndex(of: "\"")
      {
        formToken = String(html[range.upperBound..<end])
      }
    }
    return (response.status, html, response.headers)
  }

  static func encode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
  }
}
