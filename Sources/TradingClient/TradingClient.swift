import AsyncHTTPClient
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

extension Client {
  /// A trading platform's API (openapi/trading.yaml) at `base` (…/api/v1), over the shared HTTP client.
  init(trading base: URL) {
    self.init(
      serverURL: base,
      configuration: Configuration(
        dateTranscoder: .iso8601, jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
      transport: AsyncHTTPClientTransport(configuration: .init(client: .shared)))
  }
}
