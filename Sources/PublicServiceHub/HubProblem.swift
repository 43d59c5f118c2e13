import Foundation
import Hummingbird
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// A refusal as the hub's API states it (RFC 9457), in both languages.
struct HubProblem: Error {
  let status: Int
  let code: String
  let english: String
  let chinese: String

  var schema: Components.Schemas.Problem {
    .init(
      _type: "https://zhaocai.dev/problems/\(code)", title: code, status: status, code: code,
      detail: english, detailChinese: chinese)
  }

  static let signInNeeded = HubProblem(
    status: 401, code: "AUTH_REQUIRED", english: "the administrator's token is missing or wrong",
    chinese: "需要管理员令牌")
  static let badBody = HubProblem(
    status: 415, code: "UNSUPPORTED_BODY", english: "the request body has the wrong content type",
    chinese: "请求内容类型错误")

  /// Every error a handler can meet, so none becomes a 500 without being named.
  init(_ error: any Error) {
    switch error {
    case let problem as HubProblem: self = problem
    case let taken as HubRepository.Taken:
      self.init(
        status: 409, code: "PLATFORM_TAKEN", english: "the platform id \(taken.id) is taken",
        chinese: "平台标识已被注册")
    case DomainError.rule(let violation):
      self.init(
        status: 422, code: violation.rule.code, english: violation.description,
        chinese: "\(violation.rule.chinese)（\(violation.rule.article)）")
    case DomainError.invalid(let why):
      self.init(status: 422, code: "INVALID_INPUT", english: why, chinese: "输入不符合要求：\(why)")
    case let taken as AccountRepository.Taken:
      self.init(
        status: 409, code: "EXPERT_TAKEN", english: "\(taken.id) is already in the pool",
        chinese: "该专家已在专家库中")
    case let refused as CertificateProblem:
      self.init(
        status: 422, code: refused.code, english: refused.english, chinese: refused.chinese)
    case let taken as PartyRegistry.Taken:
      self.init(
        status: 409, code: "AUTHORITY_TAKEN", english: "the authority id \(taken.id) is taken",
        chinese: "CA机构标识已被使用")
    case let exchange as ExchangeError:
      self.init(
        status: 422, code: exchange.code, english: exchange.description,
        chinese: "消息被拒绝：" + exchange.chinese)
    default:
      self.init(
        status: 500, code: "INTERNAL", english: "the hub could not complete this",
        chinese: "公共服务平台内部错误")
    }
  }

  init(status: Int, code: String, english: String, chinese: String) {
    self.status = status
    self.code = code
    self.english = english
    self.chinese = chinese
  }

}

/// Turns what escapes a handler (a malformed request, a refused token) into problem+json.
struct HubProblemMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as HTTPError {
      throw error
    } catch let error as ServerError {
      return Self.response(
        HubProblem(
          status: 400, code: "BAD_REQUEST",
          english: "the request does not match the API: \(error.causeDescription)",
          chinese: "请求格式不符合接口定义"))
    } catch {
      return Self.response(HubProblem(error))
    }
  }

  static func response(_ problem: HubProblem) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let body = (try? encoder.encode(problem.schema)) ?? Data()
    return Response(
      status: .init(code: problem.status), headers: [.contentType: "application/problem+json"],
      body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }
}
