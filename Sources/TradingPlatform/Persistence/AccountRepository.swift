import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// The platform's accounts and their sign-in sessions. Parties registered at the hub get theirs
/// when they first sign in with a certificate (no password). Passwords arrive here already
/// hashed; tokens only as their hashes.
enum AccountRepository {
  /// The account name is taken.
  struct Taken: Error, Sendable { public let id: String }

  /// A registration as logged and sent (never the password or its hash).
  struct Registered: Codable, Sendable {
    let account: Account
    let at: Int64
    let by: Operator
  }

  /// Registers the account and appends its registration to the log and the outbox.
  static func create(
    _ account: Account, passwordHash: String, at now: Int64, by actor: Operator,
    on database: any SQLDatabase
  ) async throws {
    if try await find(account.id, on: database) != nil { throw Taken(id: account.id) }
    let profile = String(decoding: try JSONEncoder().encode(account), as: UTF8.self)
    try await database.raw(
      "INSERT INTO accounts (id, role, credit_code, password_hash, profile, created_at) VALUES (\(bind: account.id), \(bind: account.role.rawValue), \(bind: account.creditCode), \(bind: passwordHash), \(bind: profile), \(bind: now))"
    ).run()
    try await record(account, as: "account.registered", at: now, by: actor, on: database)
  }

  /// Renews an account made from a certificate (a new certificate, a new name), logged and sent
  /// like a registration.
  static func renew(
    _ account: Account, at now: Int64, by actor: Operator, on database: any SQLDatabase
  ) async throws {
    let profile = String(decoding: try JSONEncoder().encode(account), as: UTF8.self)
    try await database.raw(
      "UPDATE accounts SET profile = \(bind: profile) WHERE id = \(bind: account.id)"
    ).run()
    try await record(account, as: "account.renewed", at: now, by: actor, on: database)
  }

  /// Appends the registration (or renewal) to the log and the outbox.
  private static func record(
    _ account: Account, as topic: String, at now: Int64, by actor: Operator,
    on database: any SQLDatabase
  ) async throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let entry = try encoder.encode(Registered(account: account, at: now, by: actor))
    let index = try await PersistentLog.append([Array(entry)], at: now, on: database)[0]
    try await Outbox.enqueue(
      topic: topic, payload: String(decoding: entry, as: UTF8.self), logIndex: index, at: now,
      on: database)
  }

  /// A single-use sign-in challenge.
  static func issueChallenge(
    _ nonce: String, expiresAt: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO sign_in_challenges (nonce, expires_at) VALUES (\(bind: nonce), \(bind: expiresAt))"
    ).run()
  }

  /// Consumes a challenge: true if it existed and was still live. Expired ones are cleared too.
  static func takeChallenge(_ nonce: String, at now: Int64, on database: any SQLDatabase)
    async throws -> Bool
  {
    let live =
      try await database.raw(
        "SELECT nonce FROM sign_in_challenges WHERE nonce = \(bind: nonce) AND expires_at > \(bind: now)"
      ).first() != nil
    try await database.raw(
      "DELETE FROM sign_in_challenges WHERE nonce = \(bind: nonce) OR expires_at <= \(bind: now)"
    ).run()
    return live
  }

  /// The account and its password hash (empty for an account made from a certificate).
  static func find(_ id: String, on database: any SQLDatabase) async throws -> (
    account: Account, passwordHash: String
  )? {
    guard
      let row = try await database.raw(
        "SELECT profile, password_hash FROM accounts WHERE id = \(bind: id)"
      ).first()
    else { return nil }
    return (
      try decode(row.decode(column: "profile", as: String.self)),
      try row.decode(column: "password_hash", as: String.self)
    )
  }

  /// Every account of a role (the expert pool, the key holders).
  static func all(_ role: Role, on database: any SQLDatabase) async throws -> [Account] {
    try await database.raw(
      "SELECT profile FROM accounts WHERE role = \(bind: role.rawValue) ORDER BY id"
    ).all().map { try decode($0.decode(column: "profile", as: String.self)) }
  }

  static func startSession(
    tokenHash: String, account: String, expiresAt: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO sessions (token_hash, account_id, expires_at) VALUES (\(bind: tokenHash), \(bind: account), \(bind: expiresAt))"
    ).run()
  }

  /// The account a live session belongs to; an expired session is gone.
  static func session(tokenHash: String, at now: Int64, on database: any SQLDatabase)
    async throws -> Account?
  {
    guard
      let row = try await database.raw(
        "SELECT a.profile FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = \(bind: tokenHash) AND s.expires_at > \(bind: now)"
      ).first()
    else { return nil }
    return try decode(row.decode(column: "profile", as: String.self))
  }

  static func endSession(tokenHash: String, on database: any SQLDatabase) async throws {
    try await database.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
  }

  private static func decode(_ profile: String) throws -> Account {
    try JSONDecoder().decode(Account.self, from: Data(profile.utf8))
  }
}
