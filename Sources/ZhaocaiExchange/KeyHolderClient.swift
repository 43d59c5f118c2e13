import Foundation
import ZhaocaiCrypto

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// What an opening key holder does with its private key, on its own machine (`zhaocai holder
/// release`, and the supervision platform for its share): after the deadline it signs in to the
/// trading platform as the holder the notice names, downloads each envelope of the section,
/// opens the share sealed to its key, checks it against the envelope, and sends the shares. The
/// private key never leaves the machine.
public struct KeyHolderClient: Sendable {
  /// The trading platform's API base, e.g. http://127.0.0.1:8080/api/v1.
  public let platform: String
  /// The holder's name in the notice, which is also its account.
  public let name: String
  public let keys: PrivateKeyFile
  public let password: String

  public init(platform: String, name: String, keys: PrivateKeyFile, password: String) {
    self.platform = platform.hasSuffix("/") ? String(platform.dropLast()) : platform
    self.name = name
    self.keys = keys
    self.password = password
  }

  /// The trading platform refused a step: its problem's code and both messages.
  public struct Refusal: Error, Sendable, Equatable {
    public let status: Int
    public let code: String
    public let english: String
    public let chinese: String
  }

  /// Releases this holder's shares of every bid of `section`; returns how many.
  @discardableResult
  public func release(section: String) async throws -> Int {
    let session = try await json("POST", "/sessions", ["account": name, "password": password])
    guard let token = session["token"] as? String else {
      throw Refusal(
        status: 0, code: "SIGN_IN_FAILED", english: "the platform gave no session",
        chinese: "平台未返回会话")
    }
    let view = try await json("GET", "/sections/\(section)", token: token)
    let bidders = (view["bids"] as? [[String: Any]] ?? []).compactMap { $0["bidder"] as? String }
    var shares: [[String: Any]] = []
    for bidder in bidders {
      let envelope = try await send(request("GET", "/sections/\(section)/bids/\(bidder)", token))
      let header = try EnvelopeReader(MemorySource(Array(envelope))).header
      let share = try header.share(using: keys.sealing)
      shares.append([
        "bidder": bidder, "x": Int(share.x), "y": Data(share.y).base64EncodedString(),
      ])
    }
    _ = try await json(
      "POST", "/sections/\(section)/shares/\(name)", ["shares": shares], token: token)
    return shares.count
  }

  private func request(_ method: String, _ path: String, _ token: String?) throws -> URLRequest {
    var request = URLRequest(url: try OutboxRelay.url(platform, path))
    request.httpMethod = method
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "authorization") }
    return request
  }

  private func json(
    _ method: String, _ path: String, _ body: [String: Any]? = nil, token: String? = nil
  ) async throws -> [String: Any] {
    var request = try request(method, path, token)
    if let body {
      request.setValue("application/json", forHTTPHeaderField: "content-type")
      request.httpBody = try JSONSerialization.data(withJSONObject: body)
    }
    let data = try await send(request)
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
  }

  private func send(_ request: URLRequest) async throws -> Data {
    let (data, status) = try await OutboxRelay.exchange(request)
    guard (200..<300).contains(status) else {
      let problem = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
      throw Refusal(
        status: status, code: problem?["code"] as? String ?? "HTTP \(status)",
        english: problem?["detail"] as? String ?? "",
        chinese: problem?["detailChinese"] as? String ?? "平台拒绝了请求")
    }
    return data
  }
}
