import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// Registration, passwords (bcrypt) and bearer sessions. Tokens are 256 random bits; only their
/// SHA-256 is stored, so a database leak gives no live session.
extension TradingPlatform {
  /// Registers an account after the domain's checks; the password is hashed off the event loop.
  public func register(_ account: Account, password: String, by actor: Operator = .platform)
    async throws -> Account
  {
    let checked = try account.validated()
    guard password.count >= 8 else {
      throw DomainError.invalid(
        "the password needs at least 8 characters", chinese: "密码不得少于8个字符")
    }
    let hash = try await passwords.hash(password)
    let now = clock.now()
    try await store.transaction { database in
      try await AccountRepository.create(
        checked, passwordHash: hash, at: now, by: actor, on: database)
    }
    return checked
  }

  /// A new session for a correct password; one answer for a wrong name or a wrong password; an
  /// account with too many recent failures is refused without its password being checked
  /// (`SignInLock`).
  public func signIn(account id: String, password: String) async throws -> (
    token: String, expiresAt: Int64, account: Account
  ) {
    // No account has a longer name; a longer one is not kept in the failure table either.
    guard id.count <= 64 else { throw Problem.wrongPassword }
    let address = Caller.current.address
    try await SignInLock.enter(id, from: address, at: clock.now(), in: store)
    let found = try await store.transaction { try await AccountRepository.find(id, on: $0) }
    // A missing account, or one that signs in only by certificate, still costs a bcrypt check,
    // so timing does not reveal who exists.
    let usable = found.flatMap { $0.passwordHash.isEmpty ? nil : $0 }
    let matches = try await passwords.verify(password, against: usable?.passwordHash)
    guard let usable, matches else { throw Problem.wrongPassword }
    try await store.transaction { try await SignInLock.passed(id, from: address, on: $0) }
    return try await startSession(for: usable.account)
  }

  func startSession(for account: Account) async throws -> (
    token: String, expiresAt: Int64, account: Account
  ) {
    let token = Secrets.random()
    let expiresAt = clock.now() + sessionSeconds
    try await store.transaction { database in
      try await AccountRepository.startSession(
        tokenHash: Self.tokenHash(token), account: account.id, expiresAt: expiresAt,
        on: database)
    }
    return (token, expiresAt, account)
  }

  /// On a platform without an administrator, creates `admin` with a random password and
  /// returns it (shown once to whoever starts the platform); nil if one exists.
  public func bootstrapAdministrator(creditCode: String) async throws -> String? {
    let existing = try await store.transaction {
      try await AccountRepository.all(.administrator, on: $0)
    }
    guard existing.isEmpty else { return nil }
    let password = Secrets.random(bytes: 18)
    _ = try await register(
      Account(id: "admin", role: .administrator, name: "平台管理员", creditCode: creditCode),
      password: password)
    return password
  }

  func signOut(bearer token: String) async throws {
    try await store.transaction { database in
      try await AccountRepository.endSession(tokenHash: Self.tokenHash(token), on: database)
    }
  }

  /// The account of a live session, or nil.
  func account(bearer token: String) async throws -> Account? {
    let now = clock.now()
    return try await store.transaction { database in
      try await AccountRepository.session(tokenHash: Self.tokenHash(token), at: now, on: database)
    }
  }

  static func tokenHash(_ token: String) -> String { Secrets.digest(token) }
}
