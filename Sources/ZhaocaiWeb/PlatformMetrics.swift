import Hummingbird
import Prometheus
import Synchronization
import ZhaocaiStore

/// A platform's metrics in the Prometheus text format at `/metrics`: requests by route, method
/// and status with their latency, the platform's own counters (bids, openings, scheduler runs,
/// relay rounds …) and gauges measured when scraped (outbox depth and age). One registry per
/// platform, so the loopback network's four platforms keep theirs apart. Routes are the matched
/// templates, never the raw path, so hostile URLs cannot grow the label set.
public final class PlatformMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  private let subsystem: String
  /// Gauges worth reading fresh at each scrape, by name.
  private let measured = Mutex<[(String, @Sendable () async -> Double?)]>([])

  /// `platform`: `trading`, `hub` or `supervision` (the metric names' prefix after `zhaocai_`).
  public init(platform: String) {
    subsystem = platform
  }

  /// Adds `by` to the counter `name` (without the namespace; `_total` is added).
  public func count(_ name: String, by amount: Int = 1, labels: [(String, String)] = []) {
    registry.makeCounter(descriptor: descriptor(name, unit: "total"), labels: labels)
      .increment(by: Int64(max(amount, 0)))
  }

  /// A gauge read at each scrape (nil: not known now, left as it was).
  public func measure(_ name: String, _ read: @escaping @Sendable () async -> Double?) {
    measured.withLock { $0.append((name, read)) }
  }

  /// The database pool's gauges, read at each scrape: connections in use and operations
  /// waiting for one, the maximum, connections granted and the time waited for them since the
  /// start, and failovers to another PostgreSQL server.
  public func measure(_ store: Store) {
    measure("database_connections_in_use") { Double(store.usage.snapshot.inUse) }
    measure("database_connections_waiting") { Double(store.usage.snapshot.waiting) }
    measure("database_connections_maximum") { Double(store.maximumConnections) }
    measure("database_leases") { Double(store.usage.snapshot.leases) }
    measure("database_lease_wait_seconds") { store.usage.snapshot.waitedSeconds }
    measure("database_failovers") { Double(store.failovers) }
  }

  func request(route: String, method: String, status: Int, seconds: Double) {
    let labels = [("route", route), ("method", method), ("status", "\(status)")]
    registry.makeCounter(descriptor: descriptor("http_requests", unit: "total"), labels: labels)
      .increment()
    registry.makeValueHistogram(
      descriptor: descriptor("http_request_duration", unit: "seconds"),
      labels: [("route", route), ("method", method)],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    ).record(seconds)
  }

  private func descriptor(_ name: String, unit: String) -> MetricNameDescriptor {
    MetricNameDescriptor(
      namespace: "zhaocai", subsystem: subsystem, metricName: name, unitName: unit, helpText: "")
  }

  /// The text exposition, with the measured gauges read now.
  func exposition() async -> String {
    for (name, read) in measured.withLock({ $0 }) {
      if let value = await read() {
        registry.makeGauge(descriptor: descriptor(name, unit: "")).set(value)
      }
    }
    return registry.emitToString()
  }

  /// `/metrics`, the request log and the middleware that times every request after them (add
  /// it first).
  public func add<Context: RequestContext>(to router: Router<Context>) {
    router.add(middleware: RequestLog())
    router.add(middleware: MetricsMiddleware(metrics: self))
    router.get("/metrics") { _, _ in
      Response(
        status: .ok,
        headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: await self.exposition())))
    }
  }
}

/// Times each request and counts it under its matched route and final status; errors thrown
/// by handlers count with the status they are answered with.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
  let metrics: PlatformMetrics

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    let method = request.method.rawValue.count <= 10 ? request.method.rawValue : "OTHER"
    do {
      let response = try await next(request, context)
      record(context, method, response.status.code, start)
      return response
    } catch let error as any HTTPResponseError {
      record(context, method, error.status.code, start)
      throw error
    } catch {
      record(context, method, 500, start)
      throw error
    }
  }

  private func record(
    _ context: Context, _ method: String, _ status: Int, _ start: ContinuousClock.Instant
  ) {
    let elapsed = ContinuousClock.now - start
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    metrics.request(
      route: context.endpointPath ?? "unmatched", method: method, status: status,
      seconds: seconds)
  }
}
