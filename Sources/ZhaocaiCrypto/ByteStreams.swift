import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Somewhere bytes are read from, a piece at a time, so that no whole file is ever held.
public protocol ByteSource {
  /// Fills some of `buffer`; returns how many bytes, 0 at the end.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Somewhere bytes are written to, a piece at a time.
public protocol ByteSink {
  mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteSource {
  /// Reads until `buffer` is full or the source ends; returns how many bytes were read.
  public mutating func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    var filled = 0
    while filled < buffer.count {
      let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
      if n == 0 { break }
      filled += n
    }
    return filled
  }

  /// The next `count` bytes, or fewer if the source ends first.
  public mutating func read(upTo count: Int) throws -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    let filled = try out.withUnsafeMutableBytes { try readFully(into: $0) }
    return filled == count ? out : Array(out.prefix(filled))
  }

  /// Calls `body` with each piece of the source, 64 KiB at most, until it ends.
  public mutating func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = try buffer.withUnsafeMutableBytes { try read(into: $0) }
      if n == 0 { return }
      try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
    }
  }
}

extension ByteSink {
  public mutating func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { (raw) in try write(raw) }
  }
}

/// Bytes held in memory (tests, small envelopes).
public struct MemorySource: ByteSource {
  public let bytes: [UInt8]
  private var offset = 0

  public init(_ bytes: [UInt8]) { self.bytes = bytes }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = min(buffer.count, bytes.count - offset)
    bytes.withUnsafeBytes { source in
      buffer.baseAddress?.copyMemory(from: source.baseAddress! + offset, byteCount: n)
    }
    offset += n
    return n
  }
}

/// Collects what is written in memory.
public struct MemorySink: ByteSink {
  public private(set) var bytes: [UInt8] = []

  public init() {}

  public mutating func write(_ bytes: UnsafeRawBufferPointer) {
    self.bytes.append(contentsOf: bytes)
  }
}

/// Counts what is written and keeps none of it (the benchmark's opening of many bids).
public struct DiscardSink: ByteSink {
  public private(set) var count = 0

  public init() {}

  public mutating func write(_ bytes: UnsafeRawBufferPointer) { count += bytes.count }
}

/// A file opened for reading, closed when the last copy goes away.
public struct FileSource: ByteSource {
  private let file: FileDescriptor

  public init(path: String) throws {
    file = try FileDescriptor(path: path, flags: O_RDONLY)
  }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    try file.read(into: buffer)
  }
}

/// A file written through a temporary name and renamed into place only by `commit()`, so a
/// failed opening or sealing never leaves a half-written file under the real name.
public struct AtomicFileSink: ByteSink {
  public let path: String
  private let temporaryPath: String
  private let file: FileDescriptor

  public init(path: String) throws {
    self.path = path
    self.temporaryPath = path + ".partial-\(getpid())"
    self.file = try FileDescriptor(
      path: temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
  }

  public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
    try file.write(bytes)
  }

  /// Makes the file appear under its real name.
  public func commit() throws {
    guard fsync(file.descriptor) == 0, rename(temporaryPath, path) == 0 else {
      throw EnvelopeError.io("\(path): \(String(cString: strerror(errno)))")
    }
  }

  /// Removes the temporary file; the real name is left untouched.
  public func discard() {
    unlink(temporaryPath)
  }
}

/// Owns one POSIX file descriptor.
final class FileDescriptor {
  let descriptor: Int32
  let path: String

  init(path: String, flags: Int32, mode: mode_t = 0) throws {
    let fd = open(path, flags | O_CLOEXEC, mode)
    guard fd >= 0 else { throw EnvelopeError.io("\(path): \(String(cString: strerror(errno)))") }
    self.descriptor = fd
    self.path = path
  }

  deinit { close(descriptor) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    while true {
      let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
      if n >= 0 { return n }
      if errno != EINTR { throw EnvelopeError.io("\(path): \(String(cString: strerror(errno)))") }
    }
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < bytes.count {
      let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        throw EnvelopeError.io("\(path): \(String(cString: strerror(errno)))")
      }
      offset += n
    }
  }
}
