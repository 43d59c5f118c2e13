import Foundation
import Testing

@testable import ZhaocaiDomain

/// 信用分: 100 less the points of a party's current violation records, usable as a criterion.
@Suite struct CreditScoreTests {
  let decided = LegalDate("2026-11-02")!.startInstant
  let bidder = "91350100M000100Y43"
  let other = "91110000100000589A"

  func record(_ party: String, _ points: Int, decidedAt: Int64? = nil) -> ViolationRecord {
    let at = decidedAt ?? decided
    return ViolationRecord(
      party: party, description: "串通投标", article: "法53", points: points, decidedBy: "住建局",
      decidedAt: at, expiresAt: ViolationRecord.defaultExpiry(decidedAt: at))
  }

  @Test func currentRecordsLowerTheScoreUntilTheyExpire() {
    let later = LegalDate("2026-12-02")!.startInstant
    let records = [record(bidder, 30), record(bidder, 20, decidedAt: later)]
    #expect(CreditScore.of(bidder, records: records, at: decided - 1) == 100)
    #expect(CreditScore.of(bidder, records: records, at: decided) == 70)
    #expect(CreditScore.of(bidder, records: records, at: later) == 50)
    // The first record is published for six months, to 2027-05-03.
    #expect(
      CreditScore.of(bidder, records: records, at: LegalDate("2027-05-03")!.startInstant) == 80)
    #expect(
      CreditScore.of(bidder, records: records, at: LegalDate("2027-06-02")!.startInstant) == 100)
  }

  @Test func theScoreStopsAtZero() {
    let records = [record(bidder, 60), record(bidder, 70)]
    #expect(CreditScore.of(bidder, records: records, at: decided) == 0)
  }

  @Test func otherPartiesRecordsDoNotCount() {
    let records = [record(other, 50)]
    #expect(CreditScore.of(bidder, records: records, at: decided) == 100)
    #expect(CreditScore.of(other, records: records, at: decided) == 50)
  }

  @Test func aCreditCriterionEarnsItsShareOfPointsRoundedDown() {
    #expect(CreditScore.marks(score: 80, maxPoints: 1000) == 800)
    #expect(CreditScore.marks(score: 100, maxPoints: 1000) == 1000)
    #expect(CreditScore.marks(score: 0, maxPoints: 1000) == 0)
    #expect(CreditScore.marks(score: 67, maxPoints: 150) == 100)  // 100.5 points
  }

  @Test func criteriaLoggedBeforeCreditCriteriaStillDecode() throws {
    let old = try JSONDecoder().decode(
      Criterion.self, from: Data(#"{"name":"技术方案","maxPoints":3000}"#.utf8))
    #expect(old == Criterion(name: "技术方案", maxPoints: 3000))
    #expect(!old.fromCredit)
    let credit = Criterion(name: "信用评价", maxPoints: 500, fromCredit: true)
    let again = try JSONDecoder().decode(Criterion.self, from: JSONEncoder().encode(credit))
    #expect(again.fromCredit)
  }
}
