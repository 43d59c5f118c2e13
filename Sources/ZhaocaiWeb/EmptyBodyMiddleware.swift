import HTTPTypes
import OpenAPIRuntime

/// Passes a request of an operation whose JSON body is optional (an objection's statement, an
/// answer) without a body when it carries none: the Hummingbird transport hands the generated
/// server a body even then (chunked and empty, and typed as octet-stream by some clients), which it would try to decode
/// as JSON and refuse. Only those operations' bodies are read here, and at most 16 KiB of them.
public struct EmptyBodyMiddleware: ServerMiddleware {
  let operations: Set<String>

  /// The most an optional JSON body of these operations may hold.
  static let limit = 16_384

  public init(operations: Set<String>) { self.operations = operations }

  public func intercept(
    _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata,
    operationID: String,
    next:
      @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
        HTTPResponse, HTTPBody?
      )
  ) async throws -> (HTTPResponse, HTTPBody?) {
    guard operations.contains(operationID), let body else {
      return try await next(request, body, metadata)
    }
    let bytes: [UInt8]
    do {
      bytes = try await [UInt8](collecting: body, upTo: Self.limit)
    } catch {
      throw ProblemDetails(
        status: 413, code: "BODY_TOO_LARGE",
        english: "the request body holds more than \(Self.limit) bytes",
        chinese: "请求内容超过\(Self.limit)字节")
    }
    guard bytes.isEmpty else { return try await next(request, HTTPBody(bytes), metadata) }
    // Nothing sent: whatever type it was said to be, there is no body to match it.
    var bare = request
    bare.headerFields[.contentType] = nil
    return try await next(bare, nil, metadata)
  }
}
