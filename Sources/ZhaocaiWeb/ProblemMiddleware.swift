import Foundation
import Hummingbird
import NIOCore
import OpenAPIRuntime

/// Turns what escapes a handler — a body that does not decode, a missing parameter, a refused
/// token, an error no handler answered — into problem+json, so bad input is never a bare 500.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
  /// How the platform states an error (`ProblemDetails.common` first, then its own).
  let answer: @Sendable (any Error) -> ProblemDetails

  public init(answering answer: @escaping @Sendable (any Error) -> ProblemDetails) {
    self.answer = answer
  }

  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as HTTPError {
      throw error
    } catch let wrapped as ServerError where wrapped.operationInput != nil {
      // The request was read: what failed is the handler's own work, answered as such (a
      // fault of the server stays a 5xx, never a 400 about the request).
      return Self.response(answer(wrapped.underlyingError))
    } catch {
      return Self.response(answer(error))
    }
  }

  public static func response(_ problem: ProblemDetails) -> Response {
    Response(
      status: .init(code: problem.status), headers: [.contentType: "application/problem+json"],
      body: .init(byteBuffer: ByteBuffer(bytes: problem.json)))
  }
}

/// A request context that knows the peer's address, so every action can be recorded with it.
public struct AddressedRequestContext: RequestContext, RemoteAddressRequestContext {
  public var coreContext: CoreRequestContextStorage
  public let remoteAddress: SocketAddress?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
  }
}
