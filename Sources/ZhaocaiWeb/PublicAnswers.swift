import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import ZhaocaiStore

/// Anonymous reads of public records (a section, the log's checkpoint, a notice search) answered
/// with the bytes of the last such answer while the store has not committed since: the handler,
/// its database read and its JSON encoding run once per commit instead of once per request.
/// Every answer carries an ETag, and one sent back in `If-None-Match` gets 304. Only requests
/// without credentials (no `Authorization`, no `Cookie`) are served from or kept in it, only 200s
/// are kept, and a store that cannot tell when its data changed (PostgreSQL) keeps nothing, so
/// each node there answers fresh (still with ETags). A checkpoint kept this way is the one made
/// at the first read after the commit: its time line says when that was.
public struct PublicAnswers<Context: RequestContext>: RouterMiddleware {
  private let store: Store
  private let isPublic: @Sendable (_ path: String) -> Bool
  private let kept = ReadCache<Answer>()

  /// `isPublic`: whether a request path is a public record whose answer depends only on the
  /// database (never on the caller or the clock beyond what a commit changes).
  public init(store: Store, isPublic: @escaping @Sendable (_ path: String) -> Bool) {
    self.store = store
    self.isPublic = isPublic
  }

  /// The largest answer kept, and the longest request URI.
  static var largestBody: Int { 256 << 10 }
  static var longestKey: Int { 2048 }

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    guard request.method == .get, request.headers[.authorization] == nil,
      request.headers[.cookie] == nil, isPublic(request.uri.path)
    else { return try await next(request, context) }
    let key = request.uri.description
    guard key.utf8.count <= Self.longestKey else { return try await next(request, context) }
    // Read before the answer is made: a commit meanwhile leaves it under the older count.
    let generation = store.generation
    if let generation, let answer = kept.kept(key, at: generation) {
      return answer.response(to: request)
    }
    let response = try await next(request, context)
    guard response.status == .ok else { return response }
    let answer = try await Answer(response)
    if let generation, answer.body.readableBytes <= Self.largestBody {
      kept.keep(answer, key, at: generation)
    }
    return answer.response(to: request)
  }

  /// One answer's bytes, its headers and its ETag.
  struct Answer: Sendable {
    let headers: HTTPFields
    let body: ByteBuffer
    let etag: String

    /// The response with its body read whole (public records are small: their lists are paged).
    init(_ response: Response) async throws {
      let collected = Collected()
      try await response.body.write(CollectingWriter(into: collected))
      let body = collected.buffer.withLock { $0 }
      var headers = response.headers
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for byte in body.readableBytesView {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
      }
      etag = "\"" + String(hash, radix: 16) + "-" + String(body.readableBytes, radix: 16) + "\""
      headers[.eTag] = etag
      self.headers = headers
      self.body = body
    }

    func response(to request: Request) -> Response {
      if let match = request.headers[.ifNoneMatch],
        match.split(separator: ",").contains(where: {
          $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*"
        })
      {
        var headers = HTTPFields()
        headers[.eTag] = etag
        return Response(status: .notModified, headers: headers)
      }
      return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
  }

  /// The bytes a body wrote.
  final class Collected: Sendable {
    let buffer = Mutex<ByteBuffer>(ByteBuffer())
  }

  struct CollectingWriter: ResponseBodyWriter {
    let into: Collected

    mutating func write(_ buffer: ByteBuffer) async throws {
      _ = into.buffer.withLock { $0.writeImmutableBuffer(buffer) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
  }
}
