import ZhaocaiDomain

/// What the platform holds of one opened bid that the 条例40 signs compare: the manifest's
/// people and machine, its files as read, how it reached the platform, and its bond.
public struct BidEvidence: Sendable, Equatable {
  /// One upload of the bid (a replacement adds one): who sent it, from where, with what.
  public struct Submission: Sendable, Equatable {
    public var account: String
    public var address: String
    public var device: String

    public init(account: String, address: String, device: String) {
      self.account = account
      self.address = address
      self.device = device
    }
  }

  /// The bidder's unified social credit code.
  public var bidder: String
  public var bidderName: String
  public var priceFen: Int64
  public var projectManagerID: String
  public var keyStaff: [String]
  public var deviceFingerprint: String
  public var documents: [DocumentFacts]
  public var submissions: [Submission]
  public var bondAccount: String?

  public init(
    bidder: String, bidderName: String, priceFen: Int64, projectManagerID: String = "",
    keyStaff: [String] = [], deviceFingerprint: String = "", documents: [DocumentFacts] = [],
    submissions: [Submission] = [], bondAccount: String? = nil
  ) {
    self.bidder = bidder
    self.bidderName = bidderName
    self.priceFen = priceFen
    self.projectManagerID = projectManagerID
    self.keyStaff = keyStaff
    self.deviceFingerprint = deviceFingerprint
    self.documents = documents
    self.submissions = submissions
    self.bondAccount = bondAccount
  }
}
