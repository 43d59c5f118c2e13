import Testing

@testable import ZhaocaiAnalytics

/// Cardinal's indicators by their definitions: each one raised by data that shows it, and not by
/// data one step away.
@Suite struct RedFlagTests {
  typealias Bid = ContractingProcess.Bid

  static let day: Int64 = 86_400

  /// A price-only open process whose first bidder listed in `won` won, with bids as
  /// (tenderer, amount, status).
  static func process(
    _ ocid: String, bids: [(String, Double?, String)], won: [String] = [],
    method: String = "open", days: Int64 = 20, buyer: String = "B",
    classification: String? = nil
  ) -> ContractingProcess {
    ContractingProcess(
      ocid: ocid, method: method, awardCriteria: "costOnly", periodStart: 0,
      periodEnd: days * day, buyer: buyer, classification: classification,
      bids: bids.map { Bid(tenderers: [$0.0], status: $0.2, amount: $0.1, currency: "CNY") },
      awards: won.map { .init(status: "active", suppliers: [$0]) })
  }

  static func codes(_ report: RedFlagReport, _ ocid: String) -> [RedFlagCode] {
    (report.processes[ocid] ?? []).map(\.code)
  }

  @Test func quartilesAreTheR8EstimateCardinalUses() throws {
    // numpy.quantile(..., method="median_unbiased") is R-8 too: 1.6667 and 4.3333.
    let fences = try #require(Fences([5, 1, 4, 2, 3]))
    #expect(abs(fences.q1 - 5.0 / 3) < 1e-12)
    #expect(abs(fences.q3 - 13.0 / 3) < 1e-12)
    #expect(abs(fences.lower - (5.0 / 3 - 1.5 * (8.0 / 3))) < 1e-12)
    let other = try #require(Fences([0.01, 0.05, 0.06, 0.07, 0.08, 0.3]))
    #expect(abs(other.q1 - 0.046_666_666_7) < 1e-9)
    #expect(abs(other.q3 - 0.098_333_333_3) < 1e-9)
    #expect(Fences([]) == nil)
    #expect(Fences([.nan]) == nil)
  }

  @Test func aShortPeriodOfAnOpenProcessIsFlaggedWithItsDays() {
    let report = RedFlagReport([
      Self.process("short", bids: [("A", 1, "valid"), ("C", 2, "valid")], days: 10),
      Self.process("legal", bids: [("A", 1, "valid"), ("C", 2, "valid")], days: 20),
      Self.process(
        "selective", bids: [("A", 1, "valid"), ("C", 2, "valid")], method: "selective", days: 5),
    ])
    #expect(report.processes["short"]?.first == RedFlag(code: .r003, value: 1, evidence: ["10"]))
    #expect(Self.codes(report, "legal").isEmpty)
    #expect(Self.codes(report, "selective").isEmpty)
  }

  @Test func aSingleTendererOfACompetitiveProcessIsFlagged() {
    let report = RedFlagReport([
      Self.process("one", bids: [("A", 1, "valid")]),
      Self.process("two", bids: [("A", 1, "valid"), ("C", 2, "valid")]),
      Self.process("invited", bids: [("A", 1, "valid")], method: "limited"),
      Self.process("withdrawn", bids: [("A", 1, "valid"), ("C", 2, "withdrawn")]),
    ])
    #expect(report.processes["one"]?.first == RedFlag(code: .r018, value: 1, evidence: ["A"]))
    #expect(Self.codes(report, "two").isEmpty)
    #expect(Self.codes(report, "invited").isEmpty)
    #expect(Self.codes(report, "withdrawn") == [.r018])  // a withdrawn bid is not submitted
  }

