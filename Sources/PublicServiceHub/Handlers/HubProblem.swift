import Foundation
import ZhaocaiStore
import ZhaocaiWeb

/// A refusal as the hub's API states it (RFC 9457; `ZhaocaiWeb.ProblemDetails`).
typealias HubProblem = ProblemDetails

extension ProblemDetails {
  var schema: Components.Schemas.Problem {
    .init(
      _type: type, title: code, status: status, code: code, detail: english,
      detailChinese: chinese)
  }

  static let signInNeeded = HubProblem(
    status: 401, code: "AUTH_REQUIRED", english: "the administrator's token is missing or wrong",
    chinese: "需要管理员令牌")
  static let badBody = HubProblem(
    status: 415, code: "UNSUPPORTED_BODY", english: "the request body has the wrong content type",
    chinese: "请求内容类型错误")

  /// Every error a handler can meet, so none becomes a 500 without being named.
  init(_ error: any Error) {
    if let common = ProblemDetails.common(error) {
      self = common
      return
    }
    switch error {
    case let taken as HubRepository.Taken:
      self.init(
        status: 409, code: "PLATFORM_TAKEN", english: "the platform id \(taken.id) is taken",
        chinese: "平台标识已被注册")
    case let taken as HubExpertRepository.Taken:
      self.init(
        status: 409, code: "EXPERT_TAKEN", english: "\(taken.id) is already in the pool",
        chinese: "该专家已在专家库中")
    case let taken as HubPartyRepository.Taken:
      self.init(
        status: 409, code: "AUTHORITY_TAKEN", english: "the authority id \(taken.id) is taken",
        chinese: "CA机构标识已被使用")
    default:
      self = .fault(error, platform: "hub")
    }
  }
}

extension Components.Responses.Problem: ProblemResponseBody {
  init(_ problem: ProblemDetails) {
    self.init(body: .application_problem_plus_json(problem.schema))
  }
  static func problem(for error: any Error) -> ProblemDetails { HubProblem(error) }
  var details: ProblemDetails {
    switch body {
    case .application_problem_plus_json(let stated):
      ProblemDetails(
        status: stated.status, code: stated.code, article: nil,
        english: stated.detail, chinese: stated.detailChinese)
    }
  }
}

extension Operations.addExpert.Output: ProblemAnswerable {}
extension Operations.applyForRegistration.Output: ProblemAnswerable {}
extension Operations.decideRegistration.Output: ProblemAnswerable {}
extension Operations.drawExperts.Output: ProblemAnswerable {}
extension Operations.getProcessRedFlags.Output: ProblemAnswerable {}
extension Operations.publishBan.Output: ProblemAnswerable {}
extension Operations.publishRevocationList.Output: ProblemAnswerable {}
extension Operations.publishViolation.Output: ProblemAnswerable {}
extension Operations.recogniseAuthority.Output: ProblemAnswerable {}
extension Operations.registerParty.Output: ProblemAnswerable {}
extension Operations.submitCheckpoint.Output: ProblemAnswerable {}
