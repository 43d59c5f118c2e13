import Foundation
import SQLKit
import ZhaocaiCrypto
import ZhaocaiDomain

/// 一地注册、全网通用: the registry the hub serves every platform, as it travels — the parties,
/// the certificate authorities it recognises, and the signed snapshot of both with the bans.
public enum PartyRegistry {
  /// A recognised certificate authority and its latest revocation list (base64 DER).
  public struct Authority: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// PEM.
    public var certificate: String
    public var revocationList: String?

    public init(id: String, name: String, certificate: String, revocationList: String? = nil) {
      self.id = id
      self.name = name
      self.certificate = certificate
      self.revocationList = revocationList
    }
  }

  /// An organisation registered at the hub, with the certificate it registered with.
  public struct Party: Codable, Sendable, Equatable {
    public var creditCode: String
    public var name: String
    /// PEM.
    public var certificate: String
    public var authority: String
    public var registeredAt: Int64
    /// What the party declared of its ties when it registered (条例34).
    public var ties: PartyTies

    public init(
      creditCode: String, name: String, certificate: String, authority: String,
      registeredAt: Int64, ties: PartyTies = PartyTies()
    ) {
      self.creditCode = creditCode
      self.name = name
      self.certificate = certificate
      self.authority = authority
      self.registeredAt = registeredAt
      self.ties = ties
    }

    // Snapshots signed before parties declared ties have none.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      self.init(
        creditCode: try container.decode(String.self, forKey: .creditCode),
        name: try container.decode(String.self, forKey: .name),
        certificate: try container.decode(String.self, forKey: .certificate),
        authority: try container.decode(String.self, forKey: .authority),
        registeredAt: try container.decode(Int64.self, forKey: .registeredAt),
        ties: try container.decodeIfPresent(PartyTies.self, forKey: .ties) ?? PartyTies())
    }
  }

  /// What the hub serves every trading platform, signed as one message: the parties, the
  /// recognised authorities and the bans, as they stand.
  public struct Snapshot: Codable, Sendable, Equatable {
    public var parties: [Party]
    public var authorities: [Authority]
    public var bans: [Ban]
    /// The violation records still published, from which credit scores are derived.
    public var violations: [ViolationRecord]

    public init(
      parties: [Party], authorities: [Authority], bans: [Ban], violations: [ViolationRecord] = []
    ) {
      self.parties = parties
      self.authorities = authorities
      self.bans = bans
      self.violations = violations
    }
  }

  /// The trust store these authorities make.
  public static func trust(_ authorities: [Authority]) -> CertificateTrust {
    CertificateTrust(
      authorities.compactMap {
        .init(id: $0.id, pem: $0.certificate, revocationList: $0.revocationList)
      })
  }

  // MARK: Rows (the hub's registry and each platform's copy have the same columns)

  /// An authority from a row of `id, name, certificate, crl`.
  public static func authority(_ row: any SQLRow) throws -> Authority {
    Authority(
      id: try row.decode(column: "id", as: String.self),
      name: try row.decode(column: "name", as: String.self),
      certificate: try row.decode(column: "certificate", as: String.self),
      revocationList: try row.decode(column: "crl", as: String?.self))
  }

  /// A party from a row of `credit_code, name, certificate, authority, registered_at, ties`.
  public static func party(_ row: any SQLRow) throws -> Party {
    Party(
      creditCode: try row.decode(column: "credit_code", as: String.self),
      name: try row.decode(column: "name", as: String.self),
      certificate: try row.decode(column: "certificate", as: String.self),
      authority: try row.decode(column: "authority", as: String.self),
      registeredAt: try row.decode(column: "registered_at", as: Int64.self),
      ties: try JSONDecoder().decode(
        PartyTies.self, from: Data(try row.decode(column: "ties", as: String.self).utf8)))
  }

  /// The ties as stored: sorted-keys JSON.
  public static func tiesJSON(_ ties: PartyTies) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(ties), as: UTF8.self)
  }
}
