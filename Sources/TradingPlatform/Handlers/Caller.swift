import Hummingbird
import NIOCore
import ZhaocaiDomain
import ZhaocaiWeb

/// Who sent the current request: the signed-in account (nil when anonymous) and its address.
/// `AuthMiddleware` sets it for the duration of each request.
struct Caller: Sendable {
  let account: Account?
  let address: String
  /// The bearer token, kept so the caller can sign out.
  var token: String? = nil
  /// The device its tool names (`Zhaocai-Device`), kept in the log with what it does.
  var device: String? = nil

  @TaskLocal static var current = Caller(account: nil, address: "unknown")

  /// As recorded in the log with each event the request causes.
  var asOperator: Operator {
    Operator(
      account: account?.id ?? "anonymous", role: account?.role.rawValue ?? "anonymous",
      address: address, device: device)
  }

  /// The account, if it has one of `roles`; otherwise 401 (anonymous) or 403.
  @discardableResult
  func require(_ roles: Role...) throws -> Account {
    guard let account else { throw Problem.signInNeeded }
    guard roles.isEmpty || roles.contains(account.role) else {
      throw Problem.forbidden(
        "this needs the role \(roles.map(\.rawValue).joined(separator: " or "))")
    }
    return account
  }

  /// A bidder acting for itself: the party in the path must be the caller's.
  func requireBidder(_ party: String) throws -> Account {
    let account = try require(.bidder)
    guard account.creditCode == party else {
      throw Problem.forbidden("you act for \(account.creditCode), not \(party)")
    }
    return account
  }

  /// The section's tenderer or its agency (or an administrator, where `administrator` is true).
  @discardableResult
  func requireManager(of section: Section, administrator: Bool = false) throws -> Account {
    let account = try require()
    let manages =
      (account.role == .tenderer && account.creditCode == section.terms.tenderer)
      || (account.role == .agency && account.creditCode == section.terms.agency)
      || (administrator && account.role == .administrator)
    guard manages else {
      throw Problem.forbidden(
        "only the tenderer or agency of \(section.terms.sectionID) may do this")
    }
    return account
  }

  /// Checks that the caller may act on `section` as `remit` says.
  @discardableResult
  func authorize(_ remit: Remit, on section: Section) throws -> Account {
    switch remit {
    case .manager: return try requireManager(of: section)
    case .managerOrPlatform: return try requireManager(of: section, administrator: true)
    case .bidder(let party): return try requireBidder(party)
    case .anyBidder: return try require(.bidder)
    case .committeeMember:
      let account = try require()
      guard section.evaluation?.members.contains(where: { $0.id == account.id }) ?? false else {
        throw Problem.forbidden("only members of the evaluation committee may do this")
      }
      return account
    case .keyHolder(let name):
      let account = try require(.keyHolder)
      guard account.id == name else {
        throw Problem.forbidden("you hold the key of \(account.id), not of \(name)")
      }
      return account
    }
  }

  /// Whether the caller runs the section (tenderer, agency) or the platform.
  func manages(_ section: Section) -> Bool {
    (try? requireManager(of: section, administrator: true)) != nil
  }
}

/// Who may take an action on a section.
enum Remit: Sendable {
  /// The section's tenderer or its agency.
  case manager
  /// The manager or a platform administrator.
  case managerOrPlatform
  /// That bidder, acting for itself.
  case bidder(String)
  case anyBidder
  case committeeMember
  /// The key holder of that name in the notice.
  case keyHolder(String)
}

/// Resolves `Authorization: Bearer …` to the session's account; a token that is unknown or
/// expired is refused rather than treated as anonymous, so a user learns they were signed out.
struct AuthMiddleware: RouterMiddleware {
  typealias Context = AddressedRequestContext
  let platform: TradingPlatform

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let address = RequestOrigin.address(
      peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[.xForwardedFor])
    let device = RequestOrigin.device(request.headers[.zhaocaiDevice])
    var caller = Caller(account: nil, address: address, device: device)
    // A page's session rides in its cookie, read only on page paths: the API takes a bearer
    // token alone, so a forged cross-site request cannot use the cookie (pages check their form
    // token). An unknown or expired cookie is a visitor without one.
    if request.headers[.authorization] == nil, !request.uri.path.hasPrefix("/api/"),
      let token = request.cookies[PageVisit.sessionCookie]?.value, token.count <= 64,
      let found = try await platform.account(bearer: token)
    {
      caller = Caller(account: found, address: address, token: token, device: device)
    } else if let header = request.headers[.authorization] {
      let token = String(header.dropFirst(7))
      guard header.hasPrefix("Bearer "), let found = try await platform.account(bearer: token)
      else {
        throw Problem.signInNeeded
      }
      caller = Caller(account: found, address: address, token: token, device: device)
    }
    return try await Caller.$current.withValue(caller) {
      try await next(request, context)
    }
  }
}
