import Hummingbird
import ZhaocaiStore

/// A platform's health for its load balancer and its operators: `/health/live` answers while the
/// process serves; `/health/ready` only when its database answers and holds every migration of
/// its schema (503 otherwise, so nginx or an orchestrator sends no traffic there).
public enum Health {
  public static func add<Context: RequestContext>(
    to router: Router<Context>, store: Store, schema: Schema
  ) {
    router.get("/health/live") { _, _ in answer(.ok, #"{"status":"live"}"#) }
    router.get("/health/ready") { _, _ in
      if let why = await store.unreadiness(for: schema) {
        return answer(
          .serviceUnavailable,
          #"{"status":"unready","reason":"\#(why)"}"#)
      }
      return answer(.ok, #"{"status":"ready"}"#)
    }
  }

  private static func answer(_ status: HTTPResponse.Status, _ json: String) -> Response {
    Response(
      status: status,
      headers: [.contentType: "application/json", .cacheControl: "no-store"],
      body: .init(byteBuffer: ByteBuffer(string: json)))
  }
}
