import Foundation
import OpenAPIRuntime
import SQLKit
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// Tender documents and their download register, notices, and bid bonds.
extension TradingAPI {
  /// A new version of the documents, streamed to a content-addressed blob; during bidding it
  /// is an amendment (the deadline may move) and every party that downloaded is notified.
  func uploadDocuments(_ input: Operations.uploadDocuments.Input) async throws
    -> Operations.uploadDocuments.Output
  {
    var temporary: String?
    do {
      guard case .binary(let body) = input.body else { throw Problem.badBody }
      let sectionID = input.path.sectionID
      let caller = Caller.current
      try caller.authorize(.manager, on: try await load(sectionID))
      // The name reaches here from the API and from the section page's upload alike: a short
      // clean text without a path.
      let name = try TextRules.checked(
        input.path.name, field: "the documents' file name", chineseField: "文件名", maxLength: 200)
      guard !name.contains("/") else {
        throw DomainError.invalid(
          "a file name has no '/'", chinese: "文件名不得包含“/”")
      }
      let received = try await platform.blobs.receive(body)
      temporary = received.temporary
      let now = platform.clock.now()
      let blobs = platform.blobs
      let (version, notified) = try await platform.store.transaction { database in
        let number =
          try await DocumentRepository.versions(section: sectionID, on: database).count + 1
        let applied = try await SectionStore.apply(
          sectionID, at: now, by: caller.asOperator, on: database
        ) {
          try caller.authorize(.manager, on: $0)
          return try $0.issueDocuments(
            version: number, hash: "sha256:" + received.sha256Hex, at: now)
        }
        let version = try await DocumentRepository.add(
          section: sectionID, name: name, hash: "sha256:" + received.sha256Hex,
          size: received.size, at: now, on: database)
        let notified = try await notify(
          applied.transition, section: sectionID, at: now, on: database)
        try await blobs.record(received.temporary, as: received.sha256Hex, on: database)
        return (version, notified)
      }
      try platform.blobs.settle(received.temporary, as: received.sha256Hex)
      return .created(
        .init(body: .json(Views.document(version, notified: notified.count))))
    } catch {
      if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
      return Problem(error).answer()
    }
  }

  func listDocuments(_ input: Operations.listDocuments.Input) async throws
    -> Operations.listDocuments.Output
  {
    await answering {
      let sectionID = input.path.sectionID
      _ = try await load(sectionID)
      let versions = try await platform.store.transaction {
        try await DocumentRepository.versions(section: sectionID, on: $0)
      }
      return .ok(.init(body: .json(versions.map { Views.document($0, notified: nil) })))
    }
  }

  /// A bidder (or the section's manager) downloads a version; a bidder's download is
  /// registered and logged, and only possible during the sale period (条例16).
  func downloadDocuments(_ input: Operations.downloadDocuments.Input) async throws
    -> Operations.downloadDocuments.Output
  {
    await answering {
      let sectionID = input.path.sectionID
      let number = input.path.version
      let caller = Caller.current
      let account = try caller.require()
      let section = try await load(sectionID)
      if account.role == .bidder {
        let now = platform.clock.now()
        try await platform.store.transaction { database in
          _ = try await SectionStore.apply(sectionID, at: now, by: caller.asOperator, on: database)
          {
            try $0.download(party: account.creditCode, version: number, at: now)
          }
          try await DocumentRepository.registerDownload(
            section: sectionID,
            .init(
              version: number, party: account.creditCode, account: account.id,
              address: caller.address, at: now), on: database)
        }
      } else {
        try caller.authorize(.managerOrPlatform, on: section)
      }
      let versions = try await platform.store.transaction {
        try await DocumentRepository.versions(section: sectionID, on: $0)
      }
      guard let version = versions.first(where: { $0.version == number }) else {
        throw DomainError.notFound(
          "version \(number) of the documents", chinese: "第\(number)版招标文件")
      }
      let path = try await platform.blobs.path(
        of: String(version.hash.dropFirst("sha256:".count)))
      return .ok(
        .init(
          body: .binary(
            HTTPBody(
              FileChunks(path: path), length: .known(version.size), iterationBehavior: .single))))
    }
  }

