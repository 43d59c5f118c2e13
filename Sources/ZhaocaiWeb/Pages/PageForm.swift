import Foundation
import Hummingbird
import ZhaocaiDomain

/// A submitted form (`application/x-www-form-urlencoded`), read within bounds: its size, how many
/// fields it has and how long each is; then checked for the token that proves it came from one of
/// our pages (the anti-forgery token of the visitor's `zc_form` cookie).
public struct PageForm: Sendable {
  public let fields: [String: String]

  /// The most a form may hold; no form of ours comes near it.
  public static let maxBytes = 64 << 10
  public static let maxFields = 64

  public init(fields: [String: String]) { self.fields = fields }

  /// The form `request` carries, for the visitor `visit`; refuses a form from elsewhere.
  public static func read(_ request: Request, for visit: PageVisit) async throws -> PageForm {
    let type = request.headers[.contentType]?.lowercased() ?? ""
    guard type.hasPrefix("application/x-www-form-urlencoded") else {
      throw ProblemDetails(
        status: 415, code: "UNSUPPORTED_BODY", english: "a page's form is sent as a form",
        chinese: "表单提交格式错误")
    }
    let body: ByteBuffer
    do {
      body = try await request.body.collect(upTo: maxBytes)
    } catch {
      throw ProblemDetails(
        status: 413, code: "BODY_TOO_LARGE",
        english: "the form is larger than \(maxBytes >> 10) KiB",
        chinese: "表单内容超过\(maxBytes >> 10) KiB的上限")
    }
    let form = try parse(String(buffer: body))
    guard carriesToken(form.fields["_form"], of: visit) else { throw expired }
    return form
  }

  /// Whether `sent` is the visitor's form token (a form field, or the header a page's script
  /// sends): what a page on another site cannot know.
  public static func carriesToken(_ sent: String?, of visit: PageVisit) -> Bool {
    guard let sent, !visit.newFormToken else { return false }
    return Secrets.same(Array(sent.utf8), Array(visit.formToken.utf8))
  }

  /// The page's form token is missing or not the visitor's: the form came from elsewhere or the
  /// page is too old.
  public static let expired = ProblemDetails(
    status: 403, code: "FORM_EXPIRED",
    english:
      "this form was not sent from this platform's page, or the page is too old; reload it and send again",
    chinese: "表单已失效或并非来自本平台页面，请刷新页面后重新提交")

  static func parse(_ text: String) throws -> PageForm {
    var fields: [String: String] = [:]
    let pairs = text.split(separator: "&", omittingEmptySubsequences: true)
    guard pairs.count <= maxFields else {
      throw ProblemDetails(
        status: 400, code: "BAD_REQUEST", english: "the form has more than \(maxFields) fields",
        chinese: "表单字段过多")
    }
    for pair in pairs {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "")
      else {
        throw ProblemDetails(
          status: 400, code: "BAD_REQUEST", english: "the form is not well-formed",
          chinese: "表单编码错误")
      }
      // A repeated field keeps its first value; no form of ours repeats one.
      if fields[name] == nil { fields[name] = value }
    }
    return PageForm(fields: fields)
  }

  private static func decode(_ part: Substring) -> String? {
    part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
  }

  /// The field's text, trimmed; nil when empty or absent.
  public func optional(_ name: String) -> String? {
    guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines),
      !value.isEmpty
    else { return nil }
    return value
  }

  /// The field's text, checked as `TextRules` checks every text (not empty, not too long, no
  /// control or bidirectional characters); the refusal names the field.
  public func text(
    _ name: String, chinese: String, maxLength: Int = TextRules.maxNameLength,
    multiline: Bool = false
  ) throws -> String {
    do {
      return try TextRules.checked(
        fields[name] ?? "", field: name, chineseField: chinese, maxLength: maxLength,
        multiline: multiline)
    } catch {
      throw PageFieldRefusal(field: name, problem: ProblemDetails.common(error)!)
    }
  }

  /// The field as a list typed by a person: items parted by commas (either width), 、 or — when
  /// `byWhitespace` — spaces and line breaks; trimmed, empty ones dropped, at most `limit`.
  public func list(_ name: String, limit: Int, byWhitespace: Bool = true) -> [String] {
    (fields[name] ?? "")
      .split(whereSeparator: { ",，、".contains($0) || (byWhitespace && $0.isWhitespace) })
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.prefix(limit)
      .map { $0 }
  }

  /// Whether the checkbox `name` was ticked.
  public func ticked(_ name: String) -> Bool { fields[name] != nil }
}

/// A refusal that belongs to one field of a form: shown beside it and in the summary.
public struct PageFieldRefusal: Error, Sendable {
  public let field: String
  public let problem: ProblemDetails

  public init(field: String, problem: ProblemDetails) {
    self.field = field
    self.problem = problem
  }
}
