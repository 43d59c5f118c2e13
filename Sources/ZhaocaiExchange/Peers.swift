import Foundation
import HTTPTypes
import OpenAPIRuntime

/// What a receiver (the hub, a supervision platform) answered for one signed message.
public struct DeliveryResult: Sendable, Equatable {
  public enum Status: String, Sendable {
    /// Applied now, or a duplicate of what it applied before: the receiver holds it.
    case applied, duplicate
    /// Held behind a missing earlier message, or refused (the receiver keeps its reason).
    case held, refused
  }

  public let status: Status
  /// A filing's signed acknowledgement, when the supervision platform gave one.
  public let acknowledgement: SignedMessage?

  public init(status: Status, acknowledgement: SignedMessage? = nil) {
    self.status = status
    self.acknowledgement = acknowledgement
  }
}

/// A platform that receives another's signed messages (`POST /exchange/messages`), as the
/// sender's relay calls it: typed clients generated from the receiver's OpenAPI document.
public protocol MessageReceiver: Sendable {
  /// One result per message, in order.
  func receive(_ messages: [SignedMessage]) async throws -> [DeliveryResult]
  /// The last sequence applied from `sender` (a receiver that tracks it; others throw).
  func lastApplied(from sender: String) async throws -> UInt64
}

/// Where a platform publishes its log's checkpoints (the hub).
public protocol CheckpointBoard: Sendable {
  /// The sizes of the checkpoints held for `platform`.
  func checkpointSizes(of platform: String) async throws -> [UInt64]
  /// Publishes a signed checkpoint with the consistency proof from the last one held.
  func publishCheckpoint(platform: String, note: String, proof: [String]) async throws
}

/// Runs a call to another platform: a transport failure becomes `unreachable` (the relay's
/// loop retries it), whatever the generated client wrapped it in.
public func peerCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
  do {
    return try await body()
  } catch let failure as OutboxRelay.Failure {
    throw failure
  } catch let refusal as PeerRefusal {
    throw refusal
  } catch {
    throw OutboxRelay.Failure.unreachable("\(error)")
  }
}

/// Another platform answered with a refusal (its problem+json) or an unexpected status.
public struct PeerRefusal: Error, Sendable, Equatable {
  public let status: Int
  public let code: String
  public let english: String
  public let chinese: String

  public init(status: Int, code: String = "", english: String = "", chinese: String = "") {
    self.status = status
    self.code = code
    self.english = english
    self.chinese = chinese
  }
}

/// Sends `Authorization: Bearer …` on every request of a generated client.
public struct BearerToken: ClientMiddleware {
  let token: String

  public init(_ token: String) { self.token = token }

  public func intercept(
    _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
    next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
  ) async throws -> (HTTPResponse, HTTPBody?) {
    var request = request
    request.headerFields[.authorization] = "Bearer \(token)"
    return try await next(request, body, baseURL)
  }
}
