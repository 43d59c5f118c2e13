import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// 资格预审 over HTTP: applications, then the result, told to every applicant.
extension TradingAPI {
  func applyForPrequalification(_ input: Operations.applyForPrequalification.Input) async throws
    -> Operations.applyForPrequalification.Output
  {
    await answering {
      let party = input.path.bidderID
      let section = try await transition(input.path.sectionID, as: .bidder(party)) {
        try $0.applyForPrequalification(party: party, at: $1)
      }
      return .created(.init(body: .json(section)))
    }
  }

  func publishPrequalification(_ input: Operations.publishPrequalification.Input) async throws
    -> Operations.publishPrequalification.Output
  {
    await answering {
      guard case .json(let body) = input.body else { throw Problem.badBody }
      let caller = Caller.current
      let now = platform.clock.now()
      let sectionID = input.path.sectionID
      let view = try await platform.store.transaction { database in
        let applied = try await SectionStore.apply(
          sectionID, at: now, by: caller.asOperator, on: database
        ) {
          try caller.authorize(.manager, on: $0)
          return try $0.prequalify(body.passed, at: now)
        }
        let section = applied.transition.section
        for party in section.applicants.sorted() {
          let passed = section.schedule?.invited.contains(party) ?? false
          try await NotificationRepository.send(
            to: party, section: sectionID,
            message: passed
              ? "资格预审合格通知书：贵单位已通过\(section.terms.name)资格预审，可获取招标文件并投标"
              : "资格预审结果通知：贵单位未通过\(section.terms.name)资格预审",
            at: now, on: database)
        }
        return Views.section(section, for: caller)
      }
      return .ok(.init(body: .json(view)))
    }
  }
}

extension Operations.applyForPrequalification.Output: ProblemAnswerable {}
extension Operations.publishPrequalification.Output: ProblemAnswerable {}
