import Foundation
import OpenAPIRuntime
import ZhaocaiDomain
import ZhaocaiStore
import ZhaocaiWeb

/// The platform's administration: its administrator adds departments (with their remit) and
/// their supervisors; the departments and their remits are public.
extension SupervisionAPI {
  func addDepartment(_ input: Operations.addDepartment.Input) async throws
    -> Operations.addDepartment.Output
  {
    await answering {
      try SupervisionCaller.current.requireAdministrator()
      guard case .json(let body) = input.body else { throw SupervisionProblem.badBody }
      let department = try Department(
        id: body.id, name: body.name, industry: body.industry, region: body.region
      ).validated()
      let existing = try await platform.store.transaction {
        try await SupervisorRepository.departments(on: $0)
      }
      guard !existing.contains(where: { $0.id == department.id }) else {
        throw SupervisionProblem(
          status: 409, code: "DEPARTMENT_TAKEN", english: "department \(department.id) exists",
          chinese: "该监督部门已存在")
      }
      try await platform.add(department)
      return .created(.init(body: .json(body)))
    }
  }

  func listDepartments(_ input: Operations.listDepartments.Input) async throws
    -> Operations.listDepartments.Output
  {
    let departments = try await platform.store.transaction {
      try await SupervisorRepository.departments(on: $0)
    }
    return .ok(
      .init(
        body: .json(
          departments.map {
            .init(id: $0.id, name: $0.name, industry: $0.industry, region: $0.region)
          })))
  }

  func addSupervisor(_ input: Operations.addSupervisor.Input) async throws
    -> Operations.addSupervisor.Output
  {
    await answering {
      try SupervisionCaller.current.requireAdministrator()
      guard case .json(let body) = input.body else { throw SupervisionProblem.badBody }
      let (department, taken) = try await platform.store.transaction {
        (
          try await SupervisorRepository.departments(on: $0).first { $0.id == body.department },
          try await SupervisorRepository.find(body.id, on: $0) != nil
        )
      }
      guard let department else {
        throw DomainError.notFound(
          "department \(body.department)", chinese: "行政监督部门\(body.department)")
      }
      guard !taken, !body.id.isEmpty, !body.name.isEmpty else {
        throw SupervisionProblem(
          status: 409, code: "SUPERVISOR_TAKEN",
          english: "the supervisor id \(body.id) is taken or empty", chinese: "监督人员账号已存在或为空")
      }
      let supervisor = Supervisor(id: body.id, name: body.name, department: department)
      try await platform.add(supervisor, password: body.password)
      return .created(.init(body: .json(Self.view(supervisor))))
    }
  }
}

extension SupervisionAPI {
  func listSupervisors(_ input: Operations.listSupervisors.Input) async throws
    -> Operations.listSupervisors.Output
  {
    await answering {
      try SupervisionCaller.current.requireAdministrator()
      let supervisors = try await platform.store.transaction {
        try await SupervisorRepository.supervisors(on: $0)
      }
      return .ok(.init(body: .json(supervisors.map(Self.view))))
    }
  }
}

extension Operations.listSupervisors.Output: ProblemAnswerable {}
extension Operations.addDepartment.Output: ProblemAnswerable {}
extension Operations.addSupervisor.Output: ProblemAnswerable {}
