/// What a party signs to sign in to a trading platform with its certificate: a fixed context,
/// then the platform's single-use nonce, so no other signature of the party's key passes as a
/// sign-in (docs/EXCHANGE.md; the browser's sign-in script signs the same text).
public enum SignInChallenge {
  public static let context = "zhaocai-sign-in v1\n"

  /// The bytes signed for `nonce`.
  public static func message(nonce: String) -> [UInt8] { Array((context + nonce).utf8) }
}
