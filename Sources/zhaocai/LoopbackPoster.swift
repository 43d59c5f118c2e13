import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A bare HTTP/1.1 client on one kept-alive loopback connection, for benchmarks: it posts
/// prepared bodies one after another from a thread of its own. URLSession (libcurl driven through
/// dispatch sources) spent about half of both cores in the profile of `bench hub`, work that a
/// relay on another machine would do there, not on the hub.
final class LoopbackPoster {
  struct Answer {
    let status: Int
    let body: Data
  }

  enum Failure: Error, CustomStringConvertible {
    case connect(Int32)
    case closed
    case malformed(String)

    var description: String {
      switch self {
      case .connect(let code): "cannot connect to the loopback port (errno \(code))"
      case .closed: "the server closed the connection"
      case .malformed(let what): "malformed HTTP answer: \(what)"
      }
    }
  }

  private let socket: Int32
  private var buffer: [UInt8] = []

  private init(port: Int) throws {
    socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      let code = errno
      close(socket)
      throw Failure.connect(code)
    }
    var one: Int32 = 1
    setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
  }

  deinit { close(socket) }

  /// Posts each body in turn to loopback `port` on one connection, from a thread of its own
  /// that owns the connection (so the server's concurrency pool keeps both cores), calling
  /// `check` with each answer; answers the seconds from the first write to the last answer.
  static func post(
    _ bodies: [Data], to port: Int, path: String,
    check: @escaping @Sendable (Answer) throws -> Void
  ) async throws -> Double {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        do {
          let poster = try LoopbackPoster(port: port)
          let start = monotonicSeconds()
          for body in bodies {
            try check(try poster.exchange(body, path: path))
          }
          continuation.resume(returning: monotonicSeconds() - start)
        } catch {
          continuation.resume(throwing: error)
        }
      }
      thread.start()
    }
  }

  private func exchange(_ body: Data, path: String) throws -> Answer {
    let head =
      "POST \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
      + "content-length: \(body.count)\r\n\r\n"
    try write(Array(head.utf8))
    try write(Array(body))
    let headers = try read(upTo: [13, 10, 13, 10])
    let lines = headers.split(separator: "\r\n")
    guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
      let status = Int(statusLine.dropFirst(9).prefix(3))
    else { throw Failure.malformed(String(headers.prefix(80))) }
    var length: Int?
    var chunked = false
    for line in lines.dropFirst() {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let name = parts[0].lowercased()
      let value = parts[1].trimmingCharacters(in: .whitespaces)
      if name == "content-length" { length = Int(value) }
      if name == "transfer-encoding", value.lowercased().contains("chunked") { chunked = true }
    }
    if chunked { return Answer(status: status, body: try readChunks()) }
    return Answer(status: status, body: Data(try read(exactly: length ?? 0)))
  }

  private func write(_ bytes: [UInt8]) throws {
    var sent = 0
    while sent < bytes.count {
      let written = bytes.withUnsafeBytes {
        Glibc.write(socket, $0.baseAddress! + sent, bytes.count - sent)
      }
      guard written > 0 else { throw Failure.closed }
      sent += written
    }
  }

  private func fill() throws {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    let count = chunk.withUnsafeMutableBytes { Glibc.read(socket, $0.baseAddress!, 65_536) }
    guard count > 0 else { throw Failure.closed }
    buffer.append(contentsOf: chunk[0..<count])
  }

  /// The text up to `end` (CRLF for a line, CRLF CRLF for the head), which is consumed too.
  private func read(upTo end: [UInt8]) throws -> String {
    while true {
      if let range = buffer.firstRange(of: end) {
        let text = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
        buffer.removeSubrange(..<range.upperBound)
        return text
      }
      try fill()
    }
  }

  private func read(exactly count: Int) throws -> [UInt8] {
    while buffer.count < count { try fill() }
    let bytes = Array(buffer[..<count])
    buffer.removeSubrange(..<count)
    return bytes
  }

  private func readChunks() throws -> Data {
    var body = Data()
    while true {
      let sizeLine = try read(upTo: [13, 10])
      guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
        throw Failure.malformed("chunk size \(sizeLine)")
      }
      if size == 0 {
        _ = try read(upTo: [13, 10])
        return body
      }
      body.append(contentsOf: try read(exactly: size))
      _ = try read(upTo: [13, 10])
    }
  }
}
