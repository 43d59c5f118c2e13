/// Which events belong to the public record (公开信息) when they happen, and so may leave the
/// trading platform for the hub. Everything else stays confidential there: who took documents or
/// bid before the opening (法22), bonds and objections, the key holders' releases, the experts
/// and their marks (条例49) — names reach the public only through the notices.
extension SectionEvent {
  public var isPublicRecord: Bool {
    switch self {
    case .published, .amended, .documentsIssued, .biddingClosed, .sectionFailed, .terminated,
      .bidOpened, .bidUndecryptable, .openingRecordPublished, .openingClosed, .committeeFormed,
      .evaluationReported, .publicityStarted, .awarded, .contractSigned, .reportFiled, .archived:
      true
    default:
      false
    }
  }

  /// The tender notice's publication (its entry carries the terms it published).
  public var isPublication: Bool {
    if case .published = self { true } else { false }
  }
}
