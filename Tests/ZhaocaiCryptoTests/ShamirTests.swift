import Testing

@testable import ZhaocaiCrypto

@Suite struct ShamirTests {
  let secret = (0..<32).map { UInt8($0 * 7 + 3) }

  @Test(arguments: [(2, 3), (3, 5), (2, 2), (16, 16), (5, 16)])
  func anyThresholdSubsetRebuildsTheSecret(threshold: Int, count: Int) throws {
    let shares = try Shamir.split(secret, threshold: threshold, count: count)
    #expect(shares.map(\.x) == (1...count).map { UInt8($0) })
    // Every window of `threshold` consecutive shares (wrapping) and the reversed order.
    for start in 0..<count {
      let subset = (0..<threshold).map { shares[(start + $0) % count] }
      #expect(try Shamir.combine(subset, threshold: threshold) == secret)
      #expect(try Shamir.combine(subset.reversed(), threshold: threshold) == secret)
    }
  }

  @Test func fewerThanThresholdSharesAreRefused() throws {
    let shares = try Shamir.split(secret, threshold: 3, count: 5)
    #expect(throws: Shamir.Failure.notEnoughShares(have: 2, need: 3)) {
      try Shamir.combine(Array(shares.prefix(2)), threshold: 3)
    }
  }

  @Test func thresholdBelowThresholdPointsGivesAnUnrelatedValue() throws {
    // With k-1 shares, interpolating as if k = k-1 must not reveal the secret.
    let shares = try Shamir.split(secret, threshold: 3, count: 3)
    #expect(try Shamir.combine(Array(shares.prefix(2)), threshold: 2) != secret)
  }

  @Test func outOfRangeThresholdsAreRefused() {
    #expect(throws: Shamir.Failure.thresholdOutOfRange(threshold: 1, shares: 3)) {
      try Shamir.split(secret, threshold: 1, count: 3)
    }
    #expect(throws: Shamir.Failure.thresholdOutOfRange(threshold: 4, shares: 3)) {
      try Shamir.split(secret, threshold: 4, count: 3)
    }
  }

  @Test func repeatedPointsAreRefused() throws {
    let shares = try Shamir.split(secret, threshold: 2, count: 3)
    #expect(throws: Shamir.Failure.duplicateOrZeroPoint) {
      try Shamir.combine([shares[0], shares[0]], threshold: 2)
    }
  }

  @Test func fieldArithmeticMatchesTheAESField() {
    // FIPS 197 §4.2: {57} • {83} = {c1}; every non-zero element has an inverse.
    #expect(GF256.multiply(0x57, 0x83) == 0xc1)
    for a in 1...255 {
      #expect(GF256.multiply(UInt8(a), GF256.inverse(UInt8(a))) == 1)
    }
  }
}
