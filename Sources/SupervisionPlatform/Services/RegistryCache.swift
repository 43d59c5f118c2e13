import ZhaocaiExchange
import ZhaocaiStore

/// The hub's signed registry as this platform last fetched it. Every complaint is certified
/// against it, and a request must not make the platform download the hub's whole registry each
/// time: it is fetched again after a minute, or at once for a party it does not list yet (one
/// registered since).
actor RegistryCache {
  static let freshSeconds: Int64 = 60
  private var held: (snapshot: PartyRegistry.Snapshot, fetchedAt: Int64)?

  /// The snapshot, fetched with `fetch` if none is held, it is older than a minute, or `listing`
  /// is a credit code it does not list.
  func snapshot(
    at now: Int64, listing code: String? = nil,
    fetch: @Sendable () async throws -> PartyRegistry.Snapshot
  ) async throws -> PartyRegistry.Snapshot {
    if let held, now - held.fetchedAt < Self.freshSeconds, now >= held.fetchedAt,
      code.map({ code in held.snapshot.parties.contains { $0.creditCode == code } }) ?? true
    {
      return held.snapshot
    }
    let snapshot = try await fetch()
    held = (snapshot, now)
    return snapshot
  }
}
