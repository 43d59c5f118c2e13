import Foundation
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
        chinese: "\(violation.rule.chinese)（\(violation.rule.article)）")
    case DomainError.wrongPhase(let action, let phase):
      return ProblemDetails(
        status: 409, code: "STATE_WRONG_PHASE",
        english: "cannot \(action) while the section is \(phase.rawValue)",
        chinese: "当前状态（\(phase.rawValue)）不允许此操作")
    case DomainError.notFound(let what):
      return ProblemDetails(
        status: 404, code: "NOT_FOUND", english: "\(what) not found", chinese: "未找到：\(what)")
    case DomainError.invalid(let why):
      return ProblemDetails(
        status: 422, code: "INVALID_INPUT", english: why, chinese: "输入不符合要求：\(why)")
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
    case let mismatch as ServerError:
      return ProblemDetails(
        status: 400, code: "BAD_REQUEST",
        english: "the request does not match the API: \(mismatch.causeDescription)",
        chinese: "请求格式不符合接口定义")
    default:
      return nil
    }
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
