import ZhaocaiDomain

/// The platform's list of tenders as a caller may see it: the API's `GET /sections`, the pages'
/// lists and the workspace all read it, so a draft reaches only those who run it.
extension TradingPlatform {
  /// What to list.
  struct SectionFilter: Sendable {
    var phase: SectionPhase?
    /// Only the caller's own: a bidder's sections with its bid, a manager's sections.
    var mine = false
    var limit = 50
    var offset = 0
  }

  /// Sections `caller` may see, most recently changed first. Drafts and `mine` are decided per
  /// section, so rows are read in batches until the page is full — at most `scanLimit` rows,
  /// which bounds what one request can cost.
  func visibleSections(_ filter: SectionFilter, for caller: Caller) async throws -> [Section] {
    let role = caller.account?.role
    let mayManage = role == .tenderer || role == .agency || role == .administrator
    let wanted: (Section) -> Bool = { section in
      if section.phase == .draft, !caller.manages(section) { return false }
      guard filter.mine else { return true }
      if role == .bidder, let party = caller.account?.creditCode {
        return section.bids[party] != nil
      }
      return role != .administrator && caller.manages(section)
    }
    let batchSize = 200
    var found: [Section] = []
    var skipped = 0
    var scanned = 0
    while found.count < filter.limit, scanned < Self.scanLimit {
      let batch = try await store.read {
        try await SectionRepository.batch(
          phases: filter.phase.map { [$0] } ?? [], withDrafts: mayManage, limit: batchSize,
          offset: scanned, on: $0)
      }
      scanned += batch.count
      for section in batch where wanted(section) {
        if skipped < filter.offset {
          skipped += 1
        } else if found.count < filter.limit {
          found.append(section)
        }
      }
      if batch.count < batchSize { break }
    }
    return found
  }

  /// The most rows one list request reads.
  static let scanLimit = 20_000
}
