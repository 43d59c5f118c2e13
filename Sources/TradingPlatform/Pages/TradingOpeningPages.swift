import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// 开标大厅: the opening as it happens, for anyone — the countdown on the server's clock, the
/// key holders releasing their shares, each bid decrypted, the opening record (唱标) with every
/// bid's key so anyone can re-verify it, and the log's checkpoint. The page works as plain HTML;
/// its script keeps it live from `…/opening/events` (Server-Sent Events) without a reload.
extension TradingPages {
  func openingHall(_ parameters: Parameters, _ visit: PageVisit) async throws -> Response {
    let id = try Self.pathValue(parameters, "id")
    let state = try await hallState(id)
    var values = state.values(visit.language)
    values["id"] = id
    values["manages"] = state.manages
    values["eventsURL"] = "/sections/\(id)/opening/events"
    values["sectionHref"] = "/sections/\(id)"
    // A bidder whose bid is in the record confirms it or objects on the spot (条例44).
    let party = Caller.current.account.flatMap { $0.role == .bidder ? $0.creditCode : nil }
    values["bidderActions"] =
      state.phase == "opening"
      && party.map { bidder in
        state.record.contains { $0.bidder == bidder } && !state.confirmations.contains(bidder)
      } == true
    values["done"] = visit.query("done") ?? false
    return try render(
      "opening-hall", visit, title: "开标大厅", english: "Opening hall", values: values)
  }

  /// One snapshot of the hall, as the page and its live stream show it.
  struct HallState: Sendable, Equatable {
    let name: String
    let phase: String
    let now: Int64
    let deadline: Int64?
    /// Only after the deadline (法22: who bid is secret until then).
    let bidders: [String]?
    let bids: Int?
    let holders: [String]
    let released: [String]
    let threshold: Int
    let record: [Record]
    let confirmations: [String]
    /// Objections raised on the spot and their answers (条例44), oldest first.
    let objections: [Objection]
    let checkpoint: String
    let manages: Bool

    struct Objection: Sendable, Equatable {
      let id: String
      let raisedAt: String
      let statement: String
      let answeredAt: String
      let answer: String

      var json: JSONValue {
        .object([
          "id": .string(id), "raisedAt": .string(raisedAt), "statement": .string(statement),
          "answeredAt": .string(answeredAt), "answer": .string(answer),
        ])
      }
    }

    struct Record: Sendable, Equatable {
      let bidder: String
      let outcome: String
      let price: String
      let days: String
      let quality: String
      let warranty: String
      let manager: String
      let bidKey: String
      /// Where this viewer may take the sealed envelope to re-verify it (its own bid, or any
      /// for the section's manager), or "".
      let envelopeHref: String
    }

    func values(_ language: PageLanguage) -> [String: Any] {
      [
        "name": name, "phase": EventWords.phase(phase, in: language), "phaseCode": phase,
        "serverNow": now, "deadlineAt": deadline ?? 0,
        "deadline": deadline.map { PageFormat.time($0) } ?? "—",
        "serverTime": PageFormat.time(now), "closed": deadline.map { now >= $0 } ?? false,
        "bidders": bidders ?? [], "sealed": bidders == nil, "bids": bids ?? 0,
        "holders": holders.map { ["name": $0, "released": released.contains($0)] },
        "releasedCount": released.count, "threshold": threshold,
        "record": record.map {
          [
            "bidder": $0.bidder, "outcome": Self.outcomeWords($0.outcome, language),
            "price": $0.price, "days": $0.days,
            "quality": $0.quality, "warranty": $0.warranty, "manager": $0.manager,
            "bidKey": $0.bidKey, "opened": $0.outcome == "opened",
            "envelopeHref": $0.envelopeHref.isEmpty ? false : $0.envelopeHref,
          ] as [String: Any]
        },
        "hasRecord": !record.isEmpty, "confirmations": confirmations.joined(separator: "、"),
        "objections": objections.map {
          [
            "id": $0.id, "raisedAt": $0.raisedAt, "statement": $0.statement,
            "answered": !$0.answeredAt.isEmpty, "answeredAt": $0.answeredAt, "answer": $0.answer,
          ] as [String: Any]
        },
        "pendingObjections": objections.filter { $0.answeredAt.isEmpty }.map { ["id": $0.id] },
        "canAnswer": manages && phase == "opening"
          && objections.contains { $0.answeredAt.isEmpty },
        "checkpoint": checkpoint,
        "canOpen": manages && phase == "opening" && released.count >= threshold && record.isEmpty,
        "canClose": manages && phase == "opening" && !record.isEmpty,
      ]
    }

    /// A record line's outcome in words (办法31 for a bid that could not be decrypted).
    static func outcomeWords(_ code: String, _ language: PageLanguage) -> String {
      let zh = language == .zh
      switch code {
      case "opened": return zh ? "已开启" : "opened"
      case "revoked": return zh ? "无法解密，视为撤销（办法31）" : "not decryptable: revoked (办法31)"
      case "withdrawn": return zh ? "无法解密，视为撤回（办法31）" : "not decryptable: withdrawn (办法31)"
      default: return code
      }
    }

