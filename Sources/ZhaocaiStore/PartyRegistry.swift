import Foundation
import SQLKit
import ZhaocaiCrypto
import ZhaocaiDomain

/// 一地注册、全网通用: the hub's registry of parties and the certificate authorities it
/// recognises (`hub_parties`, `hub_authorities`), and each trading platform's copy of both
/// (`parties`, `authorities`), replaced whenever the platform fetches them again.
public enum PartyRegistry {
  /// A recognised certificate authority and its latest revocation list (base64 DER).
  public struct Authority: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// PEM.
    public var certificate: String
    public var revocationList: String?

    public init(id: String, name: String, certificate: String, revocationList: String? = nil) {
      self.id = id
      self.name = name
      self.certificate = certificate
      self.revocationList = revocationList
    }
  }

  /// An organisation registered at the hub, with the certificate it registered with.
  public struct Party: Codable, Sendable, Equatable {
    public var creditCode: String
    public var name: String
    /// PEM.
    public var certificate: String
    public var authority: String
    public var registeredAt: Int64
    /// What the party declared of its ties when it registered (条例34).
    public var ties: PartyTies

    public init(
      creditCode: String, name: String, certificate: String, authority: String,
      registeredAt: Int64, ties: PartyTies = PartyTies()
    ) {
      self.creditCode = creditCode
      self.name = name
      self.certificate = certificate
      self.authority = authority
      self.registeredAt = registeredAt
      self.ties = ties
    }

    // Snapshots signed before parties declared ties have none.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      self.init(
        creditCode: try container.decode(String.self, forKey: .creditCode),
        name: try container.decode(String.self, forKey: .name),
        certificate: try container.decode(String.self, forKey: .certificate),
        authority: try container.decode(String.self, forKey: .authority),
        registeredAt: try container.decode(Int64.self, forKey: .registeredAt),
        ties: try container.decodeIfPresent(PartyTies.self, forKey: .ties) ?? PartyTies())
    }
  }

  /// What the hub serves every trading platform, signed as one message: the parties, the
  /// recognised authorities and the bans, as they stand.
  public struct Snapshot: Codable, Sendable, Equatable {
    public var parties: [Party]
    public var authorities: [Authority]
    public var bans: [Ban]
    /// The violation records still published, from which credit scores are derived.
    public var violations: [ViolationRecord]

    public init(
      parties: [Party], authorities: [Authority], bans: [Ban], violations: [ViolationRecord] = []
    ) {
      self.parties = parties
      self.authorities = authorities
      self.bans = bans
      self.violations = violations
    }
  }

  /// The authority id is taken.
  public struct Taken: Error, Sendable { public let id: String }

  // MARK: The hub

  /// Recognises an authority (logged in the hub's log, so a checkpoint binds the trust store).
  public static func recognise(_ authority: Authority, at now: Int64, on database: any SQLDatabase)
    async throws
  {
    if try await database.raw("SELECT id FROM hub_authorities WHERE id = \(bind: authority.id)")
      .first() != nil
    {
      throw Taken(id: authority.id)
    }
    try await database.raw(
      "INSERT INTO hub_authorities (id, name, certificate, added_at) VALUES (\(bind: authority.id), \(bind: authority.name), \(bind: authority.certificate), \(bind: now))"
    ).run()
    try await log(["authorityRecognised": authority], at: now, on: database)
  }

  /// Replaces an authority's revocation list; the caller has checked it is the authority's
  /// and newer than the one held (`issuedAt` is its thisUpdate).
  public static func publishRevocations(
    of id: String, list: String, issuedAt: Int64, at now: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "UPDATE hub_authorities SET crl = \(bind: list), crl_issued_at = \(bind: issuedAt) WHERE id = \(bind: id)"
    ).run()
    try await log(["revocationList": ["authority": id, "list": list]], at: now, on: database)
  }

  /// The revocation list's issue time held for an authority, if it exists (nil inside: none yet).
  public static func revocationsIssuedAt(of id: String, on database: any SQLDatabase)
    async throws -> Int64??
  {
    guard
      let row = try await database.raw(
        "SELECT crl_issued_at FROM hub_authorities WHERE id = \(bind: id)"
      ).first()
    else { return nil }
    return .some(
      try row.decodeNil(column: "crl_issued_at")
        ? nil : try row.decode(column: "crl_issued_at", as: Int64.self))
  }

  /// Every recognised authority, by id.
  public static func authorities(on database: any SQLDatabase) async throws -> [Authority] {
    try await database.raw("SELECT id, name, certificate, crl FROM hub_authorities ORDER BY id")
      .all().map(authority)
  }

  /// Registers a party, or replaces its entry when it registers again (a renewed certificate);
  /// logged either way.
  public static func register(_ party: Party, on database: any SQLDatabase) async throws {
    try await database.raw("DELETE FROM hub_parties WHERE credit_code = \(bind: party.creditCode)")
      .run()
    try await database.raw(
      "INSERT INTO hub_parties (credit_code, name, certificate, authority, registered_at, ties) VALUES (\(bind: party.creditCode), \(bind: party.name), \(bind: party.certificate), \(bind: party.authority), \(bind: party.registeredAt), \(bind: try tiesJSON(party.ties)))"
    ).run()
    try await log(["partyRegistered": party], at: party.registeredAt, on: database)
  }

  /// Registered parties in registration order, `limit` of them after the `after`th.
  public static func parties(after: Int, limit: Int, on database: any SQLDatabase) async throws
    -> [Party]
  {
    try await database.raw(
      "SELECT credit_code, name, certificate, authority, registered_at, ties FROM hub_parties ORDER BY seq LIMIT \(bind: limit) OFFSET \(bind: after)"
    ).all().map(party)
  }

  public static func party(_ creditCode: String, on database: any SQLDatabase) async throws
    -> Party?
  {
    try await database.raw(
      "SELECT credit_code, name, certificate, authority, registered_at, ties FROM hub_parties WHERE credit_code = \(bind: creditCode)"
    ).first().map(party)
  }

  // MARK: A trading platform's copy

  /// Replaces the copy with what the hub serves now.
  public static func replaceCopy(
    parties: [Party], authorities: [Authority], on database: any SQLDatabase
  ) async throws {
    try await database.raw("DELETE FROM parties").run()
    try await database.raw("DELETE FROM authorities").run()
    for party in parties {
      try await database.raw(
        "INSERT INTO parties (credit_code, name, certificate, authority, registered_at, ties) VALUES (\(bind: party.creditCode), \(bind: party.name), \(bind: party.certificate), \(bind: party.authority), \(bind: party.registeredAt), \(bind: try tiesJSON(party.ties)))"
      ).run()
    }
    for authority in authorities {
      try await database.raw(
        "INSERT INTO authorities (id, name, certificate, crl) VALUES (\(bind: authority.id), \(bind: authority.name), \(bind: authority.certificate), \(bind: authority.revocationList))"
      ).run()
    }
  }

  public static func copiedParty(_ creditCode: String, on database: any SQLDatabase) async throws
    -> Party?
  {
    try await database.raw(
      "SELECT credit_code, name, certificate, authority, registered_at, ties FROM parties WHERE credit_code = \(bind: creditCode)"
    ).first().map(party)
  }

  public static func copiedAuthorities(on database: any SQLDatabase) async throws -> [Authority] {
    try await database.raw("SELECT id, name, certificate, crl FROM authorities ORDER BY id").all()
      .map(authority)
  }

  /// The trust store these authorities make.
  public static func trust(_ authorities: [Authority]) -> CertificateTrust {
    CertificateTrust(
      authorities.compactMap {
        .init(id: $0.id, pem: $0.certificate, revocationList: $0.revocationList)
      })
  }

  // MARK: Rows

  private static func log(_ entry: some Encodable, at now: Int64, on database: any SQLDatabase)
    async throws
  {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    _ = try await PersistentLog.append([Array(try encoder.encode(entry))], at: now, on: database)
  }

  private static func authority(_ row: any SQLRow) throws -> Authority {
    Authority(
      id: try row.decode(column: "id", as: String.self),
      name: try row.decode(column: "name", as: String.self),
      certificate: try row.decode(column: "certificate", as: String.self),
      revocationList: try row.decode(column: "crl", as: String?.self))
  }

  private static func party(_ row: any SQLRow) throws -> Party {
    Party(
      creditCode: try row.decode(column: "credit_code", as: String.self),
      name: try row.decode(column: "name", as: String.self),
      certificate: try row.decode(column: "certificate", as: String.self),
      authority: try row.decode(column: "authority", as: String.self),
      registeredAt: try row.decode(column: "registered_at", as: Int64.self),
      ties: try JSONDecoder().decode(
        PartyTies.self, from: Data(try row.decode(column: "ties", as: String.self).utf8)))
  }

  private static func tiesJSON(_ ties: PartyTies) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(ties), as: UTF8.self)
  }
}
