import SQLKit
import Synchronization

/// Answers read from a store, kept until the store's `generation` moves, so a public read asked
/// again and again (a section, a search, the log's head) does not go to the database each time.
/// A store that cannot tell when its data changed (PostgreSQL, several nodes) caches nothing.
public final class ReadCache<Value: Sendable>: Sendable {
  private struct Entry {
    let generation: UInt64
    let value: Value
  }

  private let entries = Mutex<[String: Entry]>([:])
  private let capacity: Int

  /// Keeps at most `capacity` answers; when full it starts again empty (a cold miss costs one
  /// read, and what callers may ask is unbounded).
  public init(capacity: Int = 1024) { self.capacity = capacity }

  /// The answer for `key`, read with `body` (through `Store.read`) unless one read at the
  /// store's current generation is kept.
  public func value(
    _ key: String, on store: Store, _ body: (any SQLDatabase) async throws -> Value
  ) async throws -> Value {
    // Taken before reading: a commit while the read runs leaves the answer under the older
    // count, so the next caller reads again.
    guard let generation = store.generation else { return try await store.read(body) }
    if let kept = kept(key, at: generation) { return kept }
    let value = try await store.read(body)
    keep(value, key, at: generation)
    return value
  }

  /// The answer kept for `key` if it was made at `generation`.
  public func kept(_ key: String, at generation: UInt64) -> Value? {
    entries.withLock { $0[key] }.flatMap { $0.generation == generation ? $0.value : nil }
  }

  /// Keeps `value` for `key` as made at `generation` (take the generation before making it).
  public func keep(_ value: Value, _ key: String, at generation: UInt64) {
    entries.withLock {
      if $0.count >= capacity { $0.removeAll(keepingCapacity: true) }
      $0[key] = Entry(generation: generation, value: value)
    }
  }
}
