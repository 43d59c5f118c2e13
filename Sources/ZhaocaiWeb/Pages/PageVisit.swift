import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One person's request for a page: their language, the form token their forms must carry, and
/// how the answer is sent — with the headers that keep a page from being framed, sniffed or made
/// to run anything but our own script, and the cookies it sets.
public struct PageVisit: Sendable {
  public let language: PageLanguage
  /// The anti-forgery token (the `zc_form` cookie's value, rendered into every form).
  public let formToken: String
  /// Whether `formToken` is new, so its cookie must be set.
  let newFormToken: Bool
  /// Behind TLS (nginx says so with `X-Forwarded-Proto: https`): cookies are then `Secure`.
  public let secure: Bool
  /// The path asked for, without the query (for the language switch).
  public let path: String
  /// The query as sent, minus `lang` (so the switch keeps a search).
  let query: String
  var cookies: [Cookie] = []

  public static let formCookie = "zc_form"
  public static let sessionCookie = "zc_session"

  public init(_ request: Request) {
    language = PageLanguage(request)
    if let kept = request.cookies[Self.formCookie]?.value, kept.count == 43,
      kept.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    {
      formToken = kept
      newFormToken = false
    } else {
      formToken = Secrets.random()
      newFormToken = true
    }
    secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    path = request.uri.path
    query = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("lang=") }
      .joined(separator: "&")
    if let chosen = request.uri.queryParameters["lang"].flatMap({
      PageLanguage(rawValue: String($0))
    }) {
      cookies.append(cookie("lang", chosen.rawValue, maxAge: 365 * 86_400))
    }
  }

  /// A cookie of ours: HttpOnly, SameSite=Lax, Secure behind TLS, for the whole site.
  public func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
    Cookie(
      name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true,
      sameSite: .lax)
  }

  /// One parameter of the query (short values only: a page's flags, never a search).
  public func query(_ name: String) -> String? {
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1)
      if parts.count == 2, parts[0] == name, parts[1].count <= 64 { return String(parts[1]) }
    }
    return nil
  }

  /// Sets `cookie` on the answer.
  public mutating func set(_ cookie: Cookie) { cookies.append(cookie) }

  /// The link to this page in the other language.
  public var otherLanguageLink: String {
    path + "?" + (query.isEmpty ? "" : query + "&") + "lang=\(language.other.rawValue)"
  }

  /// What every page's layout is given besides its own values.
  public var layoutValues: [String: Any] {
    [
      "formToken": formToken, "otherLanguageLink": otherLanguageLink,
      "otherLanguageName": language == .zh ? "English" : "中文", "path": path,
    ]
  }

  /// The page as HTML with `status`.
  public func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    var response = Response(
      status: status, headers: Self.headers(contentType: "text/html; charset=utf-8"),
      body: .init(byteBuffer: ByteBuffer(string: text)))
    finish(&response)
    return response
  }

  /// A redirect after a form was handled (303, so the browser then asks with GET).
  public func redirect(to location: String) -> Response {
    var headers = Self.headers(contentType: "text/plain; charset=utf-8")
    headers[.location] = location
    var response = Response(status: .seeOther, headers: headers)
    finish(&response)
    return response
  }

  private func finish(_ response: inout Response) {
    if newFormToken { response.setCookie(cookie(Self.formCookie, formToken, maxAge: nil)) }
    for cookie in cookies { response.setCookie(cookie) }
  }

  /// What keeps pages safe in a browser: only our own styles, images and script, no framing,
  /// no forms posting elsewhere, no type sniffing, no referrer sent to other sites, nothing cached.
  public static let contentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

  static func headers(contentType: String) -> HTTPFields {
    [
      .contentType: contentType, .contentSecurityPolicy: contentSecurityPolicy,
      HTTPField.Name("X-Content-Type-Options")!: "nosniff",
      HTTPField.Name("X-Frame-Options")!: "DENY", HTTPField.Name("Referrer-Policy")!: "same-origin",
      .cacheControl: "no-store",
    ]
  }
}
