import Crypto
import Foundation
import OpenAPIRuntime
import X509
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// CA mutual recognition (CA互认) and the party registry (一地注册、全网通用): the trust store and
/// the registry every trading platform copies.
extension HubAPI {
  /// Signed before the credit code and name, so no other signature of the key registers a party.
  static let registrationContext = "zhaocai-party-registration v1\n"

  func recogniseAuthority(_ input: Operations.recogniseAuthority.Input) async throws
    -> Operations.recogniseAuthority.Output
  {
    return await answering {
      guard HubCaller.isAdministrator else { throw HubProblem.signInNeeded }
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      let certificate = try CertificateTrust.certificate(body.certificate)
      let now = Date(timeIntervalSince1970: TimeInterval(hub.now()))
      guard certificate.notValidAfter > now,
        let constraints = try? certificate.extensions.basicConstraints,
        case .isCertificateAuthority = constraints
      else {
        throw HubProblem(
          status: 422, code: "AUTHORITY_INVALID",
          english: "the certificate is not a current CA certificate",
          chinese: "该证书不是有效期内的CA证书")
      }
      let authority = PartyRegistry.Authority(
        id: body.id, name: body.name, certificate: try CertificateAuthority.pem(certificate))
      try await hub.store.transaction {
        try await HubPartyRepository.recognise(authority, at: hub.now(), on: $0)
      }
      return .created(.init(body: .json(Self.view(authority))))
    }
  }

  func listAuthorities(_ input: Operations.listAuthorities.Input) async throws
    -> Operations.listAuthorities.Output
  {
    let authorities = try await hub.store.transaction {
      try await HubPartyRepository.authorities(on: $0)
    }
    return .ok(.init(body: .json(authorities.map(Self.view))))
  }

  func publishRevocationList(_ input: Operations.publishRevocationList.Input) async throws
    -> Operations.publishRevocationList.Output
  {
    return await answering {
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      let id = input.path.authorityID
      guard let der = Data(base64Encoded: body.revocationList),
        let list = try? RevocationList(derEncoded: Array(der))
      else {
        throw HubProblem(
          status: 422, code: "REVOCATION_LIST_UNREADABLE",
          english: "the revocation list is not a DER X.509 CRL in base64",
          chinese: "证书吊销列表无法读取")
      }
      let issuedAt = Int64(list.thisUpdate.timeIntervalSince1970)
      let now = hub.now()
      let updated = try await hub.store.transaction { database in
        guard
          let authority = try await HubPartyRepository.authorities(on: database).first(where: {
            $0.id == id
          })
        else {
          throw HubProblem(
            status: 404, code: "NOT_FOUND", english: "authority \(id) not found",
            chinese: "未找到该CA机构")
        }
        guard list.isSigned(by: try CertificateTrust.certificate(authority.certificate)) else {
          throw HubProblem(
            status: 422, code: "REVOCATION_LIST_NOT_SIGNED",
            english: "the revocation list is not signed by \(id)",
            chinese: "证书吊销列表不是该CA机构签发的")
        }
        if case let held?? = try await HubPartyRepository.revocationsIssuedAt(of: id, on: database),
          held >= issuedAt
        {
          throw HubProblem(
            status: 409, code: "REVOCATION_LIST_NOT_NEWER",
            english: "the hub holds a list of \(id) as new or newer",
            chinese: "公共服务平台已有同一CA机构更新的吊销列表")
        }
        try await HubPartyRepository.publishRevocations(
          of: id, list: body.revocationList, issuedAt: issuedAt, at: now, on: database)
        var updated = authority
        updated.revocationList = body.revocationList
        return updated
      }
      return .ok(.init(body: .json(Self.view(updated))))
    }
  }