    /// The snapshot as the stream sends it.
    var json: String {
      let record = self.record.map {
        JSONValue.object([
          "bidder": .string($0.bidder), "outcome": .string(Self.outcomeWords($0.outcome, .zh)),
          "price": .string($0.price),
          "days": .string($0.days), "quality": .string($0.quality),
          "warranty": .string($0.warranty), "manager": .string($0.manager),
          "bidKey": .string($0.bidKey), "envelopeHref": .string($0.envelopeHref),
        ])
      }
      return JSONText.string(
        .object([
          "phase": .string(phase), "phaseName": .string(EventWords.phase(phase, in: .zh)),
          "now": .integer(now), "serverTime": .string(PageFormat.time(now)),
          "deadline": deadline.map(JSONValue.integer) ?? .null,
          "bids": bids.map { .integer(Int64($0)) } ?? .null,
          "bidders": bidders.map { JSONValue($0) } ?? .null, "released": JSONValue(released),
          "threshold": .integer(Int64(threshold)), "record": .array(record),
          "confirmations": JSONValue(confirmations), "checkpoint": .string(checkpoint),
          "objections": .array(objections.map(\.json)),
        ]))
    }
  }

  /// A sealed envelope, for re-verifying it with its published key, through the API's handler
  /// (its own bidder, the section's manager, its key holders, after the deadline).
  func envelopeDownload(_ id: String, _ bidder: String) async throws -> Response {
    let output = try await api.getEnvelope(.init(path: .init(sectionID: id, bidderID: bidder)))
    if let refusal = PageCall.refusal(in: output) { throw refusal }
    guard case .ok(let ok) = output, case .binary(let body) = ok.body else { throw Problem.badBody }
    return Self.attachment(body, plainName: "\(bidder).sealed")
  }

  /// The hall as the current caller may see it, read through the API's handlers.
  func hallState(_ id: String) async throws -> HallState {
    let view = try PageCall.value(await api.getSection(.init(path: .init(sectionID: id)))) {
      try $0.ok.body.json
    }
    let now = platform.clock.now()
    let deadline = view.schedule.map { Int64($0.bidDeadline.timeIntervalSince1970) }
    let after = deadline.map { now >= $0 } ?? false
    let stored = try await platform.store.read { try await SectionRepository.load(id, on: $0) }
    let section = stored?.section
    var record: [HallState.Record] = []
    let viewer = Caller.current.account
    let manages = section.map { Caller.current.manages($0) } ?? false
    if let section, !section.openingResults.isEmpty {
      record = try PageCall.value(await api.getOpeningRecord(.init(path: .init(sectionID: id)))) {
        try $0.ok.body.json
      }.map {
        HallState.Record(
          bidder: $0.bidder, outcome: $0.outcome.rawValue,
          price: $0.priceFen.map { PageFormat.money(fen: $0) } ?? "—",
          days: $0.durationDays.map(String.init) ?? "—", quality: $0.quality ?? "—",
          warranty: $0.warrantyMonths.map(String.init) ?? "—",
          manager: $0.projectManagerID ?? "—", bidKey: $0.bidKey ?? "",
          envelopeHref: $0.bidKey != nil
            && (manages || (viewer?.role == .bidder && viewer?.creditCode == $0.bidder))
            ? "/sections/\(id)/envelopes/\($0.bidder)" : "")
      }
    }
    var objections: [HallState.Objection] = []
    if after {
      objections = try PageCall.value(
        await api.listOpeningObjections(.init(path: .init(sectionID: id)))
      ) { try $0.ok.body.json }.map {
        HallState.Objection(
          id: $0.id, raisedAt: PageFormat.time(Views.seconds($0.raisedAt)),
          statement: $0.statement ?? "",
          answeredAt: $0.answeredAt.map {
            PageFormat.time(Views.seconds($0))
          } ?? "", answer: $0.answer ?? "")
      }
    }
    let checkpoint = try await api.getCheckpoint(.init()).ok.body.plainText
    let note = try await String(collecting: checkpoint, upTo: 4_096)
    return HallState(
      name: view.terms.name, phase: view.phase, now: now, deadline: deadline,
      bidders: after ? section.map { $0.bids.keys.sorted() } : nil,
      bids: after ? section?.bids.count : nil,
      holders: view.schedule?.keyHolders.map(\.name) ?? [],
      released: view.releasedHolders ?? [], threshold: view.schedule?.threshold ?? 0,
      record: record, confirmations: view.openingConfirmations ?? [], objections: objections,
      checkpoint: note,
      manages: section.map { Caller.current.manages($0) } ?? false)
  }

  /// The hall's live stream: a snapshot when it changes (checked each second, the server's time
  /// every ten), for at most ten minutes — the browser's EventSource then connects again.
  func openingEvents(_ request: Request, _ context: AddressedRequestContext) async -> Response {
    guard let id = context.parameters.get("id"), (1...64).contains(id.count) else {
      return Response(status: .notFound)
    }
    let caller = Caller.current
    let pages = self
    do {
      _ = try await pages.hallState(id)
    } catch {
      return Response(status: .init(code: Problem(error).status))
    }
    return Response(
      status: .ok,
      headers: [
        .contentType: "text/event-stream", .cacheControl: "no-store",
        HTTPField.Name("X-Accel-Buffering")!: "no",
      ],
      body: ResponseBody { writer in
        try await Caller.$current.withValue(caller) {
          var last: HallState? = nil
          for tick in 0..<600 {
            let state = try await pages.hallState(id)
            let changed =
              last.map {
                $0.phase != state.phase || $0.released != state.released
                  || $0.record != state.record || $0.bids != state.bids
                  || $0.confirmations != state.confirmations
                  || $0.objections != state.objections
              } ?? true
            if changed || tick % 10 == 0 {
              try await writer.write(ByteBuffer(string: "data: \(state.json)\n\n"))
              last = state
            }
            try await Task.sleep(for: .seconds(1))
          }
        }
        try await writer.finish(nil)
      })
  }
}
