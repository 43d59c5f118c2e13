import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// A refusal as the API states it (RFC 9457): status, stable code, article, both languages.
struct Problem: Error, Equatable {
  let status: Int
  let code: String
  let article: String?
  let english: String
  let chinese: String

  var schema: Components.Schemas.Problem {
    .init(
      _type: "https://zhaocai.dev/problems/\(code)", title: code, status: status, code: code,
      article: article, detail: english, detailChinese: chinese)
  }

  var response: Components.Responses.Problem {
    .init(body: .application_problem_plus_json(schema))
  }

  /// Every error a handler can meet, mapped once, so no refusal becomes a 500.
  init(_ error: any Error) {
    switch error {
    case let problem as Problem:
      self = problem
    case DomainError.rule(let violation):
      self.init(
        status: 422, code: violation.rule.code, article: violation.rule.article,
        english: "\(violation.rule.english): \(violation.detail)",
        chinese: "\(violation.rule.chinese)（\(violation.rule.article)）")
    case DomainError.wrongPhase(let action, let phase):
      self.init(
        status: 409, code: "STATE_WRONG_PHASE", article: nil,
        english: "cannot \(action) while the section is \(phase.rawValue)",
        chinese: "标段当前状态（\(phase.rawValue)）不允许此操作")
    case DomainError.notFound(let what):
      self.init(
        status: 404, code: "NOT_FOUND", article: nil, english: "\(what) not found",
        chinese: "未找到：\(what)")
    case DomainError.invalid(let why):
      self.init(
        status: 422, code: "INVALID_INPUT", article: nil, english: why, chinese: "输入不符合要求：\(why)")
    case let envelope as EnvelopeError:
      let unencrypted: Bool =
        switch envelope {
        case .notAnEnvelope, .unsupportedVersion, .unsupportedSuite: true
        default: false
        }
      self.init(
        status: 422,
        code: unencrypted ? Rules.bidMustBeEncrypted.code : "ENVELOPE_REFUSED",
        article: unencrypted ? Rules.bidMustBeEncrypted.article : nil,
        english: envelope.english, chinese: envelope.chinese)
    case let conflict as SectionRepository.ConcurrentUpdate:
      self.init(
        status: 409, code: "CONCURRENT_UPDATE", article: nil,
        english: "section \(conflict.sectionID) changed meanwhile; try again",
        chinese: "标段已被他人修改，请重试")
    case let refused as CertificateProblem:
      self.init(refused)
    case let refused as ExchangeError:
      self.init(
        status: 422, code: refused.code, article: nil, english: refused.description,
        chinese: "消息被拒绝：" + refused.chinese)
    case is DecodingError:
      self.init(
        status: 422, code: "MESSAGE_MALFORMED", article: nil,
        english: "the message's content is not what its kind says",
        chinese: "消息内容与其类型不符")
    case let taken as AccountRepository.Taken:
      self.init(
        status: 409, code: "ACCOUNT_TAKEN", article: nil,
        english: "the account name \(taken.id) is taken", chinese: "账号名已被使用")
    default:
      self.init(
        status: 500, code: "INTERNAL", article: nil,
        english: "the platform could not complete this",
        chinese: "平台内部错误")
    }
  }

  init(status: Int, code: String, article: String?, english: String, chinese: String) {
    self.status = status
    self.code = code
    self.article = article
    self.english = english
    self.chinese = chinese
  }
}
