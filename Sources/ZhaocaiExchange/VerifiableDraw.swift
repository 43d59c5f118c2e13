import Crypto
import Foundation
import ZhaocaiDomain

/// The hub's expert draw as anyone can redo it (docs/EXCHANGE.md): the seed is SHA-256 of the
/// hub's checkpoint before the draw, a zero byte, and the requesting platform's signed request
/// bytes; its first 8 bytes (big-endian) seed the generator of `ExpertDraw`.
public struct VerifiableDraw: Codable, Sendable, Equatable {
  /// The hub's signed checkpoint the seed comes from.
  public var checkpoint: String
  /// The platform's signed request (kind `expert.draw.request`).
  public var request: SignedMessage
  /// The pool as it stood, every expert with what recusal needs.
  public var pool: [Account]
  public var drawn: [String]
  public var recused: [String]

  public init(
    checkpoint: String, request: SignedMessage, pool: [Account], drawn: [String],
    recused: [String]
  ) {
    self.checkpoint = checkpoint
    self.request = request
    self.pool = pool
    self.drawn = drawn
    self.recused = recused
  }

  /// What a platform asks for.
  public struct Request: Codable, Sendable, Equatable {
    public var section: String
    public var count: Int
    public var speciality: String?
    /// The bidders' credit codes: anyone tied to one of them is recused.
    public var bidders: [String]
    /// Experts not to draw: for a replacement, the committee's members and those who recused.
    public var excluded: [String]?

    public init(
      section: String, count: Int, speciality: String?, bidders: [String],
      excluded: [String]? = nil
    ) {
      self.section = section
      self.count = count
      self.speciality = speciality
      self.bidders = bidders
      self.excluded = excluded
    }
  }

  public static func seed(checkpoint: String, requestBytes: [UInt8]) -> UInt64 {
    let digest = Array(SHA256.hash(data: Array(checkpoint.utf8) + [0] + requestBytes))
    return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
  }

  /// Draws from `pool` for the request inside `request`'s bytes.
  public static func draw(
    checkpoint: String, request: SignedMessage, requestMessage: ExchangeMessage, pool: [Account]
  ) throws -> VerifiableDraw {
    guard let bytes = Data(base64Encoded: request.message) else {
      throw ExchangeError.malformed("the request is not base64")
    }
    let asked: Request
    do {
      asked = try JSONDecoder().decode(Request.self, from: Data(requestMessage.payload.utf8))
    } catch {
      throw ExchangeError.malformed("the payload is not a draw request")
    }
    var generator = SeededGenerator(seed: seed(checkpoint: checkpoint, requestBytes: Array(bytes)))
    let outcome = try ExpertDraw.draw(
      asked.count, speciality: asked.speciality, from: pool, bidders: Set(asked.bidders),
      excluding: Set(asked.excluded ?? []), using: &generator)
    return VerifiableDraw(
      checkpoint: checkpoint, request: request, pool: pool, drawn: outcome.drawn.map(\.id),
      recused: outcome.recused)
  }

  /// Recomputes the draw from what it records; true if it gives the same committee.
  public func recomputes(requestedBy key: Curve25519.Signing.PublicKey? = nil) throws -> Bool {
    let message =
      if let key {
        try request.verified(with: key, for: ExchangeMessage.hub)
      } else {
        try JSONDecoder().decode(
          ExchangeMessage.self, from: Data(base64Encoded: request.message) ?? Data())
      }
    let again = try Self.draw(
      checkpoint: checkpoint, request: request, requestMessage: message, pool: pool)
    return again.drawn == drawn && again.recused == recused
  }
}
