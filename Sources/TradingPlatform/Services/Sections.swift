import ZhaocaiDomain

/// Sections as the platform's operator seeds them, through the same logged transitions as the
/// API's create and publish.
extension TradingPlatform {
  /// Drafts the section of `terms` and publishes its tender notice with `schedule` now, both
  /// logged as done by the platform; the supervision platform's opening key, if linked, must
  /// be among the key holders (as for a tenderer's publication).
  public func publishSection(_ terms: SectionTerms, schedule: TenderSchedule) async throws {
    let now = clock.now()
    _ = try await SectionStore.create(try Section.draft(terms), at: now, in: store)
    let supervisionKey = supervision?.holderKey
    _ = try await SectionStore.apply(terms.sectionID, at: now, in: store) {
      try $0.publish(schedule, at: now, supervisionKey: supervisionKey)
    }
  }
}
