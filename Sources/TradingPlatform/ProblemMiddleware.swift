import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// Turns what the generated server throws before a handler runs (a body that does not decode, a
/// missing parameter, a wrong content type) into a 400 problem+json, so bad input is never a 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as ServerError {
      return Self.response(
        Problem(
          status: 400, code: "BAD_REQUEST", article: nil,
          english: "the request does not match the API: \(error.causeDescription)",
          chinese: "请求格式不符合接口定义"))
    } catch let error as HTTPError {
      throw error
    } catch {
      return Self.response(Problem(error))
    }
  }

  static func response(_ problem: Problem) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let body = (try? encoder.encode(problem.schema)) ?? Data()
    return Response(
      status: .init(code: problem.status),
      headers: [.contentType: "application/problem+json"],
      body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }
}
