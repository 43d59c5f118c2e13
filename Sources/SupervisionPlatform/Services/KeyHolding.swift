import Foundation
import SQLKit
import TradingClient
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore
import ZhaocaiWeb

/// Where the supervision platform keeps what it needs as an opening key holder (DESIGN.md,
/// "Sealed bids"): the name notices give it, and per trading platform a key file
/// `<platform>.key` and the holder account's password `<platform>.password` (mode 600).
public struct KeyHolding: Sendable {
  public let name: String
  public let directory: String

  public init(name: String, directory: String) {
    self.name = name
    self.directory = directory
  }

  func client(for platform: TrackingRepository.Platform) throws -> KeyHolderClient {
    let base = directory + "/" + platform.id
    guard let key = FileManager.default.contents(atPath: base + ".key"),
      let password = FileManager.default.contents(atPath: base + ".password")
    else { throw SupervisionProblem.notAHolder(platform.id) }
    return KeyHolderClient(
      platform: platform.endpoint, name: name,
      keys: try PrivateKeyFile(text: String(decoding: key, as: UTF8.self)),
      password: String(decoding: password, as: UTF8.self).trimmingCharacters(in: .newlines))
  }
}

/// The supervision platform's share of every section in its remit: released only after the
/// opening time (办法28) — by a supervisor of the remit, or by the relay's loop once bidding has
/// closed — logged and published.
extension SupervisionPlatform {
  /// What was released.
  struct Release: Codable, Sendable {
    let platform: String
    let section: String
    let holder: String
    let shares: Int
    let at: Int64
  }

  /// Releases the share of one process, refusing before its opening time.
  func releaseShare(of process: TrackedProcess) async throws -> Release {
    guard let keyHolder else { throw SupervisionProblem.notAHolder(process.platform) }
    let now = now()
    guard let opening = process.bidDeadline else {
      throw DomainError.wrongPhase(action: "release a key share", phase: process.phase)
    }
    do {
      try OpeningRules.checkDecryptionAllowed(at: now, deadline: opening)
    } catch {
      throw DomainError.rule(error)
    }
    guard
      let peer = try await store.transaction({
        try await TrackingRepository.platform(process.platform, on: $0)
      })
    else { throw ExchangeError.unknownSender(process.platform) }
    let shares = try await keyHolder.client(for: peer).release(section: process.section)
    let release = Release(
      platform: process.platform, section: process.section, holder: keyHolder.name,
      shares: shares, at: now)
    try await store.transaction { database in
      // Released again by hand: the trading platform keeps the first shares, and so does the log.
      if try await TrackingRepository.recordRelease(
        platform: process.platform, section: process.section, at: now, on: database)
      {
        try await Self.log("share.released", release, at: now, on: database)
      }
    }
    return release
  }

  /// Releases the share of every process whose bidding has closed and whose share this
  /// platform has not released yet; returns what it released.
  @discardableResult
  public func releaseDueShares() async -> Int {
    guard keyHolder != nil else { return 0 }
    let due =
      (try? await store.transaction {
        try await TrackingRepository.awaitingRelease(on: $0)
      }) ?? []
    var released = 0
    for process in due where (try? await releaseShare(of: process)) != nil { released += 1 }
    return released
  }
}

extension Operations.releaseShare.Output: ProblemAnswerable {}
