/// Tender documents: versions issued by the tenderer and the parties that downloaded them.
extension Section {
  /// Issues a version of the documents: before publication it is the first issue; during
  /// bidding it is an amendment, which may move the deadline (法23, 条例21) and is sent to every
  /// party that downloaded the documents.
  public func issueDocuments(version: Int, hash: String, at now: Int64) throws(DomainError)
    -> Transition
  {
    let issued = SectionEvent.documentsIssued(version: version, hash: hash, at: now)
    switch phase {
    case .draft:
      var next = self
      next.documentVersions.append(hash)
      return Transition(section: next, events: [issued])
    case .bidding:
      let amended = try amend(at: now)
      var next = amended.section
      next.documentVersions.append(hash)
      return Transition(section: next, events: [issued] + amended.events)
    default:
      throw .wrongPhase(action: "issue tender documents", phase: phase)
    }
  }

  /// A party downloads the documents during the sale period (条例16); after prequalification,
  /// those who passed it until the deadline.
  public func download(party: String, version: Int, at now: Int64) throws(DomainError)
    -> Transition
  {
    guard phase == .bidding, let schedule else {
      throw .wrongPhase(action: "download the documents", phase: phase)
    }
    let onSale = (schedule.documentsIssuedAt..<schedule.saleEndsAt).contains(now)
    guard onSale || (prequalified && now < schedule.bidDeadline) else {
      let (from, to) = (
        Notice.legalTime(schedule.documentsIssuedAt), Notice.legalTime(schedule.saleEndsAt)
      )
      throw .invalid(
        "the documents are on sale from \(from) to \(to)", chinese: "招标文件发售期为\(from)至\(to)")
    }
    // During prequalification its documents go to whoever may apply.
    let mayApply =
      schedule.inPrequalification(at: now)
      && (terms.procedure == .openWithPrequalification || schedule.invited.contains(party))
    guard mayApply || admits(party) else {
      throw .invalid("\(party) was not invited to bid", chinese: "\(party)未受邀请投标")
    }
    // Not `1...count`: a section with no documents yet would make that range trap.
    guard version >= 1, version <= documentVersions.count else {
      throw .notFound(
        "version \(version) of the documents", chinese: "第\(version)版招标文件")
    }
    var next = self
    next.downloaders.insert(party)
    return Transition(
      section: next, events: [.documentsDownloaded(party: party, version: version, at: now)])
  }

  /// The parties an amendment must reach: everyone who downloaded the documents (法23).
  public func partiesToNotify(of transition: Transition) -> [String] {
    transition.events.contains { if case .amended = $0 { true } else { false } }
      ? downloaders.sorted() : []
  }
}
