/// An operation's output that can carry a problem: every generated `Output` whose operation
/// declares a `default` response has `.default(statusCode:_:)`.
public protocol ProblemAnswerable {
  associatedtype ProblemResponse: ProblemResponseBody
  static func `default`(statusCode: Int, _ value: ProblemResponse) -> Self
}

/// A platform's generated problem response, and how that platform reads an error as a problem
/// (each platform maps the errors it can meet once, so no refusal becomes a 500).
public protocol ProblemResponseBody {
  init(_ problem: ProblemDetails)
  /// The refusal the response states (what a page shows of it).
  var details: ProblemDetails { get }
  static func problem(for error: any Error) -> ProblemDetails
}

/// Runs a handler body; any error it throws becomes the operation's problem response.
public func answering<Output: ProblemAnswerable>(
  _ body: () async throws -> Output
) async -> Output {
  do {
    return try await body()
  } catch {
    let problem = Output.ProblemResponse.problem(for: error)
    return .default(statusCode: problem.status, .init(problem))
  }
}
