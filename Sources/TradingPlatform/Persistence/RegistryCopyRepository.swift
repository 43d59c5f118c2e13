import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// This platform's copy of the hub's registry snapshot (`parties`, `authorities`, `bans`,
/// `violation_copies`), replaced whole whenever the platform fetches it again.
enum RegistryCopyRepository {
  typealias Authority = PartyRegistry.Authority
  typealias Party = PartyRegistry.Party

  /// Replaces the copy with what the hub serves now.
  static func replaceParties(
    parties: [Party], authorities: [Authority], on database: any SQLDatabase
  ) async throws {
    try await database.raw("DELETE FROM parties").run()
    try await database.raw("DELETE FROM authorities").run()
    for party in parties {
      try await database.raw(
        "INSERT INTO parties (credit_code, name, certificate, authority, registered_at, ties) VALUES (\(bind: party.creditCode), \(bind: party.name), \(bind: party.certificate), \(bind: party.authority), \(bind: party.registeredAt), \(bind: try PartyRegistry.tiesJSON(party.ties)))"
      ).run()
    }
    for authority in authorities {
      try await database.raw(
        "INSERT INTO authorities (id, name, certificate, crl) VALUES (\(bind: authority.id), \(bind: authority.name), \(bind: authority.certificate), \(bind: authority.revocationList))"
      ).run()
    }
  }

  static func party(_ creditCode: String, on database: any SQLDatabase) async throws
    -> Party?
  {
    try await database.raw(
      "SELECT credit_code, name, certificate, authority, registered_at, ties FROM parties WHERE credit_code = \(bind: creditCode)"
    ).first().map(PartyRegistry.party)
  }

  static func authorities(on database: any SQLDatabase) async throws -> [Authority] {
    try await database.raw("SELECT id, name, certificate, crl FROM authorities ORDER BY id").all()
      .map(PartyRegistry.authority)
  }

  /// Replaces a trading platform's copy with what the hub publishes now.
  static func replaceBans(with bans: [Ban], on database: any SQLDatabase) async throws {
    try await database.raw("DELETE FROM bans").run()
    for ban in bans {
      try await database.raw(
        "INSERT INTO bans (party, reason, starts_at, ends_at) VALUES (\(bind: ban.party), \(bind: ban.reason), \(bind: ban.startsAt), \(bind: ban.endsAt))"
      ).run()
    }
  }

  /// Replaces a trading platform's copy of the current violation records.
  static func replaceViolations(
    with records: [ViolationRecord], on database: any SQLDatabase
  ) async throws {
    try await database.raw("DELETE FROM violation_copies").run()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for record in records {
      try await database.raw(
        "INSERT INTO violation_copies (party, record) VALUES (\(bind: record.party), \(bind: String(decoding: try encoder.encode(record), as: UTF8.self)))"
      ).run()
    }
  }

  /// A trading platform's copy of the violation records (credit scores are derived from them).
  static func violations(on database: any SQLDatabase) async throws
    -> [ViolationRecord]
  {
    try await database.raw("SELECT record FROM violation_copies").all().map {
      try JSONDecoder().decode(
        ViolationRecord.self, from: Data(try $0.decode(column: "record", as: String.self).utf8))
    }
  }

  /// A trading platform's copy, for one party.
  static func bans(of party: String, on database: any SQLDatabase) async throws -> [Ban] {
    try await database.raw(
      "SELECT party, reason, starts_at, ends_at FROM bans WHERE party = \(bind: party)"
    ).all().map(Ban.init(row:))
  }
}
