import Testing
import ZhaocaiDomain

@testable import ZhaocaiWeb

/// What every platform's pages share: the visitor's language, bounded forms, and how numbers,
/// instants, regions and logged events are written for people.
@Suite struct PageFoundationTests {
  @Test func theBrowsersFirstChoiceOfChineseOrEnglishIsTheLanguage() {
    #expect(PageLanguage.preferred("en-US,en;q=0.9,zh-CN;q=0.8") == .en)
    #expect(PageLanguage.preferred("zh-CN,zh;q=0.9,en;q=0.8") == .zh)
    #expect(PageLanguage.preferred("en;q=0.3, zh-TW;q=0.7") == .zh)
    #expect(PageLanguage.preferred("fr-FR,de;q=0.5") == .zh)
    #expect(PageLanguage.preferred("en;q=0, fr") == .zh)
    #expect(PageLanguage.preferred("") == .zh)
    // A header of thousands of items is read only as far as its first 32.
    #expect(PageLanguage.preferred(String(repeating: "fr,", count: 5_000) + "en") == .zh)
  }

  @Test func aFormIsDecodedWithinItsBounds() throws {
    let form = try PageForm.parse("reason=%E6%9A%82%E5%81%9C+%E8%B0%83%E6%9F%A5&b=2&b=3&empty=")
    #expect(form.fields["reason"] == "暂停 调查")
    #expect(form.fields["b"] == "2")
    #expect(form.optional("empty") == nil)
    #expect(form.ticked("b") && !form.ticked("c"))
    let crowded = (0...PageForm.maxFields).map { "f\($0)=1" }.joined(separator: "&")
    #expect(throws: ProblemDetails.self) { try PageForm.parse(crowded) }
    #expect {
      try PageForm.parse("a=%ZZ")
    } throws: { ($0 as? ProblemDetails)?.code == "BAD_REQUEST" }
  }

  @Test func aFieldIsCheckedAsEveryTextIs() throws {
    let form = PageForm(fields: [
      "blank": "  ", "long": String(repeating: "长", count: 2_001), "bidi": "abc\u{202E}def",
      "fine": "  经查属实  ",
    ])
    #expect(try form.text("fine", chinese: "理由") == "  经查属实  ")
    for field in ["blank", "long", "bidi", "missing"] {
      #expect {
        try form.text(field, chinese: "理由", maxLength: 2_000, multiline: true)
      } throws: { ($0 as? PageFieldRefusal)?.field == field }
    }
  }

  @Test func moneyInstantsAndRegionsReadAsPeopleWriteThem() {
    #expect(PageFormat.money(fen: 123_456_789) == "¥1,234,567.89")
    #expect(PageFormat.money(fen: 5_000_000_000) == "¥50,000,000.00")
    #expect(PageFormat.time(0) == "1970-01-01 08:00")
    #expect(PageFormat.time(1_796_000_000) == "2026-11-30 08:53")
    #expect(PageFormat.date(1_796_000_000 - 10 * 3_600) == "2026-11-29")
    // Any instant a record holds is written, none traps.
    #expect(!PageFormat.time(.max).isEmpty && !PageFormat.time(.min).isEmpty)
    #expect(PageFormat.region("350100") == "福州市")
    #expect(PageFormat.region("350203") == "厦门市思明区")
    #expect(PageFormat.region("350199") == "福州市 350199")
    #expect(PageFormat.region("359900") == "福建省 359900")
    #expect(PageFormat.region("990000") == "990000")
    #expect(PageFormat.region("35") == "35")
  }

  @Test func aLoggedEventReadsAsASentenceInEitherLanguage() {
    let opened = SectionEvent.bidOpened(
      bidder: "91350100MA00000011",
      items: OpeningItems(
        price: Money(yuan: 48_500_000), durationDays: 540, quality: "合格", warrantyMonths: 24,
        projectManagerID: "PM-1"),
      bidKey: "k")
    #expect(
      EventWords.sentence(opened, in: .zh)
        == "开启 91350100MA00000011 的投标文件：报价 ¥48,500,000.00，工期 540 日")
    #expect(EventWords.sentence(opened, in: .en).hasPrefix("Bid of 91350100MA00000011 opened"))
    let closed = SectionEvent.biddingClosed(at: 0, bids: 3)
    #expect(EventWords.sentence(closed, in: .zh) == "投标截止，共收到 3 份投标文件")
    #expect(EventWords.phase("publicity", in: .zh) == "中标候选人公示")
    #expect(EventWords.phase("unknown", in: .zh) == "unknown")
  }

  @Test func theRefusalReadsInTheVisitorsLanguageWithItsArticle() {
    let problem = ProblemDetails(
      status: 422, code: "RULE_X", article: "条例61", english: "too late", chinese: "已逾期（条例61）")
    #expect(problem.message(in: .zh) == "已逾期（条例61）")
    #expect(problem.message(in: .en) == "too late (条例61)")
  }
}
