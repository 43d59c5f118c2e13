import Foundation
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// Accounts, sessions and each party's inbox.
extension TradingAPI {
  func registerAccount(_ input: Operations.registerAccount.Input) async throws
    -> Operations.registerAccount.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      guard let role = Role(rawValue: body.role.rawValue) else { throw Problem.badBody }
      if !role.selfRegistered { try Caller.current.require(.administrator) }
      if role.selfRegistered, platform.partiesFromHub {
        throw Problem(
          status: 409, code: "PARTY_REGISTRY_AT_HUB", article: nil,
          english:
            "parties register once at the public service hub and sign in here with their certificate",
          chinese: "市场主体请在公共服务平台注册一次，凭数字证书登录本平台（一地注册、全网通用）")
      }
      let account = Account(
        id: body.id, role: role, name: body.name, creditCode: body.creditCode,
        signingKey: body.signingKey, signatureAlgorithm: body.signatureAlgorithm?.rawValue,
        pastEmployers: body.pastEmployers ?? [], conflicts: body.conflicts ?? [],
        specialities: body.specialities ?? [])
      if role == .bidder { try Views.checkSigningKey(account) }
      let registered = try await platform.register(
        account, password: body.password, by: Caller.current.asOperator)
      return .created(.init(body: .json(Views.account(registered))))
    }
  }

  func getMe(_ input: Operations.getMe.Input) async throws -> Operations.getMe.Output {
    await answering { .ok(.init(body: .json(Views.account(try Caller.current.require())))) }
  }

  func signIn(_ input: Operations.signIn.Input) async throws -> Operations.signIn.Output {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let session = try await platform.signIn(account: body.account, password: body.password)
      return .created(.init(body: .json(Self.view(session))))
    }
  }

  func issueSignInChallenge(_ input: Operations.issueSignInChallenge.Input) async throws
    -> Operations.issueSignInChallenge.Output
  {
    await answering {
      let challenge = try await platform.issueChallenge()
      return .created(
        .init(
          body: .json(.init(nonce: challenge.nonce, expiresAt: Views.date(challenge.expiresAt)))))
    }
  }

  func signInWithCertificate(_ input: Operations.signInWithCertificate.Input) async throws
    -> Operations.signInWithCertificate.Output
  {
    await answering {
      guard case .json(let body) = input.body, let role = Role(rawValue: body.role.rawValue) else {
        throw Problem.badBody
      }
      let session = try await platform.signIn(
        certificate: body.certificate, role: role, nonce: body.nonce,
        signature: Array(body.signature.data), from: Caller.current.address)
      return .created(.init(body: .json(Self.view(session))))
    }
  }

  func signOut(_ input: Operations.signOut.Input) async throws -> Operations.signOut.Output {
    await answering {
      try Caller.current.require()
      if let token = Caller.current.token { try await platform.signOut(bearer: token) }
      return .noContent(.init())
    }
  }

  func getNotifications(_ input: Operations.getNotifications.Input) async throws
    -> Operations.getNotifications.Output
  {
    await answering {
      let account = try Caller.current.require()
      // Experts and key holders are reached by account, parties by credit code.
      let party =
        account.role == .expert || account.role == .keyHolder
        ? account.id : account.creditCode
      let inbox = try await platform.store.transaction {
        try await NotificationRepository.inbox(of: party, on: $0)
      }
      return .ok(
        .init(
          body: .json(
            inbox.map { .init(section: $0.section, message: $0.message, at: Views.date($0.at)) })))
    }
  }
}

extension TradingAPI {
  static func view(_ session: (token: String, expiresAt: Int64, account: Account))
    -> Components.Schemas.SessionView
  {
    .init(
      token: session.token, expiresAt: Views.date(session.expiresAt),
      account: Views.account(session.account))
  }
}

extension Operations.registerAccount.Output: ProblemAnswerable {}
extension Operations.getMe.Output: ProblemAnswerable {}
extension Operations.signIn.Output: ProblemAnswerable {}
extension Operations.signOut.Output: ProblemAnswerable {}
extension Operations.issueSignInChallenge.Output: ProblemAnswerable {}
extension Operations.signInWithCertificate.Output: ProblemAnswerable {}
extension Operations.getNotifications.Output: ProblemAnswerable {}
