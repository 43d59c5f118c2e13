import Testing
import ZhaocaiWeb

/// A round that never ends is left behind at its limit, so the loop that runs it goes on; a
/// round that ends in time gives its own answer or error.
@Suite struct DeadlineTests {
  private struct Refused: Error {}

  @Test func aRoundThatNeverEndsIsLeftBehindAtItsLimit() async throws {
    let limit = Duration.milliseconds(20)
    await #expect(throws: RoundOverdue.self) {
      try await withDeadline(limit) {
        // Suspended on a continuation nobody resumes, as on a lost connection.
        await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
      }
    }
  }

  @Test func aRoundThatEndsGivesItsOwnAnswer() async throws {
    #expect(try await withDeadline(.seconds(30)) { 42 } == 42)
    await #expect(throws: Refused.self) {
      try await withDeadline(.seconds(30)) { throw Refused() }
    }
  }
}
