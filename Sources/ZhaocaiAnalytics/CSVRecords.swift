/// Splits CSV text (RFC 4180: comma separated, double-quoted fields with `""` for a quote,
/// CRLF or LF line ends) into records of fields, refusing what it cannot read exactly rather
/// than guessing: a line longer than `maxLineBytes`, a stray quote, a field that is not UTF-8.
struct CSVRecords {
  private let bytes: [UInt8]
  private var index = 0
  private(set) var line = 0
  let maxLineBytes: Int
  let maxFields: Int

  init(_ bytes: [UInt8], maxLineBytes: Int = 4096, maxFields: Int = 16) {
    self.bytes = bytes
    self.maxLineBytes = maxLineBytes
    self.maxFields = maxFields
    // A UTF-8 byte order mark, as spreadsheet programs write, is not part of the header.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
  }

  /// The next non-empty record, or nil at the end of the text.
  mutating func next() throws(BidTableError) -> [String]? {
    while index < bytes.count {
      line += 1
      let start = index
      var fields: [String] = []
      var field: [UInt8] = []
      var quoted = false
      var fieldStarted = false
      var ended = false
      while index < bytes.count {
        if index - start > maxLineBytes {
          throw BidTableError(
            "CSV_LINE_TOO_LONG", line: line, "a line is longer than \(maxLineBytes) bytes",
            chinese: "一行超过\(maxLineBytes)字节")
        }
        let byte = bytes[index]
        index += 1
        if quoted {
          if byte == 0x22 {
            if index < bytes.count, bytes[index] == 0x22 {
              field.append(0x22)
              index += 1
            } else {
              quoted = false
            }
          } else {
            field.append(byte)
          }
          continue
        }
        switch byte {
        case 0x22 where !fieldStarted:
          quoted = true
          fieldStarted = true
        case 0x22:
          throw BidTableError(
            "CSV_QUOTE", line: line, "a quote inside an unquoted field",
            chinese: "未加引号的字段中出现引号")
        case 0x2C:
          try fields.append(text(field))
          guard fields.count < maxFields else {
            throw BidTableError(
              "CSV_FIELD_COUNT", line: line, "more than \(maxFields) fields",
              chinese: "字段超过\(maxFields)个")
          }
          field.removeAll(keepingCapacity: true)
          fieldStarted = false
        case 0x0A:
          ended = true
        case 0x0D where index < bytes.count && bytes[index] == 0x0A:
          break
        default:
          field.append(byte)
          fieldStarted = true
        }
        if ended { break }
      }
      if quoted {
        throw BidTableError(
          "CSV_QUOTE", line: line, "a quoted field is not closed", chinese: "引号字段未闭合")
      }
      try fields.append(text(field))
      if fields.count == 1, fields[0].isEmpty { continue }
      return fields
    }
    return nil
  }

  private func text(_ field: [UInt8]) throws(BidTableError) -> String {
    guard let value = String(validating: field, as: UTF8.self) else {
      throw BidTableError(
        "CSV_ENCODING", line: line, "a field is not UTF-8", chinese: "字段不是UTF-8编码")
    }
    return value
  }
}
