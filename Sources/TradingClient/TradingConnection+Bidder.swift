import Foundation
import OpenAPIRuntime
import ZhaocaiCrypto
import ZhaocaiExchange

/// A bidder's steps (BidderClient) over the generated client.
extension TradingConnection {
  func signInChallenge() async throws -> String {
    let output = try await peerCall { try await client.issueSignInChallenge() }
    switch output {
    case .created(let created): return try created.body.json.nonce
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  func signIn(certificate: String, nonce: String, signature: [UInt8], role: String) async throws
    -> BidderClient.Session
  {
    guard
      let role = Operations.signInWithCertificate.Input.Body.jsonPayload.rolePayload(
        rawValue: role)
    else { throw PeerRefusal(status: 400, code: "ROLE", english: "no such role: \(role)") }
    let output = try await peerCall {
      try await client.signInWithCertificate(
        body: .json(
          .init(
            role: role, certificate: certificate, nonce: nonce,
            signature: Base64EncodedData(signature))))
    }
    switch output {
    case .created(let created):
      let view = try created.body.json
      return BidderClient.Session(
        token: view.token, expiresAt: view.expiresAt, account: view.account.id,
        name: view.account.name, creditCode: view.account.creditCode)
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  func notice(of section: String) async throws -> SectionNotice {
    let output = try await peerCall { try await client.getSection(path: .init(sectionID: section)) }
    let view: Components.Schemas.SectionView
    switch output {
    case .ok(let ok): view = try ok.body.json
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
    let holders = try (view.schedule?.keyHolders ?? []).map { holder in
      guard let raw = Data(base64Encoded: holder.sealingKey),
        let key = try? SealingPublicKey(
          suite: holder.suite == .sm ? .national : .standard, rawRepresentation: Array(raw))
      else {
        throw PeerRefusal(
          status: 200, code: "NOTICE_HOLDER_KEY",
          english: "the notice's key of holder \(holder.name) is not a sealing key",
          chinese: "招标公告中开标密钥持有人\(holder.name)的密钥无效")
      }
      return key
    }
    let own = view.bids.first
    return SectionNotice(
      sectionID: view.terms.sectionID, name: view.terms.name, phase: view.phase,
      openingTime: view.schedule.map { Int64($0.bidDeadline.timeIntervalSince1970) },
      holders: holders, threshold: view.schedule?.threshold ?? 0,
      myBid: own.map { ($0.envelopeHash, $0.receivedAt, $0.version) })
  }

  func submit(envelopeAt path: String, section: String, bidder: String) async throws -> Receipt {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw EnvelopeError.io("cannot read \(path)")
    }
    let size = try handle.seekToEnd()
    try handle.seek(toOffset: 0)
    let chunks = AsyncThrowingStream<ArraySlice<UInt8>, any Error> {
      let data = try handle.read(upToCount: 1 << 20) ?? Data()
      if data.isEmpty {
        try? handle.close()
        return nil
      }
      return ArraySlice(data)
    }
    let body = HTTPBody(chunks, length: .known(Int64(size)), iterationBehavior: .single)
    let output = try await peerCall {
      try await client.submitBid(
        path: .init(sectionID: section, bidderID: bidder), body: .binary(body))
    }
    switch output {
    case .created(let created):
      let view = try created.body.json
      var receipt = Receipt(
        checkpoint: view.checkpoint, index: UInt64(clamping: view.index),
        entry: Array(view.entry.data), proof: [])
      receipt.version = view.version
      receipt.proof = view.proof
      return receipt
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  func withdraw(section: String, bidder: String) async throws {
    let output = try await peerCall {
      try await client.withdrawBid(path: .init(sectionID: section, bidderID: bidder))
    }
    switch output {
    case .ok: return
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  func mySections() async throws -> [SectionNotice.Summary] {
    let output = try await peerCall {
      try await client.listSections(query: .init(mine: true, limit: 200))
    }
    switch output {
    case .ok(let ok):
      return try ok.body.json.map {
        SectionNotice.Summary(
          sectionID: $0.sectionID, name: $0.name, phase: $0.phase, bidDeadline: $0.bidDeadline,
          myBid: $0.myBid)
      }
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  func openingRecord(of section: String) async throws -> [SectionNotice.Outcome] {
    let output = try await peerCall {
      try await client.getOpeningRecord(path: .init(sectionID: section))
    }
    switch output {
    case .ok(let ok):
      return try ok.body.json.map {
        SectionNotice.Outcome(
          bidder: $0.bidder, outcome: $0.outcome.rawValue, priceFen: $0.priceFen,
          bidKey: $0.bidKey)
      }
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }

  func identity() async throws -> (platformID: String?, hub: String?, logKey: String) {
    let output = try await peerCall { try await client.getPlatform() }
    switch output {
    case .ok(let ok):
      let view = try ok.body.json
      return (view.platformID, view.hub, view.logVerifierKey)
    case .undocumented(let status, _): throw PeerRefusal(status: status)
    }
  }

  func signOut() async throws {
    let output = try await peerCall { try await client.signOut() }
    switch output {
    case .noContent: return
    case .default(let status, let problem): throw Self.refusal(status, problem)
    }
  }
}
