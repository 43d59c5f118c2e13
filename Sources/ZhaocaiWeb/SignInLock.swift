import SQLKit
import ZhaocaiStore

/// Five wrong passwords for one account from one address within fifteen minutes lock that account
/// for that address until fewer than five lie within the last fifteen minutes, so a password
/// cannot be found by trying; a name no account has locks the same way, so the lock does not tell
/// which accounts exist. The lock is per address because account names are public (key holders
/// are named in every notice): a stranger guessing from elsewhere must not keep the account's
/// owner out on the day of an opening.
public enum SignInLock {
  public static let failuresAllowed = 5
  public static let window: Int64 = 15 * 60

  /// Lets an attempt for `account` go on to its password check, or refuses it (429) while the
  /// account is locked. The attempt counts as failed until `passed` forgets it, so attempts sent
  /// at once cannot all pass the count while their passwords are being checked.
  public static func enter(
    _ account: String, from address: String, at now: Int64, in store: Store
  ) async throws {
    let account = key(account, address)
    let failures = try await store.transaction { database in
      let failures = try await SignInFailureRepository.recent(
        account, at: now, window: window, on: database)
      if failures.count < failuresAllowed {
        try await SignInFailureRepository.record(account, at: now, window: window, on: database)
      }
      return failures
    }
    guard failures.count >= failuresAllowed else { return }
    let until = failures[failuresAllowed - 1] + window
    let minutes = max(1, (until - now + 59) / 60)
    throw ProblemDetails(
      status: 429, code: "SIGN_IN_LOCKED",
      english:
        "too many wrong passwords for this account; try again in \(minutes) minute\(minutes == 1 ? "" : "s")",
      chinese: "密码连续错误次数过多，账号已暂时锁定，请\(minutes)分钟后再试")
  }

  /// The password was right: the account's failures are forgotten.
  public static func passed(
    _ account: String, from address: String, on database: any SQLDatabase
  ) async throws {
    try await SignInFailureRepository.clear(key(account, address), on: database)
  }

  static func key(_ account: String, _ address: String) -> String { "\(account)@\(address)" }
}
