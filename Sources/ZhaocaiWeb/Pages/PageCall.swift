/// Pages call the platform's API handlers in process, so a page and the API apply one set of
/// rules; this reads what a handler answered: its value, or the refusal it stated, thrown.
public enum PageCall {
  /// `value(output)` when the handler answered; its refusal, thrown, when it refused.
  public static func value<Output: ProblemAnswerable, Value>(
    _ output: Output, _ value: (Output) throws -> Value
  ) throws -> Value {
    if let refusal = refusal(in: output) { throw refusal }
    return try value(output)
  }

  /// The refusal an operation's output states, if it is its `default` (problem) response.
  public static func refusal<Output: ProblemAnswerable>(in output: Output) -> ProblemDetails? {
    let answer = Mirror(reflecting: output)
    guard let stated = answer.children.first, stated.label == "default" else { return nil }
    for part in Mirror(reflecting: stated.value).children {
      if let problem = part.value as? Output.ProblemResponse { return problem.details }
    }
    return nil
  }
}
