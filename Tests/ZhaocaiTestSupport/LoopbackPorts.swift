import Foundation

/// Ports on 127.0.0.1 for processes a test starts, or for addresses nothing answers at.
public enum LoopbackPorts {
  /// `count` distinct ports that were free a moment ago: each is held bound until all are
  /// picked (releasing each at once let the kernel hand the same port out twice, and a demo
  /// whose hub and trading platform shared a port failed to start). Nothing listens on them
  /// when this returns.
  public static func free(_ count: Int) -> [Int] {
    var sockets: [Int32] = []
    defer { for fd in sockets { close(fd) } }
    return (0..<count).map { _ in
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      sockets.append(fd)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, length)
          return getsockname(fd, $0, &length)
        }
      }
      return Int(UInt16(bigEndian: address.sin_port))
    }
  }
}
