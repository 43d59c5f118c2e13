import AsyncHTTPClient
import NIOCore
import NIOPosix
import OpenAPIAsyncHTTPClient

/// The HTTP transport of every call from one platform to another (the generated clients).
public enum PeerTransport {
  /// One pooled client for the process. A connection that cannot be made fails the call at
  /// once rather than being retried inside the client: the relays retry with their own backoff,
  /// and a request that delivers on the way (a supervision order) must answer "pending" quickly.
  static let client: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(
      eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
  }()

  /// The generated clients' transport over that client.
  public static let shared = AsyncHTTPClientTransport(configuration: .init(client: client))
}
