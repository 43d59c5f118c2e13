import Foundation
import Hummingbird
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// A refusal as the supervision platform's API states it (RFC 9457), in both languages.
struct SupervisionProblem: Error {
  let status: Int
  let code: String
  let article: String?
  let english: String
  let chinese: String

  init(status: Int, code: String, article: String? = nil, english: String, chinese: String) {
    self.status = status
    self.code = code
    self.article = article
    self.english = english
    self.chinese = chinese
  }

  var schema: Components.Schemas.Problem {
    .init(
      _type: "https://zhaocai.dev/problems/\(code)", title: code, status: status, code: code,
      article: article, detail: english, detailChinese: chinese)
  }

  static let signInNeeded = SupervisionProblem(
    status: 401, code: "AUTH_REQUIRED",
    english: "sign in first (POST /sessions); the token is missing, unknown or expired",
    chinese: "请先登录，令牌缺失、无效或已过期")
  static let wrongPassword = SupervisionProblem(
    status: 401, code: "SIGN_IN_FAILED", english: "wrong supervisor or password",
    chinese: "账号或密码错误")
  static let badBody = SupervisionProblem(
    status: 415, code: "UNSUPPORTED_BODY", english: "the request body has the wrong content type",
    chinese: "请求内容类型错误")
  /// Outside the remit and non-existent look the same, so a supervisor learns nothing of others'.
  static func notInRemit(_ what: String) -> SupervisionProblem {
    SupervisionProblem(
      status: 404, code: "NOT_IN_REMIT", english: "no \(what) in your remit",
      chinese: "您的监督职责范围内没有该项目或事项")
  }

  static func notAHolder(_ platform: String) -> SupervisionProblem {
    SupervisionProblem(
      status: 409, code: "NOT_A_KEY_HOLDER",
      english: "this platform holds no opening key for \(platform)'s sections",
      chinese: "本平台不是该交易平台的开标密钥持有人")
  }

  /// Every error a handler can meet, so none becomes a 500 without being named.
  init(_ error: any Error) {
    switch error {
    case let problem as SupervisionProblem: self = problem
    case DomainError.rule(let violation):
      self.init(
        status: 422, code: violation.rule.code, article: violation.rule.article,
        english: "\(violation.rule.english): \(violation.detail)",
        chinese: "\(violation.rule.chinese)（\(violation.rule.article)）")
    case DomainError.wrongPhase(let action, let phase):
      self.init(
        status: 409, code: "STATE_WRONG_PHASE", english: "cannot \(action) while \(phase.rawValue)",
        chinese: "当前状态不允许此操作")
    case DomainError.notFound(let what):
      self.init(
        status: 404, code: "NOT_FOUND", english: "\(what) not found", chinese: "未找到：\(what)")
    case DomainError.invalid(let why):
      self.init(status: 422, code: "INVALID_INPUT", english: why, chinese: "输入不符合要求：\(why)")
    case let refused as CertificateProblem:
      self.init(
        status: 422, code: refused.code, english: refused.english, chinese: refused.chinese)
    case let refused as ExchangeError:
      self.init(
        status: 422, code: refused.code, english: refused.description,
        chinese: "消息被拒绝：" + refused.chinese)
    case is DecodingError:
      self.init(
        status: 422, code: "MALFORMED", english: "the content is not what it should be",
        chinese: "内容格式错误")
    case let refused as KeyHolderClient.Refusal:
      self.init(
        status: 502, code: refused.code,
        english: "the trading platform refused: \(refused.english)", chinese: refused.chinese)
    case is OutboxRelay.Failure:
      // Not the failure's text: it names the peer's internal address and the transport's error.
      self.init(
        status: 503, code: "PEER_UNREACHABLE",
        english: "another platform could not be reached; try again later",
        chinese: "无法连接相关平台，请稍后再试")
    default:
      self.init(
        status: 500, code: "INTERNAL", english: "the supervision platform could not complete this",
        chinese: "监督平台内部错误")
    }
  }

  var response: Components.Responses.Problem {
    .init(body: .application_problem_plus_json(schema))
  }
}

/// An operation's output that can carry a problem: every generated `Output` has `.default`.
protocol SupervisionAnswerable {
  static func `default`(statusCode: Int, _ value: Components.Responses.Problem) -> Self
}

/// Runs a handler body; any error it throws becomes the operation's problem response.
func answering<Output: SupervisionAnswerable>(_ body: () async throws -> Output) async -> Output {
  do {
    return try await body()
  } catch {
    let problem = SupervisionProblem(error)
    return .default(statusCode: problem.status, problem.response)
  }
}

/// Turns what the generated server throws before a handler runs into a 400 problem+json.
struct SupervisionProblemMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as HTTPError {
      throw error
    } catch {
      return Self.response(Self.problem(error))
    }
  }

  /// The problem an error thrown further in is answered with.
  static func problem(_ error: any Error) -> SupervisionProblem {
    guard let error = error as? ServerError else { return SupervisionProblem(error) }
    return SupervisionProblem(
      status: 400, code: "BAD_REQUEST",
      english: "the request does not match the API: \(error.causeDescription)",
      chinese: "请求格式不符合接口定义")
  }

  static func response(_ problem: SupervisionProblem) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Response(
      status: .init(code: problem.status), headers: [.contentType: "application/problem+json"],
      body: .init(byteBuffer: ByteBuffer(bytes: (try? encoder.encode(problem.schema)) ?? Data())))
  }
}
