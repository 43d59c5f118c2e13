import Foundation

/// What an account may do on the trading platform.
public enum Role: String, Codable, Sendable, CaseIterable {
  case tenderer
  case agency
  case bidder
  case expert
  case keyHolder
  case administrator

  /// Roles a party may take by registering itself; the others are created by an administrator
  /// (experts come from the pool, key holders are named by the platform).
  public var selfRegistered: Bool { self == .tenderer || self == .agency || self == .bidder }
}

/// Someone who signs in: a party's user (tenderer, agency, bidder), an expert, a key holder or
/// an administrator.
public struct Account: Codable, Sendable, Equatable {
  /// The sign-in name; for a key holder, the name the tender notice gives it.
  public var id: String
  public var role: Role
  public var name: String
  /// The party's unified social credit code; for an expert, the current employer's.
  public var creditCode: String
  /// A bidder's registered signature key (`zhaocai keys generate`'s public key, base64) and its
  /// algorithm; the platform accepts only envelopes this key signed.
  public var signingKey: String?
  public var signatureAlgorithm: String?
  /// The X.509 certificate (PEM) of a party that signed in with one: its key is `signingKey`,
  /// and it is checked again (expiry, revocation) whenever the party signs something.
  public var certificate: String?
  /// An expert's past employers and declared conflicts (credit codes), for recusal.
  public var pastEmployers: [String]
  public var conflicts: [String]
  public var specialities: [String]

  public init(
    id: String, role: Role, name: String, creditCode: String, signingKey: String? = nil,
    signatureAlgorithm: String? = nil, certificate: String? = nil, pastEmployers: [String] = [],
    conflicts: [String] = [], specialities: [String] = []
  ) {
    self.id = id
    self.role = role
    self.name = name
    self.creditCode = creditCode
    self.signingKey = signingKey
    self.signatureAlgorithm = signatureAlgorithm
    self.certificate = certificate
    self.pastEmployers = pastEmployers
    self.conflicts = conflicts
    self.specialities = specialities
  }

  /// Checks an account before it is registered: every credit code by its check character
  /// (GB 32100), a sign-in name, and a bidder's signature key.
  public func validated() throws(DomainError) -> Account {
    var account = self
    account.id = id.trimmingCharacters(in: .whitespaces)
    guard (3...64).contains(account.id.count), !account.id.contains("/") else {
      throw .invalid(
        "the account name needs 3 to 64 characters and no '/'",
        chinese: "登录账号应为3至64个字符，且不得含有“/”")
    }
    guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw .invalid("the account needs a name", chinese: "账号应注明名称")
    }
    account.creditCode = try Self.checkedCreditCode(creditCode)
    account.pastEmployers = try pastEmployers.map { code throws(DomainError) in
      try Self.checkedCreditCode(code)
    }
    account.conflicts = try conflicts.map { code throws(DomainError) in
      try Self.checkedCreditCode(code)
    }
    if role == .bidder, signingKey == nil || signatureAlgorithm == nil {
      throw .invalid(
        "a bidder registers the public key it signs its bids with",
        chinese: "投标人应登记其用于投标文件签名的公钥")
    }
    return account
  }

  /// As a committee member, for recusal.
  public var committeeMember: CommitteeMember {
    CommitteeMember(
      id: id, isExpert: role == .expert, employers: [creditCode] + pastEmployers,
      conflicts: conflicts)
  }

  /// The code in its canonical (upper-case) form, or the rule it breaks (GB 32100).
  public static func checkedCreditCode(_ code: String) throws(DomainError) -> String {
    do {
      return try PartyRules.checkCreditCode(code).value
    } catch {
      throw .rule(error)
    }
  }
}

/// Who did something, from where: recorded with every logged event (办法, platform roles).
public struct Operator: Codable, Sendable, Equatable {
  public var account: String
  public var role: String
  public var address: String
  /// The device the request came from, as the bidder's tool names it (`Zhaocai-Device`); nil
  /// where none was named. Compared across bids at the opening (条例40(2)).
  public var device: String?

  public init(account: String, role: String, address: String, device: String? = nil) {
    self.account = account
    self.role = role
    self.address = address
    self.device = device
  }

  /// The platform itself (its scheduler).
  public static let platform = Operator(account: "platform", role: "platform", address: "local")
}