  func getDownloadRegister(_ input: Operations.getDownloadRegister.Input) async throws
    -> Operations.getDownloadRegister.Output
  {
    await answering {
      let sectionID = input.path.sectionID
      let section = try await load(sectionID)
      // Who took the documents stays with the platform until the deadline (法22): a tenderer
      // that knew could tell bidders who their rivals are.
      let deadline = section.schedule?.bidDeadline ?? .max
      if platform.clock.now() < deadline {
        try Caller.current.require(.administrator)
      } else {
        try Caller.current.authorize(.managerOrPlatform, on: section)
      }
      let register = try await platform.store.transaction {
        try await DocumentRepository.downloads(section: sectionID, on: $0)
      }
      return .ok(
        .init(
          body: .json(
            register.map {
              .init(
                version: $0.version, party: $0.party, account: $0.account, address: $0.address,
                at: Views.date($0.at))
            })))
    }
  }

  func getNotices(_ input: Operations.getNotices.Input) async throws
    -> Operations.getNotices.Output
  {
    await answering {
      let sectionID = input.path.sectionID
      _ = try await load(sectionID)
      let notices = try await platform.store.transaction {
        try await NoticeRepository.notices(section: sectionID, on: $0)
      }
      return .ok(
        .init(
          body: .json(
            notices.map {
              .init(
                kind: $0.notice.kind.rawValue, title: $0.notice.title, body: $0.notice.body,
                publishedAt: Views.date($0.publishedAt), logIndex: Int64($0.logIndex))
            })))
    }
  }

  func payBond(_ input: Operations.payBond.Input) async throws -> Operations.payBond.Output {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let bidder = input.path.bidderID
      let amount = Money(fen: body.amountFen)
      let section: Components.Schemas.SectionView
      switch (body.payingAccount, body.guarantee) {
      case (let account?, nil):
        section = try await transition(input.path.sectionID, as: .bidder(bidder)) {
          try $0.payBond(bidder: bidder, amount: amount, payingAccount: account, at: $1)
        }
      case (nil, let lodged?):
        let guarantee = try BankGuarantee(issuer: lodged.issuer, number: lodged.number)
        section = try await transition(input.path.sectionID, as: .bidder(bidder)) {
          try $0.lodgeGuarantee(bidder: bidder, amount: amount, guarantee: guarantee, at: $1)
        }
      default:
        throw DomainError.invalid(
          "give either the paying account of a transfer or a bank guarantee",
          chinese: "请填写转账的缴款账户，或所提交的银行保函，二者选一")
      }
      return .created(.init(body: .json(section)))
    }
  }

  func refundBond(_ input: Operations.refundBond.Input) async throws
    -> Operations.refundBond.Output
  {
    await answering {
      let bidder = input.path.bidderID
      let section = try await transition(input.path.sectionID, as: .manager) {
        try $0.refundBond(bidder: bidder, at: $1)
      }
      return .ok(.init(body: .json(section)))
    }
  }

  /// Amends the documents without a new file; notifies the parties that downloaded them.
  func amend(_ sectionID: String) async throws -> (
    section: Components.Schemas.SectionView, notified: [String]
  ) {
    let caller = Caller.current
    let now = platform.clock.now()
    return try await platform.store.transaction { database in
      let applied = try await SectionStore.apply(
        sectionID, at: now, by: caller.asOperator, on: database
      ) {
        try caller.authorize(.manager, on: $0)
        return try $0.amend(at: now)
      }
      let notified = try await notify(applied.transition, section: sectionID, at: now, on: database)
      return (Views.section(applied.transition.section, for: caller), notified)
    }
  }

  /// Tells every party that downloaded the documents of the amendment in `transition`.
  private func notify(
    _ transition: Transition, section sectionID: String, at now: Int64, on database: any SQLDatabase
  ) async throws -> [String] {
    let parties = transition.section.partiesToNotify(of: transition)
    guard !parties.isEmpty else { return [] }
    let deadline = transition.section.schedule.map { Notice.legalTime($0.bidDeadline) } ?? ""
    for party in parties {
      try await NotificationRepository.send(
        to: party, section: sectionID,
        message: "招标文件已澄清或修改（第\(transition.section.amendmentCount)次），投标截止时间：\(deadline)",
        at: now, on: database)
    }
    return parties
  }
}

extension Operations.uploadDocuments.Output: ProblemAnswerable {}
extension Operations.listDocuments.Output: ProblemAnswerable {}
extension Operations.downloadDocuments.Output: ProblemAnswerable {}
extension Operations.getDownloadRegister.Output: ProblemAnswerable {}
extension Operations.getNotices.Output: ProblemAnswerable {}
extension Operations.payBond.Output: ProblemAnswerable {}
extension Operations.refundBond.Output: ProblemAnswerable {}