  @Test func identicalPricesFlagTheProcessAndBothTenderers() {
    let report = RedFlagReport([
      Self.process("same", bids: [("A", 100, "valid"), ("C", 100, "valid"), ("D", 120, "valid")]),
      Self.process("apart", bids: [("A", 100, "valid"), ("C", 101, "valid")]),
    ])
    #expect(report.processes["same"] == [RedFlag(code: .r028, value: 1, evidence: ["A", "C"])])
    #expect(report.tenderers["A"]?.map(\.code) == [.r028])
    #expect(report.tenderers["C"]?.first?.evidence == ["same"])
    #expect(report.tenderers["D"] == nil)
    #expect(Self.codes(report, "apart").isEmpty)
  }

  @Test func aWinningBidReceivedAfterTheDeadlineIsFlagged() {
    func process(_ ocid: String, at: Int64) -> ContractingProcess {
      var process = Self.process(ocid, bids: [("A", 1, "valid"), ("C", 2, "valid")], won: ["A"])
      process.bids[0].date = at
      return process
    }
    let report = RedFlagReport([process("late", at: 21 * Self.day), process("on-time", at: 0)])
    #expect(Self.codes(report, "late").contains(.r030))
    #expect(!Self.codes(report, "on-time").contains(.r030))
  }

  @Test func allButTheWinnerDisqualifiedAndTheLowestDisqualifiedAreFlagged() {
    let report = RedFlagReport([
      Self.process(
        "only-winner",
        bids: [("A", 300, "valid"), ("C", 100, "disqualified"), ("D", 200, "disqualified")],
        won: ["A"]),
      Self.process(
        "two-valid",
        bids: [("A", 100, "valid"), ("C", 200, "valid"), ("D", 300, "disqualified")], won: ["A"]),
      Self.process(
        "not-awarded", bids: [("A", 300, "valid"), ("C", 100, "disqualified")]),
    ])
    let flags = report.processes["only-winner"] ?? []
    #expect(
      flags.first { $0.code == .r035 } == RedFlag(code: .r035, value: 2, evidence: ["C", "D"]))
    #expect(flags.first { $0.code == .r036 }?.evidence == ["C"])
    #expect(Self.codes(report, "two-valid").isEmpty)
    #expect(Self.codes(report, "not-awarded").isEmpty)  // no award: neither applies
  }

  @Test func theGapToTheSecondLowestBidIsMeasuredAgainstTukeysFences() throws {
    // Gaps 0.05, 0.05, 0.06, 0.06, 0.07, 0.07, 0.001 and 0.5: Q1 0.05, Q3 0.07, fences
    // 0.02 and 0.10.
    let gaps = [0.05, 0.05, 0.06, 0.06, 0.07, 0.07, 0.001, 0.5]
    var processes = gaps.enumerated().map { index, gap in
      Self.process(
        "p\(index)", bids: [("W", 100, "valid"), ("L\(index)", 100 * (1 + gap), "valid")],
        won: ["W"])
    }
    // The winner is not the lowest: not price-only, so not measured.
    processes.append(
      Self.process("rated", bids: [("W", 100, "valid"), ("L", 90, "valid")], won: ["W"]))
    let report = RedFlagReport(processes)
    let fence = try #require(report.fences[.r024])
    #expect(abs(fence.lower - 0.02) < 1e-9 && abs(fence.upper - 0.10) < 1e-9)
    #expect(Self.codes(report, "p6") == [.r024])
    #expect(report.processes["p6"]?.first?.evidence == ["W", "L6"])
    #expect(Self.codes(report, "p7") == [.r058])
    #expect(abs((report.processes["p7"]?.first?.value ?? 0) - 0.5) < 1e-9)
    for index in 0..<6 { #expect(Self.codes(report, "p\(index)").isEmpty) }
    #expect(Self.codes(report, "rated").isEmpty)
  }

  @Test func aTopTendererThatNeverWinsIsFlaggedAsExcessivelyUnsuccessful() {
    // "Cover" bids in eight processes, each won by a different bidder, and wins none.
    let processes = (0..<8).map { index in
      Self.process(
        "p\(index)", bids: [("Cover", 200, "valid"), ("W\(index)", 100, "valid")],
        won: ["W\(index)"])
    }
    let report = RedFlagReport(processes)
    let flag = report.tenderers["Cover"]?.first
    #expect(flag?.code == .r025)
    #expect(flag?.value == 0)
    #expect(flag?.evidence.count == 8)
    #expect((0..<8).allSatisfy { report.tenderers["W\($0)"] == nil })
    // Winning one of its bids more makes its ratio 1/8, still far below the others' 1.
    var winsOnce = processes
    winsOnce[0].awards = [.init(status: "active", suppliers: ["Cover"])]
    #expect(RedFlagReport(winsOnce).tenderers["Cover"]?.first?.code == .r025)
    // While an award is pending the process is left out.
    var pending = processes
    for index in pending.indices { pending[index].awards[0].status = "pending" }
    #expect(RedFlagReport(pending).tenderers["Cover"] == nil)
  }

  @Test func aBuyerThatDisqualifiesFarMoreThanOthersIsFlagged() {
    var processes: [ContractingProcess] = []
    for buyer in ["B1", "B2", "B3", "B4", "B5"] {
      for index in 0..<2 {
        let out = buyer == "B1" ? "disqualified" : "valid"
        processes.append(
          Self.process(
            "\(buyer)-\(index)", bids: [("A\(index)", 100, "valid"), ("C\(index)", 90, out)],
            won: ["A\(index)"], buyer: buyer))
      }
    }
    // One process only: too few to measure.
    processes.append(
      Self.process("B6-0", bids: [("A", 100, "valid"), ("C", 90, "disqualified")], buyer: "B6"))
    let report = RedFlagReport(processes)
    #expect(report.buyers.keys.sorted() == ["B1"])
    #expect(report.buyers["B1"]?.first?.value == 0.5)
    #expect(report.buyers["B1"]?.first?.evidence == ["B1-0", "B1-1"])
    // When most buyers disqualify nothing the fence is 0: one revoked bid is no outlier.
    var mostly = processes.filter { !$0.ocid.hasPrefix("B6") }
    for buyer in ["B7", "B8", "B9", "B10", "B11", "B12", "B13", "B14", "B15", "B16"] {
      for index in 0..<2 {
        mostly.append(
          Self.process(
            "\(buyer)-\(index)", bids: [("A\(index)", 100, "valid"), ("C\(index)", 90, "valid")],
            won: ["A\(index)"], buyer: buyer))
      }
    }
    #expect(RedFlagReport(mostly).buyers.isEmpty)
  }

  @Test func aSupplierAwardedInManyIndustriesIsHeterogeneous() {
    let processes = ["房屋建筑", "市政", "水利", "交通", "信息化"].enumerated().map { index, industry in
      Self.process(
        "s\(index)", bids: [("S", 100, "valid"), ("X\(index)", 110, "valid")], won: ["S"],
        classification: industry)
    }
    let others = (0..<24).map { index in
      Self.process(
        "o\(index)", bids: [("O\(index)", 100, "valid"), ("Y", 110, "valid")], won: ["O\(index)"],
        classification: "房屋建筑")
    }
    let report = RedFlagReport(processes + others)
    #expect(report.tenderers["S"]?.first { $0.code == .r048 }?.value == 5)
    #expect((0..<24).allSatisfy { report.tenderers["O\($0)"] == nil })
    // Seven suppliers are too few to say what a market's usual variety is.
    let few = RedFlagReport(processes + others.prefix(6))
    #expect(few.tenderers["S"]?.contains { $0.code == .r048 } != true)
    #expect(few.fences[.r048] == nil)
  }

  @Test func whenEveryValueIsTheSameNothingIsAnOutlier() {
    let processes = (0..<6).map { index in
      Self.process(
        "p\(index)", bids: [("W\(index)", 100, "valid"), ("L\(index)", 105, "valid")],
        won: ["W\(index)"], classification: "市政")
    }
    let report = RedFlagReport(processes)
    #expect(report.processes.isEmpty)
    #expect(report.tenderers.isEmpty)
    #expect(report.processCount == 6)
  }
}
