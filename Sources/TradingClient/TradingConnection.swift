import Foundation
import OpenAPIRuntime
import ZhaocaiExchange

/// A trading platform's API (openapi/trading.yaml) as the other platforms and the key holders'
/// tool call it, over the client generated from that document.
public struct TradingConnection: Sendable {
  let client: Client

  /// The trading platform at `base` (…/api/v1); with `token`, as that session's account.
  public init(_ base: String, token: String? = nil) throws {
    client = Client(
      serverURL: try OutboxRelay.url(base, ""),
      configuration: Configuration(dateTranscoder: .iso8601),
      transport: PeerTransport.shared,
      middlewares: token.map { [BearerToken($0)] } ?? [])
  }

  /// The messages the platform sent to the hub, signed as sent, from sequence `after` + 1 (a
  /// receiver fetching a gap back).
  public func messages(after: UInt64, limit: Int = 1000) async throws -> [SignedMessage] {
    let output = try await peerCall {
      try await client.listExchangeMessages(
        query: .init(after: Int64(clamping: after), limit: limit))
    }
    switch output {
    case .ok(let ok):
      return try ok.body.json.map { SignedMessage(message: $0.message, signature: $0.signature) }
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  /// How the platform answered a supervision order.
  public enum OrderAnswer: Sendable {
    /// Applied, with the platform's signed acknowledgement.
    case acknowledged(SignedMessage)
    /// Refused by the platform itself, with its reason: final.
    case refused(PeerRefusal)
  }

  /// Delivers a signed supervision order (`POST /exchange/orders`). A proxy's or gateway's
  /// answer, a timeout or a 5xx is thrown, for the relay to send the order again later.
  public func deliverOrder(_ order: SignedMessage) async throws -> OrderAnswer {
    let output = try await peerCall {
      try await client.receiveSupervisionOrder(
        body: .json(.init(message: order.message, signature: order.signature)))
    }
    switch output {
    case .ok(let ok):
      let signed = try ok.body.json
      return .acknowledged(SignedMessage(message: signed.message, signature: signed.signature))
    case .default(let status, let problem)
    where (400..<500).contains(status) && ![408, 429].contains(status):
      return .refused(Self.refusal(status, problem))
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  // MARK: A key holder's steps (KeyHolderClient)

  /// A session for a password account: its bearer token.
  func signIn(account: String, password: String) async throws -> String {
    let output = try await peerCall {
      try await client.signIn(body: .json(.init(account: account, password: password)))
    }
    switch output {
    case .created(let created): return try created.body.json.token
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  /// The credit codes of the section's bidders, as the section's view lists them.
  func bidders(of section: String) async throws -> [String] {
    let output = try await peerCall { try await client.getSection(path: .init(sectionID: section)) }
    switch output {
    case .ok(let ok): return try ok.body.json.bids.map(\.bidder)
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  /// A sealed bid as uploaded (read up to the platform's 2 GiB limit on uploads).
  func envelope(of bidder: String, in section: String) async throws -> [UInt8] {
    try await peerCall {
      let output = try await client.getEnvelope(
        path: .init(sectionID: section, bidderID: bidder))
      switch output {
      case .ok(let ok): return try await [UInt8](collecting: ok.body.binary, upTo: 2 << 30)
      case .default(let status, let problem): throw Self.refusal(status, problem)
      }
    }
  }

  /// Releases `holder`'s shares (bidder, x, y) of the section's bid keys.
  func releaseShares(
    _ shares: [(bidder: String, x: UInt8, y: [UInt8])], of holder: String, in section: String
  ) async throws {
    let output = try await peerCall {
      try await client.releaseShares(
        path: .init(sectionID: section, holder: holder),
        body: .json(
          .init(
            shares: shares.map {
              .init(bidder: $0.bidder, x: Int($0.x), y: Base64EncodedData($0.y))
            })))
    }
    switch output {
    case .ok: return
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  /// A refusal as the trading platform stated it.
  static func refusal(_ status: Int, _ problem: Components.Responses.Problem) -> PeerRefusal {
    guard case .application_problem_plus_json(let body) = problem.body else {
      return PeerRefusal(status: status)
    }
    return PeerRefusal(
      status: status, code: body.code, english: body.detail, chinese: body.detailChinese)
  }
}
