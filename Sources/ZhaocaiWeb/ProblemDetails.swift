import Foundation
import Logging
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// A refusal as every platform's API states it (RFC 9457): its status, a stable code, the article
/// of the rule it enforces (if any), and the reason in English and Chinese.
public struct ProblemDetails: Error, Equatable, Sendable {
  public let status: Int
  public let code: String
  public let article: String?
  public let english: String
  public let chinese: String

  public init(status: Int, code: String, article: String? = nil, english: String, chinese: String) {
    self.status = status
    self.code = code
    self.article = article
    self.english = english
    self.chinese = chinese
  }

  /// The problem type's URI.
  public var type: String { Self.typePrefix + code }
  static let typePrefix = "https://zhaocai.dev/problems/"

  /// The refusals every platform meets, mapped once: the domain's, a certificate's, the
  /// exchange's, the store's lost races, and a request that does not match the API; nil for
  /// anything else, which each platform maps itself.
  public static func common(_ error: any Error) -> ProblemDetails? {
    switch error {
    case let problem as ProblemDetails:
      return problem
    case DomainError.rule(let violation):
      return ProblemDetails(
        status: 422, code: violation.rule.code, article: violation.rule.article,
        english: "\(violation.rule.english): \(violation.detail)",
        chinese: violation.detailChinese.map {
          "\(violation.rule.chinese)（\(violation.rule.article)）：\($0)"
        } ?? "\(violation.rule.chinese)（\(violation.rule.article)）")
    case DomainError.wrongPhase(let action, let phase):
      return ProblemDetails(
        status: 409, code: "STATE_WRONG_PHASE",
        english: "cannot \(action) while the section is \(phase.rawValue)",
        chinese: "当前状态（\(phase.rawValue)）不允许此操作")
    // Without its Chinese, a refusal says in Chinese only what kind it is: never the English.
    case DomainError.notFound(let what, let chinese):
      return ProblemDetails(
        status: 404, code: "NOT_FOUND", english: "\(what) not found",
        chinese: chinese.map { "未找到\($0)" } ?? "未找到所请求的对象")
    case DomainError.invalid(let why, let chinese):
      return ProblemDetails(
        status: 422, code: "INVALID_INPUT", english: why,
        chinese: chinese.map { "输入不符合要求：\($0)" } ?? "输入不符合要求")
    case let refused as CertificateProblem:
      return ProblemDetails(
        status: 422, code: refused.code, english: refused.english, chinese: refused.chinese)
    case let refused as ExchangeError:
      return ProblemDetails(
        status: 422, code: refused.code, english: refused.description,
        chinese: "消息被拒绝：" + refused.chinese)
    case is StoreContention:
      return ProblemDetails(
        status: 409, code: "CONCURRENT_CHANGE",
        english: "other requests were changing the same records at the same time; send it again",
        chinese: "其他请求正在同时修改相同的数据，请重新提交")
    case is StoreClosed:
      return ProblemDetails(
        status: 503, code: "STOPPING",
        english: "the platform is stopping; send it again to another node or in a moment",
        chinese: "平台正在停止服务，请稍后或向其他节点重新提交")
    case let mismatch as ServerError:
      // A refusal of an API middleware (`EmptyBodyMiddleware`) is answered as itself.
      if let refusal = mismatch.underlyingError as? ProblemDetails { return refusal }
      return badRequest(mismatch)
    case let lost where Store.isUnavailable(lost):
      // Logged like a fault (the operator must know) but answered as what it is: try again.
      faultLogger.warning(
        "database unavailable",
        metadata: ["request.id": "\(RequestLogID.current ?? "-")", "error": "\(lost)"])
      return ProblemDetails(
        status: 503, code: "DATABASE_UNAVAILABLE",
        english: "the database cannot be reached now (a failover may be under way); send it again",
        chinese: "数据库暂时无法访问（可能正在进行主备切换），请稍后重新提交")
    default:
      return nil
    }
  }

