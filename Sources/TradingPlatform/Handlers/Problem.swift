import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// A refusal as the trading platform's API states it (RFC 9457; `ZhaocaiWeb.ProblemDetails`).
typealias Problem = ProblemDetails

extension ProblemDetails {
  var schema: Components.Schemas.Problem {
    .init(
      _type: type, title: code, status: status, code: code, article: article, detail: english,
      detailChinese: chinese)
  }

  var response: Components.Responses.Problem {
    .init(body: .application_problem_plus_json(schema))
  }

  /// Every error a handler can meet, mapped once, so no refusal becomes a 500.
  init(_ error: any Error) {
    if let common = ProblemDetails.common(error) {
      self = common
      return
    }
    switch error {
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
    case is DecodingError:
      self.init(
        status: 422, code: "MESSAGE_MALFORMED", article: nil,
        english: "the message's content is not what its kind says",
        chinese: "消息内容与其类型不符")
    case let taken as SectionRepository.Taken:
      self.init(
        status: 409, code: "SECTION_TAKEN", article: nil,
        english: "a section with the id \(taken.id) exists already",
        chinese: "标段编号已被使用")
    case let taken as AccountRepository.Taken:
      self.init(
        status: 409, code: "ACCOUNT_TAKEN", article: nil,
        english: "the account name \(taken.id) is taken", chinese: "账号名已被使用")
    default:
      self = .fault(error, platform: "trading platform")
    }
  }
}
