import Synchronization

/// A round of background work that did not end within its limit.
public struct RoundOverdue: Error, Sendable, CustomStringConvertible {
  public let limit: Duration
  public var description: String { "the round did not end within \(limit)" }
}

/// Runs `operation` in a task of its own and waits for it at most `limit`: past it the task is
/// cancelled and left behind, and `RoundOverdue` is thrown, so the loop that asked goes on. Only
/// for work that is safe to do again (a relay round: the receiver applies each message once).
/// Why: a statement caught on a PostgreSQL connection as its server died was seen never to
/// return, and it held the relay's loop with it.
public func withDeadline<T: Sendable>(
  _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
  let work = Task { try await operation() }
  let answer = Answer<T>()
  return try await withTaskCancellationHandler {
    try await withCheckedThrowingContinuation { continuation in
      answer.waiting(continuation)
      let timer = Task {
        try? await Task.sleep(for: limit)
        guard !Task.isCancelled else { return }
        if answer.give(.failure(RoundOverdue(limit: limit))) { work.cancel() }
      }
      Task {
        let result = await work.result
        timer.cancel()
        _ = answer.give(result)
      }
    }
  } onCancel: {
    work.cancel()
  }
}

/// The one answer a deadline gives: the first of the work's result and the timer.
private final class Answer<T: Sendable>: Sendable {
  private let state = Mutex<(CheckedContinuation<T, any Error>?, Result<T, any Error>?)>((nil, nil))

  func waiting(_ continuation: CheckedContinuation<T, any Error>) {
    let early: Result<T, any Error>? = state.withLock {
      if let result = $0.1 { return result }
      $0.0 = continuation
      return nil
    }
    if let early { continuation.resume(with: early) }
  }

  /// Gives `result` if no answer was given yet; true if it was this one.
  func give(_ result: Result<T, any Error>) -> Bool {
    let (given, continuation): (Bool, CheckedContinuation<T, any Error>?) = state.withLock {
      guard $0.1 == nil else { return (false, nil) }
      $0.1 = result
      let continuation = $0.0
      $0.0 = nil
      return (true, continuation)
    }
    continuation?.resume(with: result)
    return given
  }
}
