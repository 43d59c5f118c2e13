import AsyncHTTPClient
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

extension Client {
  /// The supervision platform's API (openapi/supervision.yaml) at `base` (…/api/v1), over the shared HTTP client.
  init(supervision base: URL) {
    self.init(
      serverURL: base,
      configuration: Configuration(
        dateTranscoder: .iso8601, jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
      transport: AsyncHTTPClientTransport(configuration: .init(client: .shared)))
  }
}
