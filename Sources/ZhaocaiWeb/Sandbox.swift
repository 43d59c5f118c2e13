import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A sandbox (沙箱) of platforms that share one clock an administrator moves forward over HTTP, so
/// the law's time limits can be exercised from outside — for training (在线培训) and conformance
/// testing. Only `serve --demo` makes one: a production configuration has no way to, and every
/// answer of a sandboxed platform says it is one (`zhaocai-sandbox: 1`).
public final class Sandbox: Sendable {
  /// The clock every platform of the sandbox reads, moved forward only here.
  let clock: SandboxClock
  /// The sandbox administrator's token.
  let token: AdministratorToken?
  /// What runs after the clock moves (the schedulers, the relays), so the answer shows its effect.
  private let afterAdvance = Mutex<(@Sendable () async -> Void)?>(nil)

  /// The header that marks a sandbox's answers; a valid field name by construction (RFC 9110
  /// tchar), so the initialiser cannot fail.
  public static let header = HTTPField.Name("zhaocai-sandbox")!

  /// The most one request moves the clock: a year and a month, enough for any limit of the law.
  public static let maxAdvanceSeconds: Int64 = 400 * 86_400

  public init(token: String, clock: SandboxClock) {
    self.token = AdministratorToken(token)
    self.clock = clock
  }

  /// Sets what runs after each advance, before it is answered.
  public func whenAdvanced(_ work: @escaping @Sendable () async -> Void) {
    afterAdvance.withLock { $0 = work }
  }

  /// Marks every answer as the sandbox's: added before any other middleware, so refusals too.
  public func mark<Context: RequestContext>(_ router: Router<Context>) {
    router.add(middleware: SandboxMark())
  }

  /// Serves `GET`/`POST /api/v1/sandbox/clock`: added after the problem middleware (its refusals
  /// are problem+json) and before a platform's sign-in middleware (the token is not a session).
  public func serve<Context: RequestContext>(on router: Router<Context>) {
    router.get("/api/v1/sandbox/clock") { _, _ in self.state() }
    router.post("/api/v1/sandbox/clock") { request, context in
      guard let header = request.headers[.authorization],
        self.token?.accepts(authorization: header) == true
      else {
        throw ProblemDetails(
          status: 401, code: "AUTH_REQUIRED",
          english: "moving the sandbox clock needs the sandbox administrator's token",
          chinese: "调整沙箱时钟需要沙箱管理员令牌")
      }
      var request = request
      let body = try await request.collectBody(upTo: 4096)
      guard let asked = try? JSONDecoder().decode(Advance.self, from: Data(buffer: body)),
        (1...Self.maxAdvanceSeconds).contains(asked.advanceSeconds)
      else {
        throw ProblemDetails(
          status: 422, code: "INVALID_INPUT",
          english:
            "advanceSeconds moves the clock forward, by 1 to \(Self.maxAdvanceSeconds) seconds; it never goes back",
          chinese: "advanceSeconds 为向前调整的秒数（1至\(Self.maxAdvanceSeconds)），时钟不能倒退")
      }
      self.clock.advance(seconds: asked.advanceSeconds)
      if let work = self.afterAdvance.withLock({ $0 }) { await work() }
      return self.state()
    }
  }

  private func state() -> Response {
    let now = clock.now()
    let iso = Date(timeIntervalSince1970: TimeInterval(now)).formatted(.iso8601)
    let json = #"{"sandbox":true,"now":"\#(iso)","nowSeconds":\#(now)}"#
    return Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(string: json)))
  }
}

/// A request to move the sandbox clock forward.
private struct Advance: Decodable { let advanceSeconds: Int64 }

/// Adds `zhaocai-sandbox: 1` to every answer, refusals included.
struct SandboxMark<Context: RequestContext>: RouterMiddleware {
  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var response = try await next(request, context)
    response.headers[Sandbox.header] = "1"
    return response
  }
}
