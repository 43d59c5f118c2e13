import ZhaocaiStore

extension SignInLock {
  /// The table of failed sign-ins, on every platform that signs in with passwords (id 15).
  public static let migration = Migration(
    id: 15, name: "failed sign-ins, which lock an account for a while",
    sqlite: [
      "CREATE TABLE sign_in_failures (account TEXT NOT NULL, failed_at BIGINT NOT NULL)",
      "CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, failed_at)",
    ],
    postgres: [
      "CREATE TABLE sign_in_failures (account TEXT NOT NULL, failed_at BIGINT NOT NULL)",
      "CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, failed_at)",
    ])
}
