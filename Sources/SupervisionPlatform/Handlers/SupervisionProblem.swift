import Foundation
import Hummingbird
import OpenAPIRuntime
import TradingClient
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// A refusal as the supervision platform's API states it (RFC 9457; `ZhaocaiWeb.ProblemDetails`).
typealias SupervisionProblem = ProblemDetails

extension ProblemDetails {
  var schema: Components.Schemas.Problem {
    .init(
      _type: type, title: code, status: status, code: code, article: article, detail: english,
      detailChinese: chinese)
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
    if let common = ProblemDetails.common(error) {
      self = common
      return
    }
    switch error {
    case is DecodingError:
      self.init(
        status: 422, code: "MALFORMED", english: "the content is not what it should be",
        chinese: "内容格式错误")
    case let refused as PeerRefusal where refused.code.hasPrefix("RULE_"):
      // A peer's rule (a trading platform refusing a share release before the opening, say)
      // is passed on as that rule.
      self.init(
        status: 502, code: refused.code, english: "the other platform refused: \(refused.english)",
        chinese: refused.chinese)
    case let refused as PeerRefusal:
      // Any other refusal (the hub's registry, say) is this platform failing to proceed.
      self.init(
        status: 502, code: "PEER_REFUSED",
        english: "another platform refused the request (\(refused.status) \(refused.code))",
        chinese: "另一平台拒绝了请求（\(refused.status) \(refused.code)）")
    case is OutboxRelay.Failure:
      // Not the failure's text: it names the peer's internal address and the transport's error.
      self.init(
        status: 503, code: "PEER_UNREACHABLE",
        english: "another platform could not be reached; try again later",
        chinese: "无法连接相关平台，请稍后再试")
    default:
      self = .fault(error, platform: "supervision platform")
    }
  }

  var response: Components.Responses.Problem {
    .init(body: .application_problem_plus_json(schema))
  }
}

extension Components.Responses.Problem: ProblemResponseBody {
  init(_ problem: ProblemDetails) { self = problem.response }
  static func problem(for error: any Error) -> ProblemDetails { SupervisionProblem(error) }
  var details: ProblemDetails {
    switch body {
    case .application_problem_plus_json(let stated):
      ProblemDetails(
        status: stated.status, code: stated.code, article: stated.article,
        english: stated.detail, chinese: stated.detailChinese)
    }
  }
}
