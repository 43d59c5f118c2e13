import Foundation
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// The supervision platform's departments and supervisors, their sessions (one sign-on for every
/// supervision function), and the record of every view and action (who, when, from where).
enum SupervisorRepository {
  static func add(_ department: Department, on database: any SQLDatabase) async throws {
    try await database.raw(
      "INSERT INTO sup_departments (id, name, industry, region) VALUES (\(bind: department.id), \(bind: department.name), \(bind: department.industry), \(bind: department.region))"
    ).run()
  }

  static func departments(on database: any SQLDatabase) async throws -> [Department] {
    try await database.raw("SELECT id, name, industry, region FROM sup_departments ORDER BY id")
      .all().map(department)
  }

  static func add(
    _ supervisor: Supervisor, passwordHash: String, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO sup_supervisors (id, department, name, password_hash) VALUES (\(bind: supervisor.id), \(bind: supervisor.department.id), \(bind: supervisor.name), \(bind: passwordHash))"
    ).run()
  }

  /// A supervisor and its password hash.
  static func find(_ id: String, on database: any SQLDatabase) async throws -> (
    supervisor: Supervisor, passwordHash: String
  )? {
    guard
      let row = try await database.raw(
        "SELECT s.id AS sid, s.name AS sname, s.password_hash, d.id, d.name, d.industry, d.region FROM sup_supervisors s JOIN sup_departments d ON d.id = s.department WHERE s.id = \(bind: id)"
      ).first()
    else { return nil }
    return (try supervisor(row), try row.decode(column: "password_hash", as: String.self))
  }

  static func startSession(
    tokenHash: String, supervisor: String, expiresAt: Int64, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO sup_sessions (token_hash, supervisor, expires_at) VALUES (\(bind: tokenHash), \(bind: supervisor), \(bind: expiresAt))"
    ).run()
  }

  /// Ends a session (signing out); its token is refused from then on.
  static func endSession(tokenHash: String, on database: any SQLDatabase) async throws {
    try await database.raw("DELETE FROM sup_sessions WHERE token_hash = \(bind: tokenHash)").run()
  }

  /// The supervisor a live session belongs to.
  static func session(tokenHash: String, at now: Int64, on database: any SQLDatabase)
    async throws -> Supervisor?
  {
    try await database.raw(
      "SELECT s.id AS sid, s.name AS sname, d.id, d.name, d.industry, d.region FROM sup_sessions x JOIN sup_supervisors s ON s.id = x.supervisor JOIN sup_departments d ON d.id = s.department WHERE x.token_hash = \(bind: tokenHash) AND x.expires_at > \(bind: now)"
    ).first().map(supervisor)
  }

  /// One entry of the access record.
  struct Access: Codable, Sendable, Equatable {
    let supervisor: String
    let action: String
    let target: String
    let address: String
    let at: Int64
  }

  static func record(_ access: Access, on database: any SQLDatabase) async throws {
    try await database.raw(
      "INSERT INTO sup_access_log (supervisor, action, target, address, at) VALUES (\(bind: access.supervisor), \(bind: access.action), \(bind: access.target), \(bind: access.address), \(bind: access.at))"
    ).run()
  }

  /// The access record of the given supervisors, newest first.
  static func accesses(by supervisors: [String], limit: Int, on database: any SQLDatabase)
    async throws -> [Access]
  {
    guard !supervisors.isEmpty else { return [] }
    return try await database.raw(
      "SELECT supervisor, action, target, address, at FROM sup_access_log WHERE supervisor IN (\(binds: supervisors)) ORDER BY seq DESC LIMIT \(bind: limit)"
    ).all().map {
      Access(
        supervisor: try $0.decode(column: "supervisor", as: String.self),
        action: try $0.decode(column: "action", as: String.self),
        target: try $0.decode(column: "target", as: String.self),
        address: try $0.decode(column: "address", as: String.self),
        at: try $0.decode(column: "at", as: Int64.self))
    }
  }

  /// Every supervisor, by department, then id.
  static func supervisors(on database: any SQLDatabase) async throws -> [Supervisor] {
    try await database.raw(
      "SELECT s.id AS sid, s.name AS sname, d.id, d.name, d.industry, d.region FROM sup_supervisors s JOIN sup_departments d ON d.id = s.department ORDER BY d.id, s.id"
    ).all().map(supervisor)
  }

  /// The supervisors of a department.
  static func members(of department: String, on database: any SQLDatabase) async throws
    -> [String]
  {
    try await database.raw(
      "SELECT id FROM sup_supervisors WHERE department = \(bind: department) ORDER BY id"
    ).all().map { try $0.decode(column: "id", as: String.self) }
  }

  private static func department(_ row: any SQLRow) throws -> Department {
    Department(
      id: try row.decode(column: "id", as: String.self),
      name: try row.decode(column: "name", as: String.self),
      industry: try row.decode(column: "industry", as: String.self),
      region: try row.decode(column: "region", as: String.self))
  }

  private static func supervisor(_ row: any SQLRow) throws -> Supervisor {
    Supervisor(
      id: try row.decode(column: "sid", as: String.self),
      name: try row.decode(column: "sname", as: String.self), department: try department(row))
  }
}
