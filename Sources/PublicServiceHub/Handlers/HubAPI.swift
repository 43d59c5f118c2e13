import Crypto
import Foundation
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// The handlers of openapi/exchange.yaml.
struct HubAPI: APIProtocol {
  let hub: PublicServiceHub

  func applyForRegistration(_ input: Operations.applyForRegistration.Input) async throws
    -> Operations.applyForRegistration.Output
  {
    return await answering {
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      guard let raw = Data(base64Encoded: body.publicKey),
        (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
      else {
        throw HubProblem(
          status: 422, code: "INVALID_INPUT", english: "the public key is not an Ed25519 key",
          chinese: "公钥不是有效的 Ed25519 公钥")
      }
      let idCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-.")
      guard (3...64).contains(body.id.count), body.id.allSatisfy(idCharacters.contains),
        URL(string: body.endpoint)?.scheme?.hasPrefix("http") == true
      else {
        throw HubProblem(
          status: 422, code: "INVALID_INPUT",
          english: "the id needs 3 to 64 of a-z, 0-9, '-', '.'; the endpoint an http(s) URL",
          chinese: "平台标识或地址格式错误")
      }
      if let key = body.logVerifierKey, (try? NoteVerifier(verifierKey: key)) == nil {
        throw HubProblem(
          status: 422, code: "INVALID_INPUT", english: "the log verifier key is malformed",
          chinese: "日志验证密钥格式错误")
      }
      let platform = HubRepository.Platform(
        id: body.id, name: body.name, operatorName: body._operator, endpoint: body.endpoint,
        publicKey: body.publicKey, status: .pending, logVerifierKey: body.logVerifierKey,
        kind: body.kind.flatMap { .init(rawValue: $0.rawValue) } ?? .trading)
      let now = hub.now()
      try await hub.store.transaction { try await HubRepository.apply(platform, at: now, on: $0) }
      return .created(.init(body: .json(Self.view(platform))))
    }
  }

  func listPlatforms(_ input: Operations.listPlatforms.Input) async throws
    -> Operations.listPlatforms.Output
  {
    let platforms = try await hub.store.transaction { try await HubRepository.all(on: $0) }
    return .ok(.init(body: .json(platforms.map(Self.view))))
  }

  func decideRegistration(_ input: Operations.decideRegistration.Input) async throws
    -> Operations.decideRegistration.Output
  {
    return await answering {
      guard HubCaller.isAdministrator else {
        throw HubProblem.signInNeeded
      }
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      let id = input.path.platformID
      let now = hub.now()
      let decided = try await hub.store.transaction { database in
        guard try await HubRepository.find(id, on: database) != nil else {
          throw HubProblem(
            status: 404, code: "NOT_FOUND", english: "platform \(id) not found",
            chinese: "未找到该平台")
        }
        try await HubRepository.decide(id, approve: body.approve, at: now, on: database)
        return try await HubRepository.find(id, on: database)!
      }
      return .ok(.init(body: .json(Self.view(decided))))
    }
  }

  /// Verifies each message against its sender's registered key, then applies it once and in
  /// its sender's order (`PublicServiceHub.receive`).
  func receiveMessages(_ input: Operations.receiveMessages.Input) async throws
    -> Operations.receiveMessages.Output
  {
    guard case .json(let body) = input.body else {
      return .default(statusCode: 415, Self.problem(HubProblem.badBody))
    }
    let received = try await hub.receive(
      body.map { SignedMessage(message: $0.message, signature: $0.signature) })
    return .ok(
      .init(
        body: .json(
          .init(
            results: received.results.map {
              .init(
                sender: $0.sender, sequence: $0.sequence.map(Int64.init),
                status: Self.wire($0.status), code: $0.code, detail: $0.detail)
            },
            missing: received.missing.sorted { $0.key < $1.key }.map {
              .init(
                sender: $0.key, from: Int64($0.value.lowerBound), to: Int64($0.value.upperBound))
            }))))
  }

  func searchNotices(_ input: Operations.searchNotices.Input) async throws
    -> Operations.searchNotices.Output
  {
    var query = HubNoticeRepository.Query()
    query.text = input.query.q
    query.region = input.query.region
    query.industry = input.query.industry
    query.kind = input.query.kind
    query.platform = input.query.platform
    query.from = input.query.from.map { Int64($0.timeIntervalSince1970) }
    query.to = input.query.to.map { Int64($0.timeIntervalSince1970) }
    query.limit = Paging.limit(input.query.limit, default: 50, max: 200)
    // Far pages of a search cost as much as reading everything: 10,000 results deep at most.
    query.offset = min(Paging.position(input.query.offset), 10_000)
    let (found, platforms) = try await hub.notices(query)
    return .ok(
      .init(
        body: .json(
          found.map {
            .init(
              platform: $0.platform, section: $0.section, kind: $0.kind, title: $0.title,
              body: $0.body, region: $0.region, industry: $0.industry,
              publishedAt: Date(timeIntervalSince1970: TimeInterval($0.publishedAt)),
              link: "\(platforms[$0.platform]?.endpoint ?? "")/sections/\($0.section)/notices")
          })))
  }

  static func view(_ platform: HubRepository.Platform) -> Components.Schemas.PlatformView {
    .init(
      id: platform.id, name: platform.name, _operator: platform.operatorName,
      endpoint: platform.endpoint, publicKey: platform.publicKey,
      logVerifierKey: platform.logVerifierKey, status: .init(rawValue: platform.status.rawValue)!,
      kind: .init(rawValue: platform.kind.rawValue))
  }

  static func wire(_ status: PublicServiceHub.Receipt.Status)
    -> Components.Schemas.Receipts.resultsPayloadPayload.statusPayload
  {
    switch status {
    case .applied: .applied
    case .duplicate: .duplicate
    case .held: .held
    case .refused: .refused
    }
  }

  static func problem(_ error: any Error) -> Components.Responses.Problem {
    .init(body: .application_problem_plus_json(HubProblem(error).schema))
  }
}
