import CZlib

/// DEFLATE data inflated by the system zlib into a buffer of a size fixed in advance, so a file
/// that claims little and inflates to much (a "zip bomb") stops at the limit.
enum Inflate {
  /// Why data could not be inflated.
  enum Failure: Error, Equatable {
    case notDeflate
    case tooLarge
    case truncated
  }

  /// Raw DEFLATE, as in a ZIP entry (method 8).
  static func raw(_ data: ArraySlice<UInt8>, limit: Int) throws(Failure) -> [UInt8] {
    try run(data, limit: limit, windowBits: -15)
  }

  /// zlib-wrapped DEFLATE, as in a PDF stream's FlateDecode.
  static func zlib(_ data: ArraySlice<UInt8>, limit: Int) throws(Failure) -> [UInt8] {
    try run(data, limit: limit, windowBits: 15)
  }

  private static func run(_ data: ArraySlice<UInt8>, limit: Int, windowBits: Int32)
    throws(Failure) -> [UInt8]
  {
    guard limit > 0 else { throw .tooLarge }
    // One byte beyond the limit tells "exactly the limit" from "more than the limit".
    var output = [UInt8](repeating: 0, count: limit + 1)
    let written = data.withUnsafeBufferPointer { input in
      output.withUnsafeMutableBufferPointer { out in
        zc_inflate(input.baseAddress, input.count, out.baseAddress, out.count, windowBits)
      }
    }
    switch written {
    case -2: throw .tooLarge
    case -3: throw .truncated
    case ..<0: throw .notDeflate
    case limit + 1: throw .tooLarge
    default: return Array(output[0..<written])
    }
  }
}
