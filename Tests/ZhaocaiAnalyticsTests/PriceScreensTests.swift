import Testing

@testable import ZhaocaiAnalytics

/// The screens against values worked out by hand from their definitions.
@Suite struct PriceScreensTests {
  @Test func fourEvenlySpacedBids() throws {
    let screens = PriceScreens(sorted: [100, 110, 120, 130])
    #expect(screens.count == 4)
    #expect(screens.mean == 115)
    #expect(abs(try #require(screens.cv) - (500.0 / 3).squareRoot() / 115) < 1e-12)
    #expect(abs(try #require(screens.spread) - 0.3) < 1e-12)
    #expect(abs(try #require(screens.diffp) - 0.1) < 1e-12)
    // The losing bids 110, 120, 130 have a sample standard deviation of 10.
    #expect(abs(try #require(screens.rd) - 1.0) < 1e-12)
    #expect(abs(try #require(screens.rdnor) - 1.0) < 1e-12)
    #expect(abs(try #require(screens.skew)) < 1e-12)
    // A spreadsheet's KURT(100, 110, 120, 130).
    #expect(abs(try #require(screens.kurt) - -1.2) < 1e-12)
    // The largest gap between the bids' steps and the uniform line is a quarter.
    #expect(abs(try #require(screens.ks) - 0.25) < 1e-12)
  }

  @Test func coverBidsBunchedAboveTheWinnerRaiseRD() throws {
    let competitive = PriceScreens(sorted: [100, 104, 109, 115, 121])
    let rigged = PriceScreens(sorted: [100, 110, 110.5, 111, 111.2])
    #expect(try #require(rigged.rd) > 10 * (try #require(competitive.rd)))
    #expect(try #require(rigged.skew) < 0)
  }

  @Test func screensATenderIsTooSmallForAreNil() {
    let one = PriceScreens(sorted: [100])
    #expect(one.cv == nil && one.spread == nil && one.rd == nil && one.kurt == nil)
    let two = PriceScreens(sorted: [100, 120])
    #expect(two.cv != nil && two.diffp != nil && two.rd == nil && two.skew == nil)
    let three = PriceScreens(sorted: [100, 110, 130])
    #expect(three.rd != nil && three.skew != nil && three.kurt == nil)
    let equalLosers = PriceScreens(sorted: [100, 120, 120, 120])
    #expect(equalLosers.rd == nil && equalLosers.rdnor != nil)
    let identical = PriceScreens(sorted: [100, 100, 100])
    #expect(identical.cv == 0 && identical.skew == nil && identical.ks == nil)
  }

  @Test func subgroupsOfAFiveBidTenderAreEveryTripleAndQuadruple() throws {
    let amounts: [Double] = [100, 101, 102, 150, 200]
    let screens = SubgroupScreens(sorted: amounts)
    #expect(screens.values.count == 24)
    // The tightest subgroup is 100, 101, 102: its CV is the minimum.
    let tightest = try #require(PriceScreens(sorted: [100, 101, 102]).cv)
    #expect(abs(screens.values[0] - tightest) < 1e-12)
    let widest = try #require(PriceScreens(sorted: [100, 101, 150, 200]).cv)
    #expect(screens.values[1] > widest * 0.99)
  }

  @Test func aLargeTenderUsesRunsOfAdjacentBids() throws {
    let amounts = (0..<200).map { 1000 + Double($0) * 3 }
    let screens = SubgroupScreens(sorted: amounts)
    // Evenly spaced: the run with the highest prices has the smallest CV, and the widest
    // subgroup is a run of four, not the whole tender.
    let lastRun = try #require(PriceScreens(sorted: [1591, 1594, 1597]).cv)
    #expect(abs(screens.values[0] - lastRun) < 1e-12)
    let firstRunOfFour = try #require(PriceScreens(sorted: [1000, 1003, 1006, 1009]).cv)
    #expect(abs(screens.values[1] - firstRunOfFour) < 1e-12)
  }
}
