import Crypto
import Foundation
import OpenAPIRuntime
import SQLKit
import ZhaocaiAnalytics
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// The handlers of openapi/supervision.yaml: sign-on, the legal basis, live tracking and alerts
/// here; complaints, orders and credit in their own files.
struct SupervisionAPI: APIProtocol {
  let platform: SupervisionPlatform

  func signIn(_ input: Operations.signIn.Input) async throws -> Operations.signIn.Output {
    await answering {
      guard case .json(let body) = input.body else { throw SupervisionProblem.badBody }
      let session = try await platform.signIn(body.account, password: body.password)
      return .created(
        .init(
          body: .json(
            .init(
              token: session.token, expiresAt: Self.date(session.expiresAt),
              supervisor: Self.view(session.supervisor)))))
    }
  }

  func signOut(_ input: Operations.signOut.Input) async throws -> Operations.signOut.Output {
    await answering {
      // Only a supervisor's bearer opened a session (the administrator's token is no session).
      guard let token = SupervisionCaller.current.sessionToken else {
        throw SupervisionProblem.signInNeeded
      }
      try await platform.signOut(token)
      return .noContent(.init())
    }
  }

  func getLegalBasis(_ input: Operations.getLegalBasis.Input) async throws
    -> Operations.getLegalBasis.Output
  {
    .ok(.init(body: .json(LegalBasis.document)))
  }

  // MARK: Live tracking

  func getSenderPosition(_ input: Operations.getSenderPosition.Input) async throws
    -> Operations.getSenderPosition.Output
  {
    await answering {
      let id = input.path.platformID
      let last = try await platform.store.transaction { database in
        guard try await TrackingRepository.platform(id, on: database) != nil else {
          throw ExchangeError.unknownSender(id)
        }
        return try await TrackingRepository.lastApplied(id, on: database)
      }
      return .ok(.init(body: .json(.init(platform: id, lastApplied: Int64(last)))))
    }
  }

  func receiveMessages(_ input: Operations.receiveMessages.Input) async throws
    -> Operations.receiveMessages.Output
  {
    await answering {
      guard case .json(let wires) = input.body else { throw SupervisionProblem.badBody }
      let outcomes = try await platform.receive(
        wires.map { SignedMessage(message: $0.message, signature: $0.signature) })
      return .ok(
        .init(
          body: .json(
            .init(
              results: outcomes.map {
                .init(
                  sequence: $0.sequence.map(Int64.init), status: .init(rawValue: $0.status)!,
                  code: $0.code,
                  acknowledgement: $0.acknowledgement.map {
                    .init(message: $0.message, signature: $0.signature)
                  })
              }))))
    }
  }

