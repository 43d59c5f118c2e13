import Testing

@testable import ZhaocaiAnalytics

/// The regular price patterns of 条例40(4), and prices that merely look close.
@Suite struct PricePatternTests {
  @Test func anArithmeticProgressionIsFoundWithItsStep() throws {
    let pattern = try #require(PricePattern.find(sorted: [28_800_000, 29_100_000, 29_400_000]))
    #expect(pattern.kind == .arithmetic && pattern.step == 300_000 && pattern.count == 3)
    #expect(pattern.chinese == "3家投标报价呈等差数列，公差¥300,000.00")
    #expect(pattern.english == "the 3 prices rise by the same step, ¥300,000.00")
  }

  @Test func aGeometricProgressionAndEqualPrices() throws {
    let geometric = try #require(
      PricePattern.find(sorted: [1_000_000, 1_020_000, 1_040_400, 1_061_208]))
    #expect(geometric.kind == .geometric && abs(geometric.step - 1.02) < 1e-9)
    #expect(geometric.chinese == "4家投标报价呈等比数列，公比1.0200")
    let equal = try #require(PricePattern.find(sorted: [500_000, 500_000, 500_000.004]))
    #expect(equal.kind == .equal && equal.chinese == "3家投标报价完全相同")
  }

  @Test func pricesThatAreNotAPatternAreNot() {
    // Steps of 300,000 and 301,000: off by more than a thousandth of the step.
    #expect(PricePattern.find(sorted: [28_800_000, 29_100_000, 29_401_000]) == nil)
    #expect(PricePattern.find(sorted: [100, 104, 109, 115, 121]) == nil)
    // Two prices are no pattern; an arithmetic step of a fen's rounding still is one.
    #expect(PricePattern.find(sorted: [100, 200]) == nil)
    #expect(PricePattern.find(sorted: [100.00, 150.01, 200.01])?.kind == .arithmetic)
  }
}
