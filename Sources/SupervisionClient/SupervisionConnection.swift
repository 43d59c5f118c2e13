import Foundation
import OpenAPIRuntime
import ZhaocaiExchange

/// A supervision platform's API (openapi/supervision.yaml) as a trading platform's relay calls
/// it (live tracking, filings), over the client generated from that document.
public struct SupervisionConnection: MessageReceiver {
  let client: Client

  /// The supervision platform at `base` (…/api/v1).
  public init(_ base: String) throws {
    client = Client(
      serverURL: try OutboxRelay.url(base, ""),
      configuration: Configuration(dateTranscoder: .iso8601),
      transport: PeerTransport.shared)
  }

  public func receive(_ messages: [SignedMessage]) async throws -> [DeliveryResult] {
    let output = try await peerCall {
      try await client.receiveMessages(
        body: .json(messages.map { .init(message: $0.message, signature: $0.signature) }))
    }
    switch output {
    case .ok(let ok):
      let results = try ok.body.json.results
      guard results.count == messages.count else {
        throw PeerRefusal(status: 200, code: "RECEIPTS_MISMATCH")
      }
      return results.map {
        DeliveryResult(
          status: DeliveryResult.Status(rawValue: $0.status.rawValue) ?? .refused,
          acknowledgement: $0.acknowledgement.map {
            SignedMessage(message: $0.message, signature: $0.signature)
          })
      }
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  public func lastApplied(from sender: String) async throws -> UInt64 {
    let output = try await peerCall {
      try await client.getSenderPosition(path: .init(platformID: sender))
    }
    switch output {
    case .ok(let ok): return UInt64(max(try ok.body.json.lastApplied, 0))
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  /// A refusal as the supervision platform stated it.
  static func refusal(_ status: Int, _ problem: Components.Responses.Problem) -> PeerRefusal {
    guard case .application_problem_plus_json(let body) = problem.body else {
      return PeerRefusal(status: status)
    }
    return PeerRefusal(
      status: status, code: body.code, english: body.detail, chinese: body.detailChinese)
  }
}
