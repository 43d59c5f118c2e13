import Foundation
import Testing

@testable import ZhaocaiExchange

/// The open data's JSON reader and writer agree with JSONSerialization on what JSON means.
@Suite struct JSONTextTests {
  @Test func writesWhatJSONSerializationReadsBack() throws {
    let title = "厦门“快速路”\n\t\"引号\" \\ 反斜杠 \u{01}"
    let value: JSONValue = [
      "title": .string(title), "amount": 50_000_000.0, "fraction": 0.25,
      "count": 7, "flag": true, "none": nil, "list": [1, "二", ["三": []]],
      "emoji": "🏗️", "empty": [:],
    ]
    let text = JSONText.string(value)
    let back = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(back["title"] as? String == title)
    #expect((back["amount"] as? NSNumber)?.int64Value == 50_000_000)
    #expect((back["fraction"] as? NSNumber)?.doubleValue == 0.25)
    #expect(back["flag"] as? Bool == true)
    #expect(back["none"] is NSNull)
    #expect(back["emoji"] as? String == "🏗️")
    // Keys are sorted and nothing is pretty-printed, so equal values write equal bytes.
    #expect(text.hasPrefix(#"{"amount":50000000,"count":7,"#))
  }

  @Test func readsEscapesSurrogatesNumbersAndRefusesBrokenInput() throws {
    let parsed = try JSONText.parseValue(
      Data(#"{"a":"\u5e73\u6f6d\ud83c\udfd7","b":[-12,3.5e2,true,false,null],"c":{}}"#.utf8))
    #expect(parsed["a"]?.string == "平潭🏗")
    #expect(parsed["b"] == [-12, .number(350), true, false, nil])
    #expect(parsed["c"]?.object?.isEmpty == true)
    for broken in [#"{"a":1"#, #"{"a":}"#, #"[1,]x"#, #""unterminated"#, "tru"] {
      #expect(throws: (any Error).self) { try JSONText.parseValue(Data(broken.utf8)) }
    }
    // What it writes, it reads back unchanged.
    let round = try JSONText.parseValue(Data(JSONText.string(parsed).utf8))
    #expect(JSONText.string(round) == JSONText.string(parsed))
  }

  /// The releases of a package are found apart, so they can be parsed on several cores; brackets,
  /// commas and escaped quotes inside strings do not confuse the scan.
  @Test func elementsOfAnArrayAreFoundApartAndParseAsTheWhole() throws {
    let package =
      #"{"uri":"x","releases": [ {"id":"a,[b]","n":1} , "q\"]," ,[2,[3]], 4 ,{"t":"}"}],"z":{"releases":[9]}}"#
    let bytes = Array(package.utf8)
    let ranges = try #require(JSONText.elementRanges(ofArray: "releases", in: bytes))
    #expect(ranges.count == 5)
    let apart = try ranges.map { try JSONText.parseValue(bytes, in: $0) }
    let whole = try #require(try JSONText.parseValue(Data(bytes))["releases"]?.array)
    #expect(apart.map(JSONText.string) == whole.map(JSONText.string))
    #expect(JSONText.elementRanges(ofArray: "records", in: bytes) == nil)
  }
}
