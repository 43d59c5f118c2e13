import Testing

@testable import ZhaocaiDomain

/// 不良行为记录: checked before publication, current for six months by default.
@Suite struct ViolationRecordTests {
  let decided = LegalDate("2026-11-02")!.startInstant

  func record(points: Int = 30, party: String = "91350100M000100Y43", expires: Int64? = nil)
    -> ViolationRecord
  {
    ViolationRecord(
      party: party, description: "串通投标", article: "法53", points: points,
      decidedBy: "住建局", decidedAt: decided,
      expiresAt: expires ?? ViolationRecord.defaultExpiry(decidedAt: decided))
  }

  @Test func aRecordIsCheckedAndExpiresAfterSixMonths() throws {
    let checked = try record().validated()
    #expect(LegalDate(instant: checked.expiresAt).description == "2027-05-03")
    #expect(checked.isCurrent(at: decided))
    #expect(!checked.isCurrent(at: checked.expiresAt))
    #expect(throws: DomainError.self) { try record(points: 0).validated() }
    #expect(throws: DomainError.self) { try record(points: 101).validated() }
    #expect(throws: DomainError.self) { try record(expires: decided).validated() }
    #expect(throws: DomainError.self) { try record(party: "91350100M000100Y44").validated() }
  }
}
