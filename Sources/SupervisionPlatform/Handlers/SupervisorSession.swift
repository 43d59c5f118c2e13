import Crypto
import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOCore
import NIOPosix
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// Who sent the current request: the signed-in supervisor (nil when anonymous) and its address.
struct SupervisionCaller: Sendable {
  let supervisor: Supervisor?
  let address: String
  /// The bearer token of the supervisor's session (to sign out with).
  var sessionToken: String? = nil
  /// The platform's administrator, who adds departments and supervisors and sees no process.
  var isAdministrator = false

  @TaskLocal static var current = SupervisionCaller(supervisor: nil, address: "unknown")

  /// The administrator, or 401.
  func requireAdministrator() throws {
    guard isAdministrator else {
      throw SupervisionProblem(
        status: 401, code: "ADMINISTRATOR_REQUIRED",
        english: "this needs the platform administrator's token",
        chinese: "需要平台管理员令牌")
    }
  }

  /// The supervisor, or 401.
  func require() throws -> Supervisor {
    guard let supervisor else { throw SupervisionProblem.signInNeeded }
    return supervisor
  }
}

/// Resolves `Authorization: Bearer …` to the session's supervisor (an unknown or expired token is
/// refused, not treated as anonymous), and records every request a supervisor makes — views and
/// actions alike, answered or refused — with who, when and from where.
struct SupervisorMiddleware: RouterMiddleware {
  typealias Context = AddressedRequestContext
  let platform: SupervisionPlatform

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let address = context.remoteAddress?.ipAddress ?? "unknown"
    let anonymous = SupervisionCaller(supervisor: nil, address: address)
    // A page's session rides in its cookie; the API takes only a bearer token, so a cookie can
    // never authorise an API call a forged form might send (pages check their form token).
    let page = !request.uri.path.hasPrefix("/api/")
    let bearer = request.headers[.authorization]
    let cookie = page ? request.cookies[PageVisit.sessionCookie]?.value : nil
    // The administrator's pages carry its token in a cookie of their own (HttpOnly, Strict).
    if bearer == nil, page, let kept = request.cookies[ConsolePages.administratorCookie]?.value,
      platform.isAdministrator(kept)
    {
      let administrator = SupervisionCaller(
        supervisor: nil, address: address, isAdministrator: true)
      return try await SupervisionCaller.$current.withValue(administrator) {
        try await next(request, context)
      }
    }
    guard bearer != nil || cookie != nil else {
      return try await SupervisionCaller.$current.withValue(anonymous) {
        try await next(request, context)
      }
    }
    let token: String
    if let bearer {
      guard bearer.hasPrefix("Bearer ") else { throw SupervisionProblem.signInNeeded }
      token = String(bearer.dropFirst(7))
    } else {
      token = cookie ?? ""
    }
    let caller: SupervisionCaller
    if bearer != nil, platform.isAdministrator(token) {
      caller = SupervisionCaller(supervisor: nil, address: address, isAdministrator: true)
    } else if token.count <= 64, let supervisor = try await platform.supervisor(bearer: token) {
      caller = SupervisionCaller(supervisor: supervisor, address: address, sessionToken: token)
    } else if page {
      // An expired session's page is shown as to anyone, with the sign-in form.
      return try await SupervisionCaller.$current.withValue(anonymous) {
        try await next(request, context)
      }
    } else {
      throw SupervisionProblem.signInNeeded
    }
    // A refusal thrown further in is recorded too, with the status it will be answered with.
    let outcome: Result<Response, any Error>
    do {
      outcome = .success(
        try await SupervisionCaller.$current.withValue(caller) { try await next(request, context) })
    } catch {
      outcome = .failure(error)
    }
    let status =
      switch outcome {
      case .success(let response): response.status.code
      case .failure(let error as any HTTPResponseError): error.status.code
      case .failure(let error): SupervisionProblem(error).status
      }
    let access = SupervisorRepository.Access(
      supervisor: caller.supervisor?.id ?? "administrator",
      action: "\(request.method.rawValue) \(status)", target: request.uri.description,
      address: address, at: platform.now())
    do {
      try await platform.store.transaction { try await SupervisorRepository.record(access, on: $0) }
    } catch {
      // The action itself has committed: answer it, and say loudly that its record is missing.
      context.logger.error(
        "access record not written",
        metadata: ["supervisor": "\(access.supervisor)", "target": "\(access.target)"])
    }
    return try outcome.get()
  }
}

extension SupervisionPlatform {
  /// A new session for a correct password; one answer for a wrong name or a wrong password; an
  /// account with too many recent failures is refused without its password being checked
  /// (`SignInLock`).
  public func signIn(_ id: String, password: String) async throws -> (
    token: String, expiresAt: Int64, supervisor: Supervisor
  ) {
    let now = now()
    guard id.count <= 64 else { throw SupervisionProblem.wrongPassword }
    let address = SupervisionCaller.current.address
    try await SignInLock.enter(id, from: address, at: now, in: store)
    let found = try await store.transaction { try await SupervisorRepository.find(id, on: $0) }
    let matches = try await passwords.verify(password, against: found?.passwordHash)
    guard let found, matches else { throw SupervisionProblem.wrongPassword }
    let token = Secrets.random()
    let expiresAt = now + sessionSeconds
    try await store.transaction {
      try await SignInLock.passed(id, from: address, on: $0)
      try await SupervisorRepository.startSession(
        tokenHash: Self.tokenHash(token), supervisor: found.supervisor.id, expiresAt: expiresAt,
        on: $0)
    }
    return (token, expiresAt, found.supervisor)
  }

  /// Ends the session `token` opened; the token is refused from then on.
  func signOut(_ token: String) async throws {
    try await store.transaction {
      try await SupervisorRepository.endSession(tokenHash: Self.tokenHash(token), on: $0)
    }
  }

  func supervisor(bearer token: String) async throws -> Supervisor? {
    let now = now()
    return try await store.transaction {
      try await SupervisorRepository.session(tokenHash: Self.tokenHash(token), at: now, on: $0)
    }
  }

  /// Whether `token` is the administrator's (digests compared in constant time).
  func isAdministrator(_ token: String) -> Bool {
    administrator?.accepts(token) ?? false
  }

  static func tokenHash(_ token: String) -> String { Secrets.digest(token) }
}
