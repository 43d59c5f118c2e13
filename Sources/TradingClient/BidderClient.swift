import Foundation
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiExchange

/// What a bidder's tool does at a trading platform (`zhaocai bidder`, `zhaocai bid submit`):
/// signs in with the party's certificate, reads a section's notice (its key holders, threshold
/// and opening time, which the bid is sealed to), uploads a sealed bid and reads back its
/// status. Everything is signed and sealed on the bidder's machine; no key leaves it.
public struct BidderClient: Sendable {
  /// The trading platform's API base, e.g. http://127.0.0.1:8080/api/v1.
  public let platform: String
  public let token: String?

  public init(platform: String, token: String? = nil) {
    self.platform = Self.apiBase(platform)
    self.token = token
  }

  /// The API base for what a bidder types: the platform's address alone gets `/api/v1`.
  public static func apiBase(_ address: String) -> String {
    var base = address
    while base.hasSuffix("/") { base.removeLast() }
    return base.hasSuffix("/api/v1") ? base : base + "/api/v1"
  }

  /// The trading platform refused a step: its problem's code and both messages.
  public typealias Refusal = PeerRefusal

  /// A session of the signed-in party.
  public struct Session: Sendable, Equatable {
    public let token: String
    public let expiresAt: Date
    public let account: String
    public let name: String
    public let creditCode: String
  }

  /// Signs in as the party of `certificate` (PEM), proving it holds `key` by signing the
  /// platform's nonce (`SignInChallenge`).
  public func signIn(certificate: String, key: SigningKey, role: String = "bidder") async throws
    -> Session
  {
    let connection = try TradingConnection(platform)
    let nonce = try await connection.signInChallenge()
    let signature = try key.signature(for: SignInChallenge.message(nonce: nonce))
    return try await connection.signIn(
      certificate: certificate, nonce: nonce, signature: signature, role: role)
  }

  private func session() throws -> TradingConnection {
    try TradingConnection(platform, token: token)
  }

  /// What a bidder seals to and checks its bid against, from the section as the platform
  /// shows it to the caller.
  public func notice(of section: String) async throws -> SectionNotice {
    try await session().notice(of: section)
  }

  /// Uploads the envelope at `path` (streamed from the file) as `bidder`'s bid; the receipt.
  public func submit(envelopeAt path: String, section: String, bidder: String) async throws
    -> Receipt
  {
    try await session().submit(envelopeAt: path, section: section, bidder: bidder)
  }

  /// Withdraws `bidder`'s bid before the deadline (撤回).
  public func withdraw(section: String, bidder: String) async throws {
    try await session().withdraw(section: section, bidder: bidder)
  }

  /// The sections the signed-in bidder has a bid in, most recently changed first.
  public func myBids() async throws -> [SectionNotice.Summary] {
    try await session().mySections()
  }

  /// The published opening record: each bid's outcome and announced price.
  public func openingRecord(of section: String) async throws -> [SectionNotice.Outcome] {
    try await session().openingRecord(of: section)
  }

  /// Who the platform says it is: its id at the hub, the hub, its log verifier key.
  public func identity() async throws -> (platformID: String?, hub: String?, logKey: String) {
    try await TradingConnection(platform).identity()
  }

  /// Signs the session out.
  public func signOut() async throws { try await session().signOut() }
}

/// A section's notice as a bidder's tool needs it.
public struct SectionNotice: Sendable {
  public let sectionID: String
  public let name: String
  public let phase: String
  /// The bid deadline, which is also the opening time (法34), in seconds since 1970.
  public let openingTime: Int64?
  public let holders: [SealingPublicKey]
  public let threshold: Int
  /// The caller's own bid, if it has one.
  public let myBid: (envelopeHash: String, receivedAt: Date, version: Int)?

  /// A section in a list, with the caller's bid.
  public struct Summary: Sendable {
    public let sectionID: String
    public let name: String
    public let phase: String
    public let bidDeadline: Date?
    public let myBid: String?
  }

  /// One bid's line of the opening record.
  public struct Outcome: Sendable {
    public let bidder: String
    /// opened, revoked or withdrawn.
    public let outcome: String
    public let priceFen: Int64?
    public let bidKey: String?
  }
}
