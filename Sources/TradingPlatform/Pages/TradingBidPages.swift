import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiWeb

/// The bidder's workspace for one section (投标): the page gives the browser what the notice
/// says a bid is sealed to (holders, threshold, opening time) and the keys to check against;
/// the browser makes, seals and signs the bid (bid-workspace.js) and sends only the envelope, in
/// resumable parts that the API's own upload handlers receive.
extension TradingPages {
  func bidPage(
    _ id: String, _ visit: PageVisit, errors: [(field: String, problem: ProblemDetails)] = [],
    status: HTTPResponse.Status = .ok
  ) async throws -> Response {
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
    let versions = try PageCall.value(
      await api.listDocuments(.init(path: .init(sectionID: id)))
    ) { try $0.ok.body.json }
    let (stored, events) = try await platform.store.read { database in
      (
        try await SectionRepository.load(id, on: database)?.section,
        try await SectionStore.loggedEvents(of: id, limit: 500, on: database)
      )
    }
    let me = account.creditCode
    let holders = schedule.keyHolders.map { ["name": $0.name, "sealingKey": $0.sealingKey] }
    let holdersJSON = String(
      decoding: try JSONSerialization.data(
        withJSONObject: holders, options: [.sortedKeys, .withoutEscapingSlashes]),
      as: UTF8.self)
    // Clarifications and amendments (澄清、修改, 法23): each is acknowledged before sealing, and
    // the numbers acknowledged go into the bid bundle's manifest.
    let amendments = events.compactMap { logged -> [String: Any]? in
      guard case .amended(let number, let at, let deadline, let movedFrom, _) = logged.event
      else { return nil }
      var amendment: [String: Any] = ["number": number, "at": PageFormat.time(at), "moved": false]
      if movedFrom != nil { amendment["moved"] = PageFormat.time(deadline) }
      return amendment
    }
    let own = view.bids.first { $0.bidder == me }
    let bond = stored?.bonds[me]
    var values = PageSite.errorValues(errors, visit.language)
    values["id"] = id
    values["name"] = view.terms.name
    values["sectionHref"] = "/sections/\(id)"
    values["deadline"] = PageFormat.time(Int64(schedule.bidDeadline.timeIntervalSince1970))
    values["openingTime"] = Int64(schedule.bidDeadline.timeIntervalSince1970)
    values["threshold"] = schedule.threshold
    values["holderNames"] = schedule.keyHolders.map(\.name).joined(separator: "、")
    values["holdersJSON"] = holdersJSON
    values["ceiling"] = view.terms.priceCeilingFen.map { Money(fen: $0).description } ?? "—"
    values["ceilingFen"] = view.terms.priceCeilingFen ?? 0
    values["bidder"] = me
    values["bidderName"] = account.name
    values["signingKey"] = signingKey
    values["logKey"] = platform.logSigner.verifier.verifierKey
    values["serverNow"] = platform.clock.now()
    values["hasBid"] = own != nil
    values["withdrawn"] = own == nil && visit.query("done") == "withdrawal"
    values["myBid"] =
      own.map {
        [
          "hash": $0.envelopeHash, "version": $0.version, "replaced": $0.version > 1,
          "receivedAt": PageFormat.time(Int64($0.receivedAt.timeIntervalSince1970)),
        ] as [String: Any]
      } ?? false
    values["documents"] = versions.map {
      [
        "version": $0.version, "name": $0.name, "size": PageFormat.bytes($0.size),
        "uploadedAt": PageFormat.time($0.uploadedAt),
        "href": "/sections/\(id)/documents/\($0.version)",
      ] as [String: Any]
    }
    values["hasDocuments"] = !versions.isEmpty
    values["downloaded"] = stored?.downloaders.contains(me) ?? false
    values["amendments"] = amendments
    values["hasAmendments"] = !amendments.isEmpty
    values["bondDue"] = stored.map { $0.terms.bidBond.description } ?? "—"
    values["bondPaid"] =
      bond.map {
        [
          "amount": $0.amount.description, "account": $0.payingAccount,
          "issuer": $0.guarantee?.issuer ?? false, "number": $0.guarantee?.number ?? "",
          "at": PageFormat.time($0.paidAt),
        ] as [String: Any]
      } ?? false
    values["guaranteeAccepted"] = stored?.terms.bondGuaranteeAccepted == true
    values["bondNeeded"] = bond == nil && (stored?.terms.bidBond.fen ?? 0) > 0
    values["objected"] = visit.query("done") == "documents-objection"
    values["bondDone"] = visit.query("done") == "bond"
    return try render(
      "bid", visit, title: "递交投标文件", english: "Submit a bid", values: values, status: status)
  }

  /// A version of the tender documents, downloaded by the signed-in party through the API's own
  /// handler, so a bidder's download is registered (法22 keeps who from the others).
  func documentsDownload(_ id: String, _ version: String) async throws -> Response {
    guard let number = Int(version), (1...1_000_000).contains(number) else {
      throw DomainError.notFound("version \(version)", chinese: "该版本招标文件")
    }
    let output = try await api.downloadDocuments(
      .init(path: .init(sectionID: id, version: number)))
    if let refusal = PageCall.refusal(in: output) { throw refusal }
    guard case .ok(let ok) = output, case .binary(let body) = ok.body else {
      throw Problem.badBody
    }
    let name = try PageCall.value(await api.listDocuments(.init(path: .init(sectionID: id)))) {
      try $0.ok.body.json
    }.first { $0.version == number }?.name
    return Self.attachment(body, plainName: "documents-v\(number)", name: name)
  }

