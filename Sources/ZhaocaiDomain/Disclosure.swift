/// Which events belong to the public record (公开信息) when they happen, and so may leave the
/// trading platform for the hub. Everything else stays confidential there: who took documents or
/// bid before the opening (法22), bonds and objections, the key holders' releases, the experts
/// and their marks (条例49) — names reach the public only through the notices.
extension SectionEvent {
  public var isPublicRecord: Bool {
    switch self {
    case .published, .amended, .documentsIssued, .biddingClosed, .bidsVoided, .sectionFailed,
      .terminated,
      .bidOpened, .bidUndecryptable, .openingRecordPublished, .openingClosed, .committeeFormed,
      .evaluationReported, .publicityStarted, .candidateExcused, .awarded, .contractSigned,
      .reportFiled, .archived:
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

/// What the supervision platform receives (行政监督平台: least privilege, 办法): the whole course of
/// the process — terms, objections, deadlines missed, orders, the committee's size — but not who
/// took documents, bid or paid a bond before the opening (法22), nor the experts' names and marks
/// before the result (条例49), nor the key holders' shares.
extension SectionEvent {
  public var isSupervised: Bool {
    switch self {
    case .documentsDownloaded, .appliedForPrequalification, .bidReceived, .bidWithdrawn, .bondPaid,
      .guaranteeLodged, .bondRefunded, .rejectionFlagged, .scoresSubmitted, .memberCheckedIn,
      .leaderElected, .stageConcluded, .reportSigned, .memberRecused:
      false
    default:
      true
    }
  }
}