  func registerParty(_ input: Operations.registerParty.Input) async throws
    -> Operations.registerParty.Output
  {
    return await answering {
      guard case .json(let body) = input.body else { throw HubProblem.badBody }
      let now = hub.now()
      let party = try await hub.store.transaction { database in
        let trust = PartyRegistry.trust(try await HubPartyRepository.authorities(on: database))
        let certified = try trust.check(
          try CertificateTrust.certificate(body.certificate),
          at: Date(timeIntervalSince1970: TimeInterval(now)))
        let code = try Account.checkedCreditCode(certified.creditCode)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
          throw DomainError.invalid("the party needs a name", chinese: "市场主体应当填写名称")
        }
        // The ties it declares (条例34) are signed with the rest: its person in charge (an ID
        // number, kept only as a digest) and the parties that control or manage it.
        let controllers = try Set(
          (body.controlledBy ?? []).map { code throws in try Account.checkedCreditCode(code) })
        guard controllers.count <= 20, !controllers.contains(code) else {
          throw DomainError.invalid(
            "a party names at most 20 controllers, not itself",
            chinese: "控股或管理关系单位不得超过20个，且不得填写本单位")
        }
        var text = Self.registrationContext + code + "\n" + name
        if body.representativeID != nil || body.controlledBy != nil {
          text +=
            "\n" + (body.representativeID ?? "") + "\n"
            + controllers.sorted().joined(separator: ",")
        }
        let representative = try body.representativeID.map { id -> String in
          guard id.count == 18, id.dropLast().allSatisfy(\.isNumber),
            id.last.map({ $0.isNumber || $0 == "X" }) == true
          else {
            throw DomainError.invalid(
              "the person in charge's ID number has 18 characters", chinese: "单位负责人身份证号码应为18位")
          }
          return SHA256.hash(data: Data(("zhaocai-representative v1\n" + id).utf8))
            .map { String(format: "%02x", $0) }.joined()
        }
        let signed = Array(text.utf8)
        guard let signature = Data(base64Encoded: body.signature),
          certified.key.isValidSignature(Array(signature), for: signed)
        else {
          throw HubProblem(
            status: 422, code: "REGISTRATION_NOT_SIGNED",
            english: "the registration is not signed with the certificate's key",
            chinese: "注册信息未经该证书密钥签名")
        }
        let party = PartyRegistry.Party(
          creditCode: code, name: name,
          certificate: try CertificateAuthority.pem(
            try CertificateTrust.certificate(body.certificate)),
          authority: certified.authority, registeredAt: now,
          ties: PartyTies(representative: representative, controllers: controllers.sorted()))
        try await HubPartyRepository.register(party, on: database)
        return party
      }
      return .created(.init(body: .json(Self.view(party))))
    }
  }

  func listParties(_ input: Operations.listParties.Input) async throws
    -> Operations.listParties.Output
  {
    let after = Paging.position(input.query.after)
    let limit = Paging.limit(input.query.limit, default: 1000, max: 1000)
    let parties = try await hub.store.transaction {
      try await HubPartyRepository.parties(after: after, limit: limit, on: $0)
    }
    return .ok(.init(body: .json(parties.map(Self.view))))
  }

  func getParty(_ input: Operations.getParty.Input) async throws -> Operations.getParty.Output {
    let code = input.path.creditCode
    guard
      let party = try await hub.store.transaction({
        try await HubPartyRepository.party(code.uppercased(), on: $0)
      })
    else {
      return .default(
        statusCode: 404,
        Self.problem(
          HubProblem(
            status: 404, code: "NOT_FOUND", english: "party \(code) is not registered",
            chinese: "该单位未注册")))
    }
    return .ok(.init(body: .json(Self.view(party))))
  }

  static func view(_ authority: PartyRegistry.Authority) -> Components.Schemas.AuthorityView {
    .init(
      id: authority.id, name: authority.name, certificate: authority.certificate,
      revocationList: authority.revocationList)
  }

  static func view(_ party: PartyRegistry.Party) -> Components.Schemas.PartyView {
    .init(
      creditCode: party.creditCode, name: party.name, certificate: party.certificate,
      authority: party.authority,
      registeredAt: Date(timeIntervalSince1970: TimeInterval(party.registeredAt)))
  }
}

/// Hub → every trading platform: the registry, trust store, bans and violation records, signed.
extension HubAPI {
  func getRegistrySnapshot(_ input: Operations.getRegistrySnapshot.Input) async throws
    -> Operations.getRegistrySnapshot.Output
  {
    let now = hub.now()
    let (snapshot, size) = try await hub.store.transaction { database in
      (
        PartyRegistry.Snapshot(
          parties: try await HubPartyRepository.parties(after: 0, limit: Int.max, on: database),
          authorities: try await HubPartyRepository.authorities(on: database),
          bans: try await HubCreditRepository.published(on: database),
          violations: try await HubCreditRepository.violations(at: now, on: database)),
        try await PersistentLog.size(on: database)
      )
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let signed = try SignedMessage.sign(
      ExchangeMessage(
        sender: ExchangeMessage.hub, recipient: ExchangeMessage.anyone, sequence: size + 1,
        kind: PartyRegistry.Snapshot.messageKind, sentAt: now,
        payload: String(decoding: try encoder.encode(snapshot), as: UTF8.self)),
      with: hub.logSigner.key)
    return .ok(.init(body: .json(.init(message: signed.message, signature: signed.signature))))
  }
}
