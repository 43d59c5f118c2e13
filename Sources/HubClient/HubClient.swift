import AsyncHTTPClient
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

extension Client {
  /// The hub's API (openapi/exchange.yaml) at `base` (…/api/v1), over the shared HTTP client.
  init(hub base: URL) {
    self.init(
      serverURL: base,
      configuration: Configuration(
        dateTranscoder: .iso8601, jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
      transport: AsyncHTTPClientTransport(configuration: .init(client: .shared)))
  }
}
