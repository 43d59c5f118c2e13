/// Rebuilding a bid key from its holders' shares, each share and the key checked against the
/// commitments in the header.
extension EnvelopeHeader {
  /// The share sealed to `key`, opened and checked.
  public func share(using key: SealingPrivateKey) throws -> Shamir.Share {
    guard key.suite == suite else {
      throw EnvelopeError.suiteMismatch(envelope: suite, key: key.suite)
    }
    let keyID = key.publicKey.keyID
    guard let holder = holders.first(where: { $0.keyID == keyID }) else {
      throw EnvelopeError.notAHolder
    }
    guard let y = ShareSealing.open(holder, with: key, info: shareInfo) else {
      throw EnvelopeError.shareDecryptionFailed(x: Int(holder.x))
    }
    let share = Shamir.Share(x: holder.x, y: y)
    try check(share)
    return share
  }

  /// Checks that a released share is the one the bidder sealed for its point.
  public func check(_ share: Shamir.Share) throws {
    guard let holder = holders.first(where: { $0.x == share.x }),
      constantTimeEqual(shareCommitment(share), holder.shareCommitment)
    else { throw EnvelopeError.shareCommitmentMismatch(x: Int(share.x)) }
  }

  /// The bid key from at least `threshold` distinct, checked shares.
  public func contentKey(from shares: [Shamir.Share]) throws -> [UInt8] {
    var distinct: [Shamir.Share] = []
    for share in shares where !distinct.contains(where: { $0.x == share.x }) {
      try check(share)
      distinct.append(share)
    }
    guard distinct.count >= threshold else {
      throw EnvelopeError.fewerThanThreshold(have: distinct.count, need: threshold)
    }
    guard let key = try? Shamir.combine(distinct, threshold: threshold) else {
      throw EnvelopeError.keyCommitmentMismatch
    }
    try checkContentKey(key)
    return key
  }

  /// Checks a published bid key against the header, so anyone can re-verify an opening.
  public func checkContentKey(_ key: [UInt8]) throws {
    guard key.count == EnvelopeFormat.contentKeySize,
      constantTimeEqual(Self.keyCommitment(suite: suite, key: key), keyCommitment)
    else { throw EnvelopeError.keyCommitmentMismatch }
  }

  static func keyCommitment(suite: CipherSuite, key: [UInt8]) -> [UInt8] {
    suite.hashFunction.hash(label: EnvelopeFormat.keyCommitmentLabel, key)
  }

  static func shareCommitment(suite: CipherSuite, _ share: Shamir.Share) -> [UInt8] {
    suite.hashFunction.hash(label: EnvelopeFormat.shareCommitmentLabel, [share.x], share.y)
  }

  func shareCommitment(_ share: Shamir.Share) -> [UInt8] {
    Self.shareCommitment(suite: suite, share)
  }
}
