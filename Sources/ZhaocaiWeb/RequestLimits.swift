import Foundation
import Hummingbird
import NIOCore
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange

/// Bounds every request before a handler reads it: a body that is not a streamed upload is read
/// up to a limit (a larger one is refused with 413 before it fills memory), and a JSON body may
/// not carry control characters or bidirectional overrides in its strings, since those strings
/// end up in public notices and records where they would hide or reorder text. An API's query
/// parameters are held to the same characters: a search word with a NUL would otherwise reach
/// the full-text index (which refuses it as an unterminated phrase) or PostgreSQL (which refuses
/// NUL in text) and come back as a 500.
public struct RequestLimits<Context: RequestContext>: RouterMiddleware {
  /// The most a JSON or text body may hold.
  public let maxBodyBytes: Int
  /// The most an exchange batch (`/exchange/` paths) may hold: platforms send many messages at once.
  public let maxExchangeBytes: Int

  public init(maxBodyBytes: Int = 1 << 20, maxExchangeBytes: Int = 16 << 20) {
    self.maxBodyBytes = maxBodyBytes
    self.maxExchangeBytes = maxExchangeBytes
  }

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    // Pages check their own query fields and show the refusal beside the field.
    if request.uri.path.hasPrefix("/api/"), let problem = QueryTextCheck.problem(in: request) {
      throw problem
    }
    let contentType = request.headers[.contentType]?.lowercased() ?? ""
    // Uploads (bids, documents) stream to the blob store in constant memory and are bounded there.
    if contentType.hasPrefix("application/octet-stream") {
      return try await next(request, context)
    }
    let limit = request.uri.path.contains("/exchange/") ? maxExchangeBytes : maxBodyBytes
    if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
      throw Self.tooLarge(limit)
    }
    var request = request
    let body: ByteBuffer
    do {
      body = try await request.collectBody(upTo: limit)
    } catch is NIOTooManyBytesError {
      throw Self.tooLarge(limit)
    }
    if contentType.contains("json"), let problem = JSONTextCheck.problem(in: body.readableBytesView)
    {
      throw problem
    }
    return try await next(request, context)
  }

  static func tooLarge(_ limit: Int) -> ProblemDetails {
    let size = limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit >> 10) KiB"
    return ProblemDetails(
      status: 413, code: "BODY_TOO_LARGE",
      english: "the request body is larger than \(size)",
      chinese: "请求内容超过\(size)的上限")
  }
}

/// Finds the characters no text field may hold in a request's query parameters, once decoded.
public enum QueryTextCheck {
  /// A refusal naming the first query parameter (name or value) holding a forbidden character.
  public static func problem(in request: Request) -> ProblemDetails? {
    let uri = request.uri
    guard let query = uri.query, !query.isEmpty else { return nil }
    for (rawName, value) in uri.queryParameters {
      let name = rawName.removingPercentEncoding ?? String(rawName)
      guard !JSONTextCheck.isClean(name) || !JSONTextCheck.isClean(value) else { continue }
      let shown = JSONTextCheck.isClean(name) ? name : "?"
      return ProblemDetails(
        status: 400, code: "TEXT_FORBIDDEN_CHARACTER",
        english:
          "query parameter \(shown) holds a control character or a bidirectional override, which no text may contain",
        chinese: "查询参数 \(shown) 含有控制字符或双向文本覆盖字符，不允许提交")
    }
    return nil
  }
}

/// Finds the characters no text field may hold in a JSON document's strings, without parsing it
/// into values: C0 controls other than tab and line breaks, DEL, C1 controls, and the Unicode
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), raw or
/// written as `\u` escapes.
public enum JSONTextCheck {
  /// Whether a text field may hold `scalar`: the domain's rule for multi-line text.
  public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    TextRules.isAllowed(scalar, multiline: true)
  }

  /// Whether `text` holds only characters a text field may hold.
  public static func isClean(_ text: some StringProtocol) -> Bool {
    text.unicodeScalars.allSatisfy(isAllowed)
  }

  /// A refusal naming the first field whose string holds a forbidden character, or nil.
  public static func problem(in bytes: some Collection<UInt8>) -> ProblemDetails? {
    guard hasForbidden(Array(bytes)) else { return nil }
    let field = fieldHoldingForbidden(Data(bytes)) ?? "?"
    return ProblemDetails(
      status: 400, code: "TEXT_FORBIDDEN_CHARACTER",
      english:
        "field \(field) holds a control character or a bidirectional override, which no text may contain",
      chinese: "字段 \(field) 含有控制字符或双向文本覆盖字符，不允许提交")
  }

  /// A linear scan of the raw bytes; only a document it flags is parsed to name the field.
  static func hasForbidden(_ bytes: [UInt8]) -> Bool {
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      switch byte {
      case 0x5C:  // a backslash escape: `\uXXXX` may spell a forbidden scalar
        guard index + 1 < count else { return false }
        if bytes[index + 1] == 0x75, index + 5 < count,
          let value = hexValue(bytes[(index + 2)...(index + 5)]),
          let scalar = Unicode.Scalar(value), !isAllowed(scalar)
        {
          return true
        }
        index += 2
      case 0xC2:  // U+0080–U+009F
        if index + 1 < count, (0x80...0x9F).contains(bytes[index + 1]) { return true }
        index += 1
      case 0xE2:  // U+202A–U+202E are E2 80 AA–AE; U+2066–U+2069 are E2 81 A6–A9
        if index + 2 < count {
          let (second, third) = (bytes[index + 1], bytes[index + 2])
          if second == 0x80, (0xAA...0xAE).contains(third) { return true }
          if second == 0x81, (0xA6...0xA9).contains(third) { return true }
        }
        index += 1
      case 0x7F:
        return true
      default:
        index += 1
      }
    }
    return false
  }

  private static func hexValue(_ digits: ArraySlice<UInt8>) -> UInt32? {
    guard let pair = [UInt8](hex: String(decoding: digits, as: UTF8.self)), pair.count == 2
    else { return nil }
    return UInt32(pair[0]) << 8 | UInt32(pair[1])
  }

  /// The path (`a.b[2].c`) of the first string (or key) holding a forbidden character.
  static func fieldHoldingForbidden(_ data: Data) -> String? {
    guard let root = try? JSONText.parseValue(data) else { return nil }
    return path(to: root, at: "")
  }

  // The parser refuses documents nested deeper than a few hundred levels, so this recursion is
  // bounded too.
  private static func path(to value: JSONValue, at prefix: String) -> String? {
    switch value {
    case .string(let text):
      return isClean(text) ? nil : (prefix.isEmpty ? "(body)" : prefix)
    case .array(let array):
      for (index, element) in array.enumerated() {
        if let found = path(to: element, at: "\(prefix)[\(index)]") { return found }
      }
      return nil
    case .object(let object):
      for member in object.members {
        let field = prefix.isEmpty ? member.key : "\(prefix).\(member.key)"
        if !isClean(member.key) { return field }
        if let found = path(to: member.value, at: field) { return found }
      }
      return nil
    default:
      return nil
    }
  }
}
