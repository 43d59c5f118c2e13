import COpenSSL
import Crypto

/// An incremental SHA-256 (swift-crypto) or SM3 (system OpenSSL), fed in pieces of any size.
public struct StreamingHash {
  private enum State {
    case sha256(SHA256)
    case sm3(SM3Context)
  }

  private var state: State

  public init(_ function: HashFunction) {
    switch function {
    case .sha256: state = .sha256(SHA256())
    case .sm3: state = .sm3(SM3Context())
    }
  }

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    switch state {
    case .sha256(var hasher):
      hasher.update(bufferPointer: bytes)
      state = .sha256(hasher)
    case .sm3(let context):
      context.update(bytes)
    }
  }

  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  public func finalize() -> [UInt8] {
    switch state {
    case .sha256(let hasher): Array(hasher.finalize())
    case .sm3(let context): context.finalize()
    }
  }
}

/// Owns one OpenSSL digest context for SM3.
private final class SM3Context {
  private let context: OpaquePointer

  init() {
    guard let context = zc_hash_new(zc_sm3()) else { fatalError("libcrypto has no SM3") }
    self.context = context
  }

  deinit { EVP_MD_CTX_free(context) }

  func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    precondition(zc_hash_update(context, base, bytes.count) == 1, "SM3 update failed")
  }

  func finalize() -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    precondition(zc_hash_final(context, &out) == 1, "SM3 final failed")
    return out
  }
}
