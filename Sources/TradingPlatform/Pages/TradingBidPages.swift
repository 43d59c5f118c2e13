import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiWeb

/// The bidder's workspace for one section (投标): the page gives the browser what the notice
/// says a bid is sealed to (holders, threshold, opening time) and the keys to check against;
/// the browser makes, seals and signs the bid (bid-workspace.js) and sends only the envelope,
/// which the same handler as the API's `PUT …/bids/{bidder}` receives.
extension TradingPages {
  func bidPage(_ id: String, _ visit: PageVisit) async throws -> Response {
    guard let account = Caller.current.account else { return try signInPage(visit) }
    guard account.role == .bidder, let signingKey = account.signingKey else {
      throw Problem.forbidden("only a bidder signed in with its certificate submits a bid")
    }
    let view = try PageCall.value(await api.getSection(.init(path: .init(sectionID: id)))) {
      try $0.ok.body.json
    }
    guard view.phase == "bidding", let schedule = view.schedule else {
      throw DomainError.wrongPhase(
        action: "submit a bid", phase: SectionPhase(rawValue: view.phase) ?? .draft)
    }
    let holders = schedule.keyHolders.map { ["name": $0.name, "sealingKey": $0.sealingKey] }
    let holdersJSON = String(
      decoding: try JSONSerialization.data(
        withJSONObject: holders, options: [.sortedKeys, .withoutEscapingSlashes]),
      as: UTF8.self)
    let own = view.bids.first { $0.bidder == account.creditCode }
    let values: [String: Any] = [
      "id": id, "name": view.terms.name, "sectionHref": "/sections/\(id)",
      "deadline": PageFormat.time(Int64(schedule.bidDeadline.timeIntervalSince1970)),
      "openingTime": Int64(schedule.bidDeadline.timeIntervalSince1970),
      "threshold": schedule.threshold,
      "holderNames": schedule.keyHolders.map(\.name).joined(separator: "、"),
      "holdersJSON": holdersJSON,
      "ceiling": view.terms.priceCeilingFen.map { Money(fen: $0).description } ?? "—",
      "ceilingFen": view.terms.priceCeilingFen ?? 0,
      "bidder": account.creditCode, "bidderName": account.name, "signingKey": signingKey,
      "logKey": platform.logSigner.verifier.verifierKey, "serverNow": platform.clock.now(),
      "hasBid": own != nil,
      "myBid": own.map {
        [
          "hash": $0.envelopeHash, "version": $0.version,
          "receivedAt": PageFormat.time(Int64($0.receivedAt.timeIntervalSince1970)),
        ] as [String: Any]
      } ?? false,
    ]
    return try render("bid", visit, title: "递交投标文件", english: "Submit a bid", values: values)
  }

  /// The envelope the page sealed, sent by its script with the page's form token in a header
  /// (a cross-site page cannot set it), answered as the API answers: the receipt, or the
  /// refusal as problem+json.
  func receiveBid(_ id: String, _ request: Request, _ visit: PageVisit) async -> Response {
    let caller = Caller.current
    guard PageForm.carriesToken(request.headers[Self.formTokenHeader], of: visit) else {
      return Self.problem(PageForm.expired)
    }
    guard let account = caller.account, account.role == .bidder else {
      return Self.problem(Problem.signInNeeded)
    }
    let body = HTTPBody(
      request.body.map { ArraySlice($0.readableBytesView) }, length: .unknown,
      iterationBehavior: .single)
    let output: Operations.submitBid.Output
    do {
      output = try await api.submitBid(
        .init(path: .init(sectionID: id, bidderID: account.creditCode), body: .binary(body)))
    } catch {
      return Self.problem(Problem(error))
    }
    if let refusal = PageCall.refusal(in: output) { return Self.problem(refusal) }
    guard case .created(let created) = output, case .json(let receipt) = created.body,
      let json = try? JSONEncoder().encode(receipt)
    else { return Self.problem(Problem.badBody) }
    return Response(
      status: .created, headers: [.contentType: "application/json", .cacheControl: "no-store"],
      body: .init(byteBuffer: ByteBuffer(bytes: json)))
  }

  static let formTokenHeader = HTTPField.Name("zhaocai-form")!

  static func problem(_ problem: ProblemDetails) -> Response {
    Response(
      status: .init(code: problem.status), headers: [.contentType: "application/problem+json"],
      body: .init(byteBuffer: ByteBuffer(bytes: problem.json)))
  }
}
