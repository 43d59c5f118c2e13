/// Why a bid table (the CSV `zhaocai screen` reads) was refused: a stable code, the line it is
/// on (1 is the header), and the message in English and Chinese.
public struct BidTableError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A stable name of the refusal, such as `AMOUNT_INVALID`.
  public let code: String
  /// The line of the file the refusal is about; 0 for the file as a whole.
  public let line: Int
  public let english: String
  public let chinese: String

  init(_ code: String, line: Int, _ english: String, chinese: String) {
    self.code = code
    self.line = line
    self.english = english
    self.chinese = chinese
  }

  public var description: String {
    line > 0 ? "line \(line): \(english) [\(code)]" : "\(english) [\(code)]"
  }

  /// The Chinese message with its line, for the command's second half of the error line.
  public var chineseDescription: String { line > 0 ? "第\(line)行：\(chinese)" : chinese }
}
