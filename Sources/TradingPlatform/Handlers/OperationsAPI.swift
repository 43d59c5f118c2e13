import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// What the platform's administrator watches (平台运行): the accounts it keeps, the work its own
/// jobs still owe (relaying, closing bidding, openings), and who did what lately — each logged
/// operation with its account, role and address, read from the log itself.
extension TradingAPI {
  func listAccounts(_ input: Operations.listAccounts.Input) async throws
    -> Operations.listAccounts.Output
  {
    await answering {
      try Caller.current.require(.administrator)
      guard let role = Role(rawValue: input.query.role.rawValue) else { throw Problem.badBody }
      let limit = min(max(input.query.limit ?? 100, 1), 200)
      let offset = min(max(input.query.offset ?? 0, 0), 1_000_000)
      let accounts = try await platform.store.read {
        try await AccountRepository.all(role, on: $0)
      }
      let page = accounts.dropFirst(offset).prefix(limit)
      return .ok(
        .init(
          body: .json(
            page.map {
              .init(
                id: $0.id, role: $0.role.rawValue, name: $0.name, creditCode: $0.creditCode,
                specialities: $0.specialities.isEmpty ? nil : $0.specialities)
            })))
    }
  }

  func getOperations(_ input: Operations.getOperations.Input) async throws
    -> Operations.getOperations.Output
  {
    await answering {
      try Caller.current.require(.administrator)
      let limit = UInt64(min(max(input.query.limit ?? 50, 1), 200))
      let now = platform.clock.now()
      let view = try await platform.store.read { database in
        let backlog = try await Outbox.backlog(on: database)
        let due = try await SectionRepository.countDueForClosing(at: now, on: database)
        let opening = try await SectionRepository.ids(inPhases: [.opening], on: database)
        let size = try await PersistentLog.size(on: database)
        var recent: [Components.Schemas.OperationsView.recentPayloadPayload] = []
        var index = size
        let decoder = JSONDecoder()
        while index > 0, UInt64(recent.count) < limit {
          index -= 1
          guard let bytes = try await PersistentLog.entry(index, on: database),
            let logged = try? decoder.decode(LoggedEvent.self, from: Data(bytes))
          else { continue }
          recent.append(
            .init(
              index: Int64(index), at: Views.date(logged.at), section: logged.section,
              event: Self.kind(of: logged.event), account: logged.by?.account,
              role: logged.by?.role, address: logged.by?.address))
        }
        return Components.Schemas.OperationsView(
          outboxPending: backlog.count, outboxOldestAt: backlog.oldest.map(Views.date),
          sectionsToClose: due, openingsWaiting: opening.count, logSize: Int64(size),
          recent: recent)
      }
      return .ok(.init(body: .json(view)))
    }
  }

  /// The event's case name, as the record names its kind (`bidReceived`, `awarded` …).
  static func kind(of event: SectionEvent) -> String {
    String(String(describing: event).prefix { $0 != "(" })
  }
}

extension Operations.listAccounts.Output: ProblemAnswerable {}
extension Operations.getOperations.Output: ProblemAnswerable {}
