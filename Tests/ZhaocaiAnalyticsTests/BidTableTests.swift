import Testing

@testable import ZhaocaiAnalytics

/// Reading the CSV the screens take, and refusing what is wrong with it by line and code.
@Suite struct BidTableTests {
  func parse(_ text: String, limits: BidTable.Limits = .init()) throws(BidTableError) -> BidTable {
    try BidTable.parse(Array(text.utf8), limits: limits)
  }

  func refusal(_ text: String, limits: BidTable.Limits = .init()) -> BidTableError? {
    do {
      _ = try parse(text, limits: limits)
      return nil
    } catch {
      return error
    }
  }

  @Test func columnsInAnyOrderQuotesByteOrderMarkAndCRLF() throws {
    let table = try parse(
      "\u{FEFF}amount,collusive,Tender,bidder,estimate\r\n"
        + "100.5,0,T1,\"甲公司, 有限\",200\r\n110,1,T1,乙,200\r\n\r\n90,0,T2,甲公司,\r\n")
    #expect(table.isLabelled)
    #expect(table.tenders.map(\.id) == ["T1", "T2"])
    #expect(table.bidders == ["甲公司, 有限", "乙", "甲公司"])
    #expect(
      table.tenders[0].bids == [.init(bidder: 0, amount: 100.5), .init(bidder: 1, amount: 110)])
    #expect(table.tenders[0].estimate == 200 && table.tenders[1].estimate == nil)
    // One collusive bid makes the tender collusive.
    #expect(table.tenders[0].collusive == true && table.tenders[1].collusive == false)
    #expect(table.bidCount == 3)
  }

  @Test func withoutLabelsATableCannotTrain() throws {
    let table = try parse("tender,bidder,amount\nT1,A,1\n")
    #expect(!table.isLabelled && table.tenders[0].collusive == nil)
    #expect(throws: BidTableError.self) { try ScreenModel.train(table, source: "test") }
  }

  @Test(arguments: [
    ("", "CSV_EMPTY", 0),
    ("tender,bidder\nT1,A\n", "CSV_COLUMN_MISSING", 1),
    ("tender,bidder,amount,estimat\n", "CSV_COLUMN_UNKNOWN", 1),
    ("tender,bidder,amount,amount\n", "CSV_COLUMN_DUPLICATE", 1),
    ("tender,bidder,amount\nT1,A\n", "CSV_FIELD_COUNT", 2),
    ("tender,bidder,amount\nT1,A,1,2\n", "CSV_FIELD_COUNT", 2),
    ("tender,bidder,amount\nT1,A,-5\n", "AMOUNT_INVALID", 2),
    ("tender,bidder,amount\nT1,A,0\n", "AMOUNT_INVALID", 2),
    ("tender,bidder,amount\nT1,A,abc\n", "AMOUNT_INVALID", 2),
    ("tender,bidder,amount\nT1,A,inf\n", "AMOUNT_INVALID", 2),
    ("tender,bidder,amount\nT1,A,nan\n", "AMOUNT_INVALID", 2),
    ("tender,bidder,amount\nT1,A,1e20\n", "AMOUNT_INVALID", 2),
    ("tender,bidder,amount\nT1,A,\n", "AMOUNT_INVALID", 2),
    ("tender,bidder,amount\n,A,5\n", "ID_INVALID", 2),
    ("tender,bidder,amount\nT1,A\u{7}B,5\n", "ID_INVALID", 2),
    ("tender,bidder,amount,estimate\nT1,A,5,x\n", "ESTIMATE_INVALID", 2),
    ("tender,bidder,amount,estimate\nT1,A,5,10\nT1,B,6,11\n", "ESTIMATE_INCONSISTENT", 3),
    ("tender,bidder,amount,collusive\nT1,A,5,2\n", "LABEL_INVALID", 2),
    ("tender,bidder,amount,collusive\nT1,A,5,\n", "LABEL_INVALID", 2),
    ("tender,bidder,amount\nT1,A,5\nT1,A,6\n", "BID_DUPLICATE", 3),
    ("tender,bidder,amount\nT1,\"A,5\n", "CSV_QUOTE", 2),
    ("tender,bidder,amount\nT1,A\"B,5\n", "CSV_QUOTE", 2),
  ])
  func refusedWithCodeAndLine(text: String, code: String, line: Int) {
    let error = refusal(text)
    #expect(error?.code == code, "\(String(describing: error))")
    #expect(error?.line == line)
    #expect(error.map { !$0.chinese.isEmpty && !$0.english.isEmpty } == true)
  }

  @Test func bytesThatAreNotUTF8AreRefused() {
    let bytes = Array("tender,bidder,amount\nT1,".utf8) + [0xFF, 0xFE] + Array(",5\n".utf8)
    #expect(
      throws: BidTableError("CSV_ENCODING", line: 2, "a field is not UTF-8", chinese: "字段不是UTF-8编码")
    ) {
      try BidTable.parse(bytes)
    }
  }

  @Test func boundsOnLineLengthTenderSizeAndRows() {
    let long = "tender,bidder,amount\nT1,\(String(repeating: "A", count: 5000)),5\n"
    #expect(refusal(long)?.code == "CSV_LINE_TOO_LONG")
    var limits = BidTable.Limits()
    limits.maxBidsPerTender = 2
    #expect(
      refusal("tender,bidder,amount\nT,A,1\nT,B,2\nT,C,3\n", limits: limits)?.code
        == "TENDER_TOO_LARGE")
    limits = BidTable.Limits()
    limits.maxRows = 2
    let rows = refusal("tender,bidder,amount\nT,A,1\nT,B,2\nU,C,3\n", limits: limits)
    #expect(rows?.code == "TABLE_TOO_LARGE" && rows?.line == 4)
    let identifier = "tender,bidder,amount\nT1,\(String(repeating: "B", count: 129)),5\n"
    #expect(refusal(identifier)?.code == "ID_INVALID")
  }
}
