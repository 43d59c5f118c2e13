import SQLKit
import ZhaocaiExchange
import ZhaocaiStore

/// Tender documents by version (content-addressed blobs) and the download register: who took
/// which version, when, from where.
enum DocumentRepository {
  /// One version of a section's tender documents.
  struct Version: Sendable, Equatable {
    let version: Int
    let name: String
    /// `sha256:` and the hex digest; the blob's name.
    let hash: String
    let size: Int64
    let uploadedAt: Int64
  }

  /// A line of the download register.
  struct Download: Sendable, Equatable {
    let version: Int
    let party: String
    let account: String
    let address: String
    let at: Int64
  }

  /// Records a new version, numbered after the last one.
  static func add(
    section: String, name: String, hash: String, size: Int64, at now: Int64,
    on database: any SQLDatabase
  ) async throws -> Version {
    let version = (try await versions(section: section, on: database).last?.version ?? 0) + 1
    try await database.raw(
      "INSERT INTO documents (section_id, version, name, hash, size, uploaded_at) VALUES (\(bind: section), \(bind: version), \(bind: name), \(bind: hash), \(bind: size), \(bind: now))"
    ).run()
    return Version(version: version, name: name, hash: hash, size: size, uploadedAt: now)
  }

  static func versions(section: String, on database: any SQLDatabase) async throws
    -> [Version]
  {
    try await database.raw(
      "SELECT version, name, hash, size, uploaded_at FROM documents WHERE section_id = \(bind: section) ORDER BY version"
    ).all().map {
      Version(
        version: try $0.decode(column: "version", as: Int.self),
        name: try $0.decode(column: "name", as: String.self),
        hash: try $0.decode(column: "hash", as: String.self),
        size: try $0.decode(column: "size", as: Int64.self),
        uploadedAt: try $0.decode(column: "uploaded_at", as: Int64.self))
    }
  }

  static func registerDownload(
    section: String, _ download: Download, on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO downloads (section_id, version, party, account_id, address, at) VALUES (\(bind: section), \(bind: download.version), \(bind: download.party), \(bind: download.account), \(bind: download.address), \(bind: download.at))"
    ).run()
  }

  static func downloads(section: String, on database: any SQLDatabase) async throws
    -> [Download]
  {
    try await database.raw(
      "SELECT version, party, account_id, address, at FROM downloads WHERE section_id = \(bind: section) ORDER BY at, party"
    ).all().map {
      Download(
        version: try $0.decode(column: "version", as: Int.self),
        party: try $0.decode(column: "party", as: String.self),
        account: try $0.decode(column: "account_id", as: String.self),
        address: try $0.decode(column: "address", as: String.self),
        at: try $0.decode(column: "at", as: Int64.self))
    }
  }
}

/// Messages the platform sends a party (an amendment to documents it downloaded, …).
enum NotificationRepository {
  /// One message to a party.
  struct Notification: Sendable, Equatable {
    let section: String
    let message: String
    let at: Int64
  }

  static func send(
    to party: String, section: String, message: String, at now: Int64,
    on database: any SQLDatabase
  ) async throws {
    try await database.raw(
      "INSERT INTO notifications (party, section_id, message, at) VALUES (\(bind: party), \(bind: section), \(bind: message), \(bind: now))"
    ).run()
  }

  static func inbox(of party: String, on database: any SQLDatabase) async throws
    -> [Notification]
  {
    try await database.raw(
      "SELECT section_id, message, at FROM notifications WHERE party = \(bind: party) ORDER BY seq"
    ).all().map {
      Notification(
        section: try $0.decode(column: "section_id", as: String.self),
        message: try $0.decode(column: "message", as: String.self),
        at: try $0.decode(column: "at", as: Int64.self))
    }
  }
}