  /// A request the generated server could not read into its operation's input: which field is
  /// wrong and why, in both languages, never the decoder's own text (it names Swift types).
  static func badRequest(_ mismatch: ServerError) -> ProblemDetails {
    guard let decoding = mismatch.underlyingError as? DecodingError else {
      // The runtime's own account of a missing parameter or a wrong content type.
      return ProblemDetails(
        status: 400, code: "BAD_REQUEST",
        english: "the request does not match the API: \(mismatch.causeDescription)",
        chinese: "请求格式不符合接口定义（参数缺失、类型错误或内容类型不符）")
    }
    let (path, english, chinese): (String, String, String)
    switch decoding {
    case .keyNotFound(let key, let context):
      path = fieldPath(context.codingPath + [key])
      (english, chinese) = ("is required", "为必填项")
    case .valueNotFound(_, let context):
      path = fieldPath(context.codingPath)
      (english, chinese) = ("may not be null", "不能为空值")
    case .typeMismatch(let type, let context):
      path = fieldPath(context.codingPath)
      let (wantedEnglish, wantedChinese) = expected(type)
      (english, chinese) = ("must be \(wantedEnglish)", "应为\(wantedChinese)")
    case .dataCorrupted(let context):
      path = fieldPath(context.codingPath)
      (english, chinese) =
        context.codingPath.isEmpty
        ? ("is not well-formed JSON", "不是格式正确的JSON")
        : (
          "has a value outside what it accepts (an unknown choice, a bad date or number)",
          "的取值不在允许范围内（未知选项、日期或数字格式错误）"
        )
    @unknown default:
      (path, english, chinese) = ("(body)", "cannot be read", "无法读取")
    }
    return ProblemDetails(
      status: 400, code: "BAD_REQUEST", english: "field \(path) \(english)",
      chinese: "字段 \(path) \(chinese)")
  }

  private static func fieldPath(_ keys: [any CodingKey]) -> String {
    // The generated types wrap a body in `body`/`json` cases whose keys are not the client's.
    let names = keys.compactMap { key -> String? in
      if let index = key.intValue { return "[\(index)]" }
      return key.stringValue
    }
    guard !names.isEmpty else { return "(body)" }
    return names.enumerated().map {
      $0.offset == 0 || $0.element.hasPrefix("[") ? $0.element : "." + $0.element
    }
    .joined()
  }

  private static func expected(_ type: Any.Type) -> (String, String) {
    switch type {
    case is String.Type: ("a string", "字符串")
    case is Bool.Type: ("true or false", "布尔值")
    case is Int.Type, is Int64.Type, is Int32.Type: ("a whole number in range", "范围内的整数")
    case is Double.Type, is Float.Type: ("a number", "数字")
    default:
      String(describing: type).hasPrefix("Array")
        ? ("a list", "数组") : ("an object of the documented shape", "符合接口定义的对象")
    }
  }

  /// A fault of the server: logged with a short request id the user can quote, the error itself
  /// never shown (it may name internal addresses or values).
  public static func fault(_ error: any Error, platform: String) -> ProblemDetails {
    let id = RequestLogID.current ?? String(UInt64.random(in: 0...UInt64.max), radix: 16)
    faultLogger.error(
      "request failed",
      metadata: ["request.id": "\(id)", "platform": "\(platform)", "error": "\(error)"])
    return ProblemDetails(
      status: 500, code: "INTERNAL",
      english: "the \(platform) could not complete this (request id \(id))",
      chinese: "平台内部错误，请联系运营机构（请求编号 \(id)）")
  }

  /// The code of a refusal a Zhaocai platform stated in `body`, or nil for any other body (a
  /// proxy's or gateway's error page, say, which says nothing about the request itself).
  public static func code(in body: Data) -> String? {
    struct Stated: Decodable {
      let type: String
      let code: String
    }
    guard let stated = try? JSONDecoder().decode(Stated.self, from: body),
      stated.type == typePrefix + stated.code
    else { return nil }
    return stated.code
  }

  /// The English detail of a refusal a Zhaocai platform stated in `body`.
  public static func detail(in body: Data) -> String? {
    struct Stated: Decodable { let detail: String }
    return (try? JSONDecoder().decode(Stated.self, from: body))?.detail
  }

  /// The Chinese reason a problem+json body states, if it states one.
  public static func detailChinese(in body: Data) -> String? {
    struct Stated: Decodable { let detailChinese: String }
    return (try? JSONDecoder().decode(Stated.self, from: body))?.detailChinese
  }

  /// The problem+json body: the fields every platform's `Problem` schema names, keys sorted.
  public var json: Data {
    struct Body: Encodable {
      let type: String
      let title: String
      let status: Int
      let code: String
      let article: String?
      let detail: String
      let detailChinese: String
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return
      (try? encoder.encode(
        Body(
          type: type, title: code, status: status, code: code, article: article, detail: english,
          detailChinese: chinese))) ?? Data()
  }
}

/// Where server faults are written; `serve` sends it to standard error with the platforms' logs.
let faultLogger = Logger(label: "zhaocai.fault")