  /// A file for the visitor to save (never shown in the page's origin), streamed from an API
  /// answer; `name`, which may be any text, goes percent-encoded beside `plainName` (RFC 6266).
  static func attachment(
    _ body: HTTPBody, plainName: String, name: String? = nil,
    type: String = "application/octet-stream"
  ) -> Response {
    var disposition = "attachment; filename=\"\(plainName)\""
    if let encoded = name?.addingPercentEncoding(withAllowedCharacters: Self.plainName) {
      disposition += "; filename*=UTF-8''\(encoded)"
    }
    return Response(
      status: .ok,
      headers: [.contentType: type, .cacheControl: "no-store", .contentDisposition: disposition],
      body: .init(asyncSequence: body.map { ByteBuffer(bytes: $0) }))
  }

  /// One step of the page's resumable upload (start, where it stands, a part, completion), sent
  /// by its script with the form token in a header and run by the API's own handler as the
  /// signed-in bidder; answered as the API answers.
  func uploadStep(
    _ request: Request, _ visit: PageVisit, bidderOnly: Bool = true,
    _ step:
      @Sendable (_ bidder: String) async throws -> (
        status: HTTPResponse.Status, json: Data?, refusal: ProblemDetails?
      )
  ) async -> Response {
    guard PageForm.carriesToken(request.headers[Self.formTokenHeader], of: visit) else {
      return Self.problem(PageForm.expired)
    }
    guard let account = Caller.current.account, account.role == .bidder || !bidderOnly else {
      return Self.problem(Problem.signInNeeded)
    }
    do {
      let answer = try await step(account.creditCode)
      if let refusal = answer.refusal { return Self.problem(refusal) }
      guard let json = answer.json else { return Self.problem(Problem.badBody) }
      return Response(
        status: answer.status,
        headers: [.contentType: "application/json", .cacheControl: "no-store"],
        body: .init(byteBuffer: ByteBuffer(bytes: json)))
    } catch {
      return Self.problem(Problem(error))
    }
  }

  /// The steps of the page's upload, by the API's operations.
  func uploadRoutes(on router: Router<AddressedRequestContext>) {
    let encoder = JSONEncoder()
    router.post("/sections/:id/bid/uploads") { request, context in
      let id = context.parameters.get("id") ?? ""
      return await uploadStep(request, PageVisit(request)) { bidder in
        let output = try await api.startBidUpload(
          .init(path: .init(sectionID: id, bidderID: bidder)))
        guard case .created(let created) = output, case .json(let upload) = created.body else {
          return (.ok, nil, PageCall.refusal(in: output))
        }
        return (.created, try encoder.encode(upload), nil)
      }
    }
    router.get("/sections/:id/bid/uploads/:upload") { request, context in
      let id = context.parameters.get("id") ?? ""
      let upload = context.parameters.get("upload") ?? ""
      return await uploadStep(request, PageVisit(request)) { bidder in
        let output = try await api.getBidUpload(
          .init(path: .init(sectionID: id, bidderID: bidder, uploadID: upload)))
        guard case .ok(let ok) = output, case .json(let view) = ok.body else {
          return (.ok, nil, PageCall.refusal(in: output))
        }
        return (.ok, try encoder.encode(view), nil)
      }
    }
    router.put("/sections/:id/bid/uploads/:upload/parts/:offset") { request, context in
      let id = context.parameters.get("id") ?? ""
      let upload = context.parameters.get("upload") ?? ""
      guard let offset = context.parameters.get("offset").flatMap({ Int64($0) }), offset >= 0
      else { return Self.problem(Problem.badBody) }
      let body = HTTPBody(
        request.body.map { ArraySlice($0.readableBytesView) }, length: .unknown,
        iterationBehavior: .single)
      return await uploadStep(request, PageVisit(request)) { bidder in
        let output = try await api.putBidUploadPart(
          .init(
            path: .init(sectionID: id, bidderID: bidder, uploadID: upload, offset: offset),
            body: .binary(body)))
        guard case .ok(let ok) = output, case .json(let view) = ok.body else {
          return (.ok, nil, PageCall.refusal(in: output))
        }
        return (.ok, try encoder.encode(view), nil)
      }
    }
    // A version of the tender documents, from the section page of its tenderer or agency (the
    // API's handler decides who may).
    router.put("/sections/:id/document-versions/:name") { request, context in
      let id = context.parameters.get("id") ?? ""
      let name = context.parameters.get("name")?.removingPercentEncoding ?? ""
      let body = HTTPBody(
        request.body.map { ArraySlice($0.readableBytesView) }, length: .unknown,
        iterationBehavior: .single)
      return await uploadStep(request, PageVisit(request), bidderOnly: false) { _ in
        let output = try await api.uploadDocuments(
          .init(path: .init(sectionID: id, name: name), body: .binary(body)))
        guard case .created(let created) = output, case .json(let version) = created.body else {
          return (.ok, nil, PageCall.refusal(in: output))
        }
        return (.created, try encoder.encode(version), nil)
      }
    }
    router.post("/sections/:id/bid/uploads/:upload/completion") { request, context in
      let id = context.parameters.get("id") ?? ""
      let upload = context.parameters.get("upload") ?? ""
      return await uploadStep(request, PageVisit(request)) { bidder in
        let output = try await api.completeBidUpload(
          .init(path: .init(sectionID: id, bidderID: bidder, uploadID: upload)))
        guard case .created(let created) = output, case .json(let receipt) = created.body else {
          return (.ok, nil, PageCall.refusal(in: output))
        }
        return (.created, try encoder.encode(receipt), nil)
      }
    }
  }

  private static let plainName = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")

  static let formTokenHeader = HTTPField.Name("zhaocai-form")!

  static func problem(_ problem: ProblemDetails) -> Response {
    Response(
      status: .init(code: problem.status), headers: [.contentType: "application/problem+json"],
      body: .init(byteBuffer: ByteBuffer(bytes: problem.json)))
  }
}
