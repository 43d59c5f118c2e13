import COpenSSL
import Foundation

/// What the system OpenSSL does on one core, measured in the same run as the benchmark it judges.
enum ReferenceThroughput {
  static var openSSLVersion: String { String(cString: zc_openssl_version()) }

  /// AES-256-GCM encryption of 16 KiB blocks, bytes per second.
  static func aes256GCM(seconds: Double) -> Double {
    let block = 16_384
    let input = [UInt8](repeating: 0x5a, count: block)
    var output = [UInt8](repeating: 0, count: block + 16)
    var tag = [UInt8](repeating: 0, count: 16)
    let key = [UInt8](repeating: 7, count: 32)
    var iv = [UInt8](repeating: 0, count: 12)
    guard let context = EVP_CIPHER_CTX_new() else { return 0 }
    defer { EVP_CIPHER_CTX_free(context) }
    guard zc_reference_aes_init(context, key) == 1 else { return 0 }
    return measure(seconds: seconds, bytesPerCall: block) { counter in
      iv[11] = UInt8(truncatingIfNeeded: counter)
      precondition(zc_reference_aes_block(context, iv, input, block, &output, &tag) == 1)
    }
  }

  /// SHA-256 of 16 KiB blocks, bytes per second.
  static func sha256(seconds: Double) -> Double {
    hash(blockSize: 16_384, seconds: seconds)
  }

  /// SHA-256 calls per second on `blockSize`-byte messages (a Merkle node is 65 bytes).
  static func sha256Calls(blockSize: Int, seconds: Double) -> Double {
    hash(blockSize: blockSize, seconds: seconds) / Double(blockSize)
  }

  private static func hash(blockSize: Int, seconds: Double) -> Double {
    let input = [UInt8](repeating: 0xa5, count: blockSize)
    var digest = [UInt8](repeating: 0, count: 32)
    return measure(seconds: seconds, bytesPerCall: blockSize) { _ in
      precondition(zc_digest(zc_sha256(), input, blockSize, &digest) == 1)
    }
  }

  /// Calls `body` in batches until `seconds` have passed; returns bytes per second.
  private static func measure(seconds: Double, bytesPerCall: Int, _ body: (Int) -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let limit = UInt64(seconds * 1e9)
    var calls = 0
    var elapsed: UInt64 = 0
    repeat {
      for _ in 0..<64 {
        body(calls)
        calls += 1
      }
      elapsed = DispatchTime.now().uptimeNanoseconds - start
    } while elapsed < limit
    return Double(calls * bytesPerCall) / (Double(elapsed) / 1e9)
  }
}

/// The process's peak resident memory so far, in bytes.
func peakResidentMemory() -> Int {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return usage.ru_maxrss * 1024
}

/// Seconds since an arbitrary start, for timing.
func monotonicSeconds() -> Double {
  Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}
