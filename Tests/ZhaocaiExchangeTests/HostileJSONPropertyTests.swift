import Foundation
import PropertyBased
import Testing
import ZhaocaiExchange
import ZhaocaiWeb

/// What a platform reads from the network before anything else: any bytes must give a value or a
/// refusal, never a trap (a lone low surrogate underflowed; deep nesting overflowed the stack).
@Suite struct HostileJSONPropertyTests {
  /// Bytes that look like JSON often enough to reach the parser's corners.
  static let fragments: [String] = [
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\udc00", "\\u0000", "\\u202e",
    "0", "-", "1e999", "9223372036854775808", "true", "null", "\u{202E}", "\u{85}", "字", " ",
  ]
  static let documents = Gen.element(of: fragments).map { $0 ?? "" }.array(of: 0...40).map {
    $0.joined()
  }

  @Test func anyFragmentSoupParsesOrIsRefused() async {
    await propertyCheck(count: 2000, input: Self.documents) { text in
      _ = try? JSONText.parseValue(Data(text.utf8))
      _ = JSONTextCheck.problem(in: Array(text.utf8))
    }
  }

  @Test func randomBytesParseOrAreRefused() async {
    await propertyCheck(count: 500, input: Gen.uint8().array(of: 0...256)) { bytes in
      _ = try? JSONText.parseValue(Data(bytes))
      _ = JSONTextCheck.problem(in: bytes)
    }
  }

  @Test func surrogatesAndDepthAreRefusedNotTrapped() {
    #expect(throws: (any Error).self) { try JSONText.parseValue(Data(#"["\ud800\u0041"]"#.utf8)) }
    #expect(throws: (any Error).self) { try JSONText.parseValue(Data(#"["\udc00"]"#.utf8)) }
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: (any Error).self) { try JSONText.parseValue(Data(deep.utf8)) }
    #expect((try? JSONText.parseValue(Data(#"["\ud83d\ude00"]"#.utf8))) != nil)
    let field = JSONTextCheck.problem(in: Array(#"{"a":{"b":["ok","x\u001by"]}}"#.utf8))
    #expect(field?.english.contains("a.b[1]") == true)
    #expect(JSONTextCheck.problem(in: Array(#"{"a":"line\nbreak\ttab \\u0000"}"#.utf8)) == nil)
  }
}
