import Crypto
import Foundation
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiExchange

/// The hub's API (openapi/exchange.yaml) as the other platforms and the operator's tools call
/// it, over the client generated from that document, so a call cannot drift from the server.
public struct HubConnection: MessageReceiver, CheckpointBoard {
  let client: Client

  /// The hub at `base` (…/api/v1); with `token`, as its administrator.
  public init(_ base: String, token: String? = nil) throws {
    client = Client(
      serverURL: try OutboxRelay.url(base, ""),
      configuration: Configuration(dateTranscoder: .iso8601),
      transport: PeerTransport.shared,
      middlewares: token.map { [BearerToken($0)] } ?? [])
  }

  // MARK: The exchange

  public func receive(_ messages: [SignedMessage]) async throws -> [DeliveryResult] {
    let output = try await peerCall {
      try await client.receiveMessages(body: .json(messages.map(Self.wire)))
    }
    switch output {
    case .ok(let ok):
      let receipts = try ok.body.json
      guard receipts.results.count == messages.count else {
        throw PeerRefusal(status: 200, code: "RECEIPTS_MISMATCH")
      }
      return receipts.results.map {
        DeliveryResult(status: DeliveryResult.Status(rawValue: $0.status.rawValue) ?? .refused)
      }
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  /// The hub keeps no position per sender for a relay to ask: it fetches gaps back itself.
  public func lastApplied(from sender: String) async throws -> UInt64 {
    throw PeerRefusal(status: 404, code: "NOT_TRACKED")
  }

  public func checkpointSizes(of platform: String) async throws -> [UInt64] {
    try await checkpoints(of: platform).map { UInt64(max($0.size, 0)) }
  }

  /// Every checkpoint of `platform` the hub holds, as the signed notes the platform published.
  public func checkpointNotes(of platform: String) async throws -> [String] {
    try await checkpoints(of: platform).map(\.checkpoint)
  }

  private func checkpoints(of platform: String) async throws
    -> [Components.Schemas.HubCheckpoint]
  {
    let output = try await peerCall {
      try await client.listCheckpoints(query: .init(platform: platform))
    }
    switch output {
    case .ok(let ok): return try ok.body.json
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  public func publishCheckpoint(platform: String, note: String, proof: [String]) async throws {
    let output = try await peerCall {
      try await client.submitCheckpoint(
        body: .json(.init(platform: platform, checkpoint: note, proof: proof)))
    }
    switch output {
    case .created: return
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  /// The registry snapshot (`GET /registry`), signed by the hub: taken only if `key` signed it.
  public func registry(key: Curve25519.Signing.PublicKey?) async throws -> PartyRegistry.Snapshot {
    guard let key else { throw OutboxRelay.Failure.unsigned }
    let output = try await peerCall { try await client.getRegistrySnapshot() }
    let signed: Components.Schemas.SignedMessage
    switch output {
    case .ok(let ok): signed = try ok.body.json
    case .undocumented(let status, _): throw PeerRefusal(status: status)
    }
    return try PartyRegistry.Snapshot.verified(
      SignedMessage(message: signed.message, signature: signed.signature), key: key)
  }

  /// A committee drawn at the hub for a platform's signed request (专家资源共享).
  public func drawExperts(_ request: SignedMessage) async throws -> VerifiableDraw {
    let output = try await peerCall {
      try await client.drawExperts(body: .json(Self.wire(request)))
    }
    let draw: Components.Schemas.ExpertDraw
    switch output {
    case .created(let created): draw = try created.body.json
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
    return VerifiableDraw(
      checkpoint: draw.checkpoint,
      request: SignedMessage(message: draw.request.message, signature: draw.request.signature),
      pool: draw.pool.map {
        Account(
          id: $0.id, role: .expert, name: $0.name, creditCode: $0.creditCode,
          pastEmployers: $0.pastEmployers, conflicts: $0.conflicts, specialities: $0.specialities)
      },
      drawn: draw.drawn, recused: draw.recused)
  }

  // MARK: Registration of platforms

  /// A platform as the hub lists it.
  public struct Platform: Sendable, Equatable {
    public let id: String
    public let status: String
    public let kind: String?
    public var name = ""
    public var endpoint = ""
    /// Its exchange key (base64 Ed25519), which its messages are checked with.
    public var publicKey = ""
    /// The key its log's checkpoints and receipts are signed with, as registered at the hub.
    public var logVerifierKey: String?
  }

  public func platforms() async throws -> [Platform] {
    let output = try await peerCall { try await client.listPlatforms() }
    let listed: [Components.Schemas.PlatformView]
    switch output {
    case .ok(let ok): listed = try ok.body.json
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
    return listed.map {
      Platform(
        id: $0.id, status: $0.status.rawValue, kind: $0.kind?.rawValue, name: $0.name,
        endpoint: $0.endpoint, publicKey: $0.publicKey, logVerifierKey: $0.logVerifierKey)
    }
  }

  /// Applies for registration (`kind`: trading or supervision).
  public func apply(
    id: String, name: String, operatorName: String, endpoint: String, publicKey: String,
    logVerifierKey: String?, kind: String
  ) async throws {
    let output = try await peerCall {
      try await client.applyForRegistration(
        body: .json(
          .init(
            id: id, name: name, _operator: operatorName, endpoint: endpoint,
            publicKey: publicKey, logVerifierKey: logVerifierKey, kind: .init(rawValue: kind))))
    }
    switch output {
    case .created: return
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  /// The administrator's decision on a platform's application.
  public func decide(_ id: String, approve: Bool) async throws {
    let output = try await peerCall {
      try await client.decideRegistration(
        path: .init(platformID: id), body: .json(.init(approve: approve)))
    }
    switch output {
    case .ok: return
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  // MARK: Wire

  static func wire(_ message: SignedMessage) -> Components.Schemas.SignedMessage {
    .init(message: message.message, signature: message.signature)
  }

  /// A refusal as the hub stated it.
  static func refusal(_ status: Int, _ problem: Components.Responses.Problem) -> PeerRefusal {
    guard case .application_problem_plus_json(let body) = problem.body else {
      return PeerRefusal(status: status)
    }
    return PeerRefusal(
      status: status, code: body.code, english: body.detail, chinese: body.detailChinese)
  }
}
