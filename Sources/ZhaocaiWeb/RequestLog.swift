import HTTPTypes
import Hummingbird
import Logging

/// One structured log line per request, with a request id: the load balancer's `X-Request-Id`
/// if it sent a well-formed one, else the server's own; answered in `X-Request-Id` and quoted by
/// a fault's problem (`ProblemDetails.fault`). Only the method, the route template, the status
/// and the time are logged: never the query, a header's value, a body or a bid's content.
public struct RequestLog<Context: RequestContext>: RouterMiddleware {
  public init() {}

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let id = Self.acceptable(request.headers[RequestLogID.header]) ?? context.id
    let start = ContinuousClock.now
    var status = 500
    defer {
      let elapsed = ContinuousClock.now - start
      context.logger.info(
        "request",
        metadata: [
          "request.id": "\(id)", "method": "\(request.method.rawValue.prefix(10))",
          "route": "\(context.endpointPath ?? "unmatched")", "status": "\(status)",
          "ms":
            "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
        ])
    }
    do {
      var response = try await RequestLogID.$current.withValue(id) {
        try await next(request, context)
      }
      status = response.status.code
      response.headers[RequestLogID.header] = id
      return response
    } catch let error as any HTTPResponseError {
      status = error.status.code
      throw error
    }
  }

  /// An id from outside only if it is short and plain (it is logged and echoed).
  static func acceptable(_ value: String?) -> String? {
    guard let value, (1...64).contains(value.utf8.count),
      value.utf8.allSatisfy({
        $0 == UInt8(ascii: "-") || (48...57).contains($0) || (65...90).contains($0)
          || (97...122).contains($0)
      })
    else { return nil }
    return value
  }
}

/// The current request's id (a generic type cannot hold the task-local value itself).
public enum RequestLogID {
  @TaskLocal public static var current: String?
  /// The header the id comes in and goes out with.
  public static let header = HTTPField.Name("X-Request-Id")!
}
