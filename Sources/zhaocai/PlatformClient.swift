import Foundation
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The trading platform's API as the command uses it (holder release, demo): JSON in and out,
/// bearer token after sign-in, problem+json answers turned into one-line errors.
struct PlatformClient: Sendable {
  let base: String
  var token: String?

  init(base: String, token: String? = nil) {
    self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
    self.token = token
  }

  /// Signs in as `account`; the client then acts as that account.
  func signedIn(as account: String, password: String) async throws -> PlatformClient {
    let session = try await json(
      "POST", "/sessions", ["account": .string(account), "password": .string(password)])
    guard let token = session["token"]?.string else {
      throw CommandFailure(
        english: "the platform gave no session token", chinese: "平台未返回登录令牌",
        code: ExitStatus.refused)
    }
    return PlatformClient(base: base, token: token)
  }

  /// A client signed in as a party registered at the hub, by its certificate and key.
  func signedIn(certificate pem: String, key: SigningKey, role: Role) async throws
    -> PlatformClient
  {
    let challenge = try await json("POST", "/sessions/challenge")
    guard let nonce = challenge["nonce"]?.string else {
      throw CommandFailure(
        english: "the platform gave no sign-in challenge", chinese: "平台未返回登录挑战码",
        code: ExitStatus.refused)
    }
    let signature = try key.signature(for: SignInChallenge.message(nonce: nonce))
    let session = try await json(
      "POST", "/sessions/certificate",
      [
        "role": .string(role.rawValue), "certificate": .string(pem), "nonce": .string(nonce),
        "signature": .string(Data(signature).base64EncodedString()),
      ])
    guard let token = session["token"]?.string else {
      throw CommandFailure(
        english: "the platform gave no session token", chinese: "平台未返回登录令牌",
        code: ExitStatus.refused)
    }
    return PlatformClient(base: base, token: token)
  }

  /// Sends JSON (or nothing) and reads the JSON answer (null for an empty one).
  @discardableResult
  func json(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
    var request = try request(method, path)
    if let body {
      request.setValue("application/json", forHTTPHeaderField: "content-type")
      request.httpBody = Data(JSONText.bytes(body))
    }
    return try Self.value(of: try await send(request))
  }

  /// Uploads bytes (an envelope, documents) and reads the JSON answer.
  @discardableResult
  func upload(
    _ method: String, _ path: String, _ bytes: Data, headers: [String: String] = [:]
  ) async throws -> JSONValue {
    var request = try request(method, path)
    request.setValue("application/octet-stream", forHTTPHeaderField: "content-type")
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.httpBody = bytes
    return try Self.value(of: try await send(request))
  }

  private static func value(of answer: Data) throws -> JSONValue {
    guard !answer.isEmpty else { return .null }
    do {
      return try JSONText.parseValue(answer)
    } catch {
      throw CommandFailure(
        english: "the platform's answer is not JSON", chinese: "平台返回的内容不是 JSON",
        code: ExitStatus.refused)
    }
  }

  func download(_ path: String) async throws -> Data {
    try await send(try request("GET", path))
  }

  private func request(_ method: String, _ path: String) throws -> URLRequest {
    guard let url = URL(string: base + path) else {
      throw CommandFailure(
        english: "'\(base + path)' is not a URL", chinese: "地址格式错误", code: .validationFailure)
    }
    var request = URLRequest(url: url)
    request.httpMethod = method
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "authorization") }
    return request
  }

  /// A problem+json answer becomes a one-line error with its code.
  private func send(_ request: URLRequest) async throws -> Data {
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    guard (200..<300).contains(status) else {
      let problem = try? JSONText.parseValue(data)
      throw CommandFailure(
        english:
          "\(problem?["code"]?.string ?? "HTTP \(status)"): \(problem?["detail"]?.string ?? "")",
        chinese: problem?["detailChinese"]?.string ?? "平台拒绝了请求", code: ExitStatus.refused)
    }
    return data
  }
}
