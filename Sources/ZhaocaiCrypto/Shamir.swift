/// Shamir's secret sharing over GF(2⁸) (the AES field, x⁸ + x⁴ + x³ + x + 1), byte by byte.
///
/// Arithmetic is branch-free so that the time taken does not depend on the secret.
public enum Shamir {
  /// One share: the point `x` (1…255) and the polynomials' values there, one per secret byte.
  public struct Share: Sendable, Hashable {
    public let x: UInt8
    public let y: [UInt8]

    public init(x: UInt8, y: [UInt8]) {
      self.x = x
      self.y = y
    }
  }

  /// Why a split or a combination was refused.
  public enum Failure: Error, Equatable, Sendable {
    case thresholdOutOfRange(threshold: Int, shares: Int)
    case notEnoughShares(have: Int, need: Int)
    case duplicateOrZeroPoint
    case inconsistentLengths
  }

  /// Splits `secret` into `count` shares at x = 1…count so that any `threshold` rebuild it.
  public static func split(
    _ secret: [UInt8], threshold: Int, count: Int,
    random: (Int) -> [UInt8] = secureRandomBytes
  ) throws(Failure) -> [Share] {
    guard threshold >= 2, threshold <= count, count <= 255 else {
      throw .thresholdOutOfRange(threshold: threshold, shares: count)
    }
    // coefficients[j][i] is the coefficient of x^(j+1) of byte i's polynomial.
    let coefficients = (1..<threshold).map { _ in random(secret.count) }
    return (1...count).map { index in
      let x = UInt8(index)
      let y = secret.indices.map { i in
        // Horner's rule from the highest coefficient down to the secret byte.
        var acc: UInt8 = 0
        for j in stride(from: threshold - 2, through: 0, by: -1) {
          acc = GF256.multiply(acc, x) ^ coefficients[j][i]
        }
        return GF256.multiply(acc, x) ^ secret[i]
      }
      return Share(x: x, y: y)
    }
  }

  /// Rebuilds the secret from at least `threshold` shares by Lagrange interpolation at x = 0.
  public static func combine(_ shares: [Share], threshold: Int) throws(Failure) -> [UInt8] {
    guard shares.count >= threshold, threshold >= 2 else {
      throw .notEnoughShares(have: shares.count, need: threshold)
    }
    let used = Array(shares.prefix(threshold))
    let xs = used.map(\.x)
    guard !xs.contains(0), Set(xs).count == xs.count else { throw .duplicateOrZeroPoint }
    let length = used[0].y.count
    guard used.allSatisfy({ $0.y.count == length }) else { throw .inconsistentLengths }

    // The Lagrange basis at 0: l_j = Π_{m≠j} x_m / (x_m − x_j); subtraction is XOR here.
    let basis = xs.indices.map { j in
      var numerator: UInt8 = 1
      var denominator: UInt8 = 1
      for m in xs.indices where m != j {
        numerator = GF256.multiply(numerator, xs[m])
        denominator = GF256.multiply(denominator, xs[m] ^ xs[j])
      }
      return GF256.multiply(numerator, GF256.inverse(denominator))
    }
    return (0..<length).map { i in
      var value: UInt8 = 0
      for j in used.indices { value ^= GF256.multiply(used[j].y[i], basis[j]) }
      return value
    }
  }
}

/// Constant-time arithmetic in GF(2⁸) modulo x⁸ + x⁴ + x³ + x + 1.
enum GF256 {
  static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
    var a = a
    var b = b
    var product: UInt8 = 0
    for _ in 0..<8 {
      product ^= a & (0 &- (b & 1))
      let carry = 0 &- (a >> 7)
      a = (a << 1) ^ (0x1b & carry)
      b >>= 1
    }
    return product
  }

  /// a⁻¹ = a²⁵⁴ (and 0 maps to 0), by square-and-multiply with a fixed sequence of steps.
  static func inverse(_ a: UInt8) -> UInt8 {
    var result: UInt8 = 1
    var base = a
    var exponent: UInt8 = 254
    for _ in 0..<8 {
      let factor = (exponent & 1) == 1 ? base : 1
      result = multiply(result, factor)
      base = multiply(base, base)
      exponent >>= 1
    }
    return result
  }
}
