import SQLKit
import ZhaocaiStore

/// Wrong passwords given for an account (or for a name no account has), kept for a while so
/// that repeated guessing locks the account; shared by the trading and supervision platforms.
public enum SignInFailureRepository {
  /// A failure for `account` at `now`; failures older than `window` seconds are forgotten.
  public static func record(
    _ account: String, at now: Int64, window: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "DELETE FROM sign_in_failures WHERE account = \(bind: account) AND failed_at <= \(bind: now - window)"
    ).run()
    try await database.raw(
      "INSERT INTO sign_in_failures (account, failed_at) VALUES (\(bind: account), \(bind: now))"
    ).run()
  }

  /// When `account`'s failures within `window` seconds before `now` happened, newest first.
  public static func recent(
    _ account: String, at now: Int64, window: Int64, on database: any SQLDatabase
  ) async throws -> [Int64] {
    try await database.raw(
      "SELECT failed_at FROM sign_in_failures WHERE account = \(bind: account) AND failed_at > \(bind: now - window) ORDER BY failed_at DESC"
    ).all().map { try $0.decode(column: "failed_at", as: Int64.self) }
  }

  /// Forgets `account`'s failures (after a correct password).
  public static func clear(_ account: String, on database: any SQLDatabase) async throws {
    try await database.raw("DELETE FROM sign_in_failures WHERE account = \(bind: account)").run()
  }
}
