import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// The hub's registry of parties and the certificate authorities it recognises (`hub_parties`,
/// `hub_authorities`); each change is logged, so a checkpoint binds the trust store.
enum HubPartyRepository {
  typealias Authority = PartyRegistry.Authority
  typealias Party = PartyRegistry.Party

  /// The authority id is taken.
  struct Taken: Error, Sendable { let id: String }

  /// Recognises an authority (logged in the hub's log, so a checkpoint binds the trust store).
  static func recognise(_ authority: Authority, at now: Int64, on database: any SQLDatabase)
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
  static func publishRevocations(
    of id: String, list: String, issuedAt: Int64, at now: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "UPDATE hub_authorities SET crl = \(bind: list), crl_issued_at = \(bind: issuedAt) WHERE id = \(bind: id)"
    ).run()
    try await log(["revocationList": ["authority": id, "list": list]], at: now, on: database)
  }

  /// The revocation list's issue time held for an authority, if it exists (nil inside: none yet).
  static func revocationsIssuedAt(of id: String, on database: any SQLDatabase)
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
  static func authorities(on database: any SQLDatabase) async throws -> [Authority] {
    try await database.raw("SELECT id, name, certificate, crl FROM hub_authorities ORDER BY id")
      .all().map(PartyRegistry.authority)
  }

  /// Registers a party, or replaces its entry when it registers again (a renewed certificate);
  /// logged either way.
  static func register(_ party: Party, on database: any SQLDatabase) async throws {
    try await database.raw("DELETE FROM hub_parties WHERE credit_code = \(bind: party.creditCode)")
      .run()
    try await database.raw(
      "INSERT INTO hub_parties (credit_code, name, certificate, authority, registered_at, ties) VALUES (\(bind: party.creditCode), \(bind: party.name), \(bind: party.certificate), \(bind: party.authority), \(bind: party.registeredAt), \(bind: try PartyRegistry.tiesJSON(party.ties)))"
    ).run()
    try await log(["partyRegistered": party], at: party.registeredAt, on: database)
  }

  /// Registered parties in registration order, `limit` of them after the `after`th.
  static func parties(after: Int, limit: Int, on database: any SQLDatabase) async throws
    -> [Party]
  {
    try await database.raw(
      "SELECT credit_code, name, certificate, authority, registered_at, ties FROM hub_parties ORDER BY seq LIMIT \(bind: limit) OFFSET \(bind: after)"
    ).all().map(PartyRegistry.party)
  }

  static func party(_ creditCode: String, on database: any SQLDatabase) async throws
    -> Party?
  {
    try await database.raw(
      "SELECT credit_code, name, certificate, authority, registered_at, ties FROM hub_parties WHERE credit_code = \(bind: creditCode)"
    ).first().map(PartyRegistry.party)
  }

  private static func log(_ entry: some Encodable, at now: Int64, on database: any SQLDatabase)
    async throws
  {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    _ = try await PersistentLog.append([Array(try encoder.encode(entry))], at: now, on: database)
  }
}

extension HubPartyRepository {
  /// How many parties are registered.
  static func count(on database: any SQLDatabase) async throws -> Int {
    try await database.raw("SELECT COUNT(*) AS n FROM hub_parties").first()?
      .decode(column: "n", as: Int.self) ?? 0
  }

  /// Parties whose name holds `text` or whose credit code is `text`, in registration order.
  static func matching(_ text: String, limit: Int, on database: any SQLDatabase) async throws
    -> [Party]
  {
    let like = "%" + HubNoticeRepository.escapeLike(text) + "%"
    return try await database.raw(
      "SELECT credit_code, name, certificate, authority, registered_at, ties FROM hub_parties WHERE credit_code = \(bind: text.uppercased()) OR name LIKE \(bind: like) ESCAPE '\\' ORDER BY seq LIMIT \(bind: limit)"
    ).all().map(PartyRegistry.party)
  }
}
