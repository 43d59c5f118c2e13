import Hummingbird
import Logging
import ServiceLifecycle

/// Where and how a platform's HTTP server listens, and whom it tells the port it bound (useful
/// with port 0).
public struct ServerSettings: Sendable {
  public var host: String
  public var port: Int
  public var logger: Logger
  /// The sandbox (`serve --demo`) the platform belongs to, if any.
  public var sandbox: Sandbox?
  public var onServerRunning: @Sendable (Int) async -> Void

  public init(
    host: String = "127.0.0.1", port: Int, logger: Logger, sandbox: Sandbox? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) {
    self.host = host
    self.port = port
    self.logger = logger
    self.sandbox = sandbox
    self.onServerRunning = onServerRunning
  }
}

/// A platform's background work (relays, schedulers, catch-up) as a service of its group: it
/// starts once `ready` opens and stops at the group's graceful shutdown, after the current round.
public struct BackgroundJob: Service {
  public let name: String
  let ready: StartGate?
  let body: @Sendable () async -> Void

  /// A job whose body loops until its task is cancelled (the relays).
  public init(
    name: String, after ready: StartGate? = nil, _ body: @escaping @Sendable () async -> Void
  ) {
    self.name = name
    self.ready = ready
    self.body = body
  }

  /// A job that runs `round` every `interval` until shut down; a failed round is logged and the
  /// next one runs as planned.
  public static func repeating(
    _ name: String, every interval: Duration, after ready: StartGate? = nil, logger: Logger,
    _ round: @escaping @Sendable () async throws -> Void
  ) -> BackgroundJob {
    BackgroundJob(name: name, after: ready) {
      while !Task.isCancelled {
        do {
          try await round()
        } catch {
          logger.error("\(name) failed", metadata: ["error": "\(error)"])
        }
        try? await Task.sleep(for: interval)
      }
    }
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      if let ready { await ready.wait() }
      guard !Task.isCancelled else { return }
      await body()
    }
  }
}

/// Opens once, for everyone waiting: the jobs of a network wait until its platforms are
/// registered with each other.
public actor StartGate {
  private var isOpen = false
  private var waiting: [CheckedContinuation<Void, Never>] = []

  public init() {}

  public func open() {
    isOpen = true
    for continuation in waiting { continuation.resume() }
    waiting = []
  }

  /// Returns once the gate is open, or at once when the waiting task is cancelled.
  func wait() async {
    if isOpen { return }
    await withTaskCancellationHandler {
      await withCheckedContinuation { waiting.append($0) }
    } onCancel: {
      Task { await self.open() }
    }
  }
}