  func listProcesses(_ input: Operations.listProcesses.Input) async throws
    -> Operations.listProcesses.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let now = platform.now()
      let views = try await platform.store.transaction { database in
        var views: [Components.Schemas.ProcessView] = []
        for process in try await platform.processes(of: supervisor, on: database) {
          let alerts = try await platform.alerts(of: process, at: now, on: database)
          views.append(Self.view(process, alerts: alerts.count))
        }
        return views
      }
      return .ok(.init(body: .json(views)))
    }
  }

  func getProcess(_ input: Operations.getProcess.Input) async throws
    -> Operations.getProcess.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let now = platform.now()
      let detail = try await platform.store.transaction { database in
        let process = try await platform.process(
          input.path.platform, input.path.section, of: supervisor, on: database)
        let timeline = try await TrackingRepository.timeline(
          platform: process.platform, section: process.section, on: database)
        let alerts = try await platform.alerts(of: process, at: now, on: database)
        let orders = try await IssuedOrderRepository.orders(
          platform: process.platform, section: process.section, on: database)
        return Components.Schemas.ProcessDetail(
          process: Self.view(process, alerts: alerts.count),
          timeline: timeline.map { .init(at: Self.date($0.at), kind: $0.kind, detail: $0.payload) },
          alerts: alerts.map { Self.view($0, platform: process.platform) },
          orders: orders.map(Self.view))
      }
      return .ok(.init(body: .json(detail)))
    }
  }

  func getProcessScreens(_ input: Operations.getProcessScreens.Input) async throws
    -> Operations.getProcessScreens.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let process = try await platform.store.transaction { database in
        try await platform.process(
          input.path.platform, input.path.section, of: supervisor, on: database)
      }
      // Scored among the remit's processes, so its bidders' histories count.
      let streams = try await remitTimelines()
      let joint = try Self.joint(streams)
      // By its key: an event between the two reads changes the process's other fields.
      guard let timeline = streams.first(where: { Self.key($0.0) == Self.key(process) })?.1 else {
        throw DomainError.notFound("process", chinese: "该交易过程")
      }
      return .ok(
        .init(
          body: .json(
            try Self.screens(of: process, timeline: timeline, joint: joint[Self.key(process)]))))
    }
  }

  func listScreens(_ input: Operations.listScreens.Input) async throws
    -> Operations.listScreens.Output
  {
    await answering {
      let streams = try await remitTimelines()
      let joint = try Self.joint(streams)
      let screened = try streams.map {
        try Self.screens(of: $0.0, timeline: $0.1, joint: joint[Self.key($0.0)])
      }
      .filter { !$0.bids.isEmpty }
      .sorted { ($0.score ?? -1) > ($1.score ?? -1) }
      return .ok(.init(body: .json(screened)))
    }
  }

  /// The remit's processes screened together, by `key`.
  static func joint(_ streams: [(TrackedProcess, [(at: Int64, kind: String, payload: String)])])
    throws -> [String: TenderScreening.Result]
  {
    try ProcessScreening.joint(streams.map { (key($0.0), $0.1.map { ($0.kind, $0.payload) }) })
  }

  static func key(_ process: TrackedProcess) -> String { process.platform + "/" + process.section }

  /// Every process of the caller's remit with its tracked timeline.
  private func remitTimelines() async throws
    -> [(TrackedProcess, [(at: Int64, kind: String, payload: String)])]
  {
    let supervisor = try SupervisionCaller.current.require()
    return try await platform.store.transaction { database in
      var streams: [(TrackedProcess, [(at: Int64, kind: String, payload: String)])] = []
      for process in try await platform.processes(of: supervisor, on: database) {
        streams.append(
          (
            process,
            try await TrackingRepository.timeline(
              platform: process.platform, section: process.section, on: database)
          ))
      }
      return streams
    }
  }

  func getNetwork(_ input: Operations.getNetwork.Input) async throws
    -> Operations.getNetwork.Output
  {
    await answering {
      let tenders = try await remitTimelines().compactMap { process, timeline in
        RemitNetwork.tender(process, timeline: timeline.map { ($0.kind, $0.payload) })
      }
      let network = CoBiddingNetwork(tenders)
      func bidder(_ item: CoBiddingNetwork.Bidder) -> Components.Schemas.NetworkBidder {
        .init(bidder: item.bidder, tenders: item.tenders, tenderer: item.tenderer)
      }
      return .ok(
        .init(
          body: .json(
            .init(
              processes: tenders.count, bidders: network.bidders,
              edges: network.edges.map { .init(bidders: $0.bidders, tenders: $0.tenders) },
              groups: network.groups.map {
                .init(
                  bidders: $0.bidders, tenders: $0.tenders,
                  winners: .init(additionalProperties: $0.winners), rotates: $0.rotates)
              },
              coverBidders: network.coverBidders.map(bidder),
              loyalBidders: network.loyalBidders.map(bidder),
              svg: NetworkPicture.svg(network)))))
    }
  }

  /// The screens answer of `process` from its tracked `timeline`, scored with `joint`.
  static func screens(
    of process: TrackedProcess, timeline: [(at: Int64, kind: String, payload: String)],
    joint: TenderScreening.Result?
  ) throws -> Components.Schemas.ProcessScreens {
    let screening = try ProcessScreening(
      timeline: timeline.map { ($0.kind, $0.payload) }, joint: joint)
    return .init(
      platform: process.platform, section: process.section,
      bids: screening.bids.map { .init(bidder: $0.bidder, priceFen: $0.price.fen) },
      screens: screening.namedScreens.map { .init(name: $0.name, value: $0.value) },
      score: screening.score, flagged: screening.flagged,
      pattern: screening.pattern.map {
        .init(
          kind: .init(rawValue: $0.kind.rawValue) ?? .arithmetic,
          article: PricePattern.article, detail: $0.english, detailChinese: $0.chinese)
      },
      flagThreshold: screening.flagThreshold, model: screening.model,
      signs: screening.signs?.map {
        .init(
          sign: .init(rawValue: $0.sign.rawValue) ?? .samePreparer, code: $0.sign.rule.code,
          article: $0.sign.rule.article, bidders: $0.bidders,
          strength: .init(rawValue: $0.strength.rawValue) ?? .weak,
          evidence: $0.evidence.map { .init(field: $0.field, values: $0.values, files: $0.files) })
      })
  }

  func listAlerts(_ input: Operations.listAlerts.Input) async throws
    -> Operations.listAlerts.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let now = platform.now()
      let alerts = try await platform.store.transaction { database in
        var views: [Components.Schemas.AlertView] = []
        for process in try await platform.processes(of: supervisor, on: database) {
          views += try await platform.alerts(of: process, at: now, on: database).map {
            Self.view($0, platform: process.platform)
          }
        }
        return views
      }
      return .ok(.init(body: .json(alerts)))
    }
  }

  func listAccess(_ input: Operations.listAccess.Input) async throws
    -> Operations.listAccess.Output
  {
    await answering {
      let supervisor = try SupervisionCaller.current.require()
      let accesses = try await platform.store.transaction { database in
        try await SupervisorRepository.accesses(
          by: try await SupervisorRepository.members(of: supervisor.department.id, on: database),
          limit: 500, on: database)
      }
      return .ok(
        .init(
          body: .json(
            accesses.map {
              .init(
                supervisor: $0.supervisor, action: $0.action, target: $0.target,
                address: $0.address, at: Self.date($0.at))
            })))
    }
  }

  // MARK: Views

  static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

  static func view(_ supervisor: Supervisor) -> Components.Schemas.SupervisorView {
    .init(
      id: supervisor.id, name: supervisor.name, department: supervisor.department.id,
      departmentName: supervisor.department.name, industry: supervisor.department.industry,
      region: supervisor.department.region)
  }

  static func view(_ process: TrackedProcess, alerts: Int) -> Components.Schemas.ProcessView {
    .init(
      platform: process.platform, section: process.section, name: process.terms?.name ?? "",
      industry: process.terms?.industry ?? "", region: process.terms?.region ?? "",
      phase: process.phase.rawValue, bidDeadline: process.bidDeadline.map(date),
      suspendingOrder: process.suspendingOrder, alerts: alerts)
  }

  static func view(_ alert: Alert, platform: String) -> Components.Schemas.AlertView {
    let rule = Rules.all.first { $0.code == alert.code }
    return .init(
      platform: platform, section: alert.section, code: alert.code, article: alert.article,
      detail: alert.detail, detailChinese: rule?.chinese ?? alert.detail,
      raisedAt: date(alert.raisedAt))
  }

  static func view(_ issued: IssuedOrderRepository.Issued) -> Components.Schemas.OrderView {
    .init(
      id: issued.order.id, platform: issued.platform, section: issued.order.section,
      kind: issued.order.kind.rawValue, reason: issued.order.reason,
      legalGround: issued.order.legalGround, department: issued.order.department,
      issuedBy: issued.order.issuedBy, confirmedBy: issued.order.confirmedBy,
      issuedAt: date(issued.order.issuedAt),
      status: .init(rawValue: issued.status.rawValue) ?? .pending, answer: issued.answer)
  }
}

extension Operations.signIn.Output: ProblemAnswerable {}
extension Operations.signOut.Output: ProblemAnswerable {}
extension Operations.getSenderPosition.Output: ProblemAnswerable {}
extension Operations.receiveMessages.Output: ProblemAnswerable {}
extension Operations.listProcesses.Output: ProblemAnswerable {}
extension Operations.getProcess.Output: ProblemAnswerable {}
extension Operations.getProcessScreens.Output: ProblemAnswerable {}
extension Operations.listScreens.Output: ProblemAnswerable {}
extension Operations.getNetwork.Output: ProblemAnswerable {}
extension Operations.listAlerts.Output: ProblemAnswerable {}
extension Operations.listAccess.Output: ProblemAnswerable {}
