import Crypto
import Foundation
import SupervisionPlatform
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange

/// The people and organisations of the demo data (`serve --demo`, `demo`): one password for all
/// of them, printed, because this is demo data on loopback only.
enum DemoCast {
  static let password = "zhaocai-demo"

  static func code(_ first17: String) -> String { CreditCode.completing(first17)!.value }

  static let administrator = Account(
    id: "admin", role: .administrator, name: "示范交易平台运营方", creditCode: code("91350100ME0000001"))
  static let tenderer = Account(
    id: "tenderer", role: .tenderer, name: "福州市示范城建投资有限公司", creditCode: code("91350100MB0000001"))
  /// The tenderer of the second trading platform's tender.
  static let tendererXiamen = Account(
    id: "tenderer-xm", role: .tenderer, name: "厦门市示范交通建设有限公司", creditCode: code("91350200MB0000001")
  )
  static let bidderNames = [
    "福建示范建工集团有限公司", "海峡示范建设发展有限公司", "闽江示范路桥工程有限公司",
    "榕城示范市政工程有限公司", "东南示范土木工程有限公司", "武夷示范建筑安装有限公司",
  ]
  static let bidderCodes = (1...6).map { code("91350100MA000000\($0)") }
  static let holderNames = ["platform", "tenderer-holder", "supervisor"]

  /// Seven experts of the pool; the seventh used to work for the first bidder (recused).
  static let experts: [Account] = (1...7).map { i in
    Account(
      id: "expert\(i)", role: .expert, name: "评标专家\(i)", creditCode: code("12350100MD000000\(i)"),
      pastEmployers: i == 7 ? [bidderCodes[0]] : [], specialities: ["房屋建筑"])
  }

  /// The supervisory departments of the supervision platform, each with one supervisor
  /// (`<department>-1`): Fujian's 住建 sees both cities' sections, each city its own.
  static let departments = [
    Department(id: "fj-zj", name: "福建省住房和城乡建设厅", industry: "住建", region: "350000"),
    Department(id: "fz-zj", name: "福州市城乡建设局", industry: "住建", region: "350100"),
    Department(id: "xm-zj", name: "厦门市建设局", industry: "住建", region: "350200"),
    Department(id: "fj-jt", name: "福建省交通运输厅", industry: "交通", region: "350000"),
  ]

  /// Adds the departments and their supervisors to the supervision platform.
  static func addSupervisors(to supervision: SupervisionPlatform) async throws {
    for department in departments {
      try await supervision.add(department)
      try await supervision.add(
        Supervisor(id: "\(department.id)-1", name: "\(department.name)监督员", department: department),
        password: password)
    }
  }

  static let holders: [Account] = holderNames.map {
    Account(id: $0, role: .keyHolder, name: "开标密钥持有人 \($0)", creditCode: tenderer.creditCode)
  }

  /// Two certificate authorities the hub recognises (CA互认): bidders 1–3 hold certificates of
  /// the first, the others of the second.
  static func authorities(at now: Int64) throws -> [(id: String, authority: CertificateAuthority)] {
    let from = Date(timeIntervalSince1970: TimeInterval(now - 365 * 86_400))
    let until = Date(timeIntervalSince1970: TimeInterval(now + 5 * 365 * 86_400))
    return [
      (
        "demo-ca-fj",
        try CertificateAuthority(
          name: "福建示范数字证书认证中心", key: .init(P256.Signing.PrivateKey()), validFrom: from,
          validUntil: until)
      ),
      (
        "demo-ca-hx",
        try CertificateAuthority(
          name: "海峡示范电子认证服务中心", key: .init(Curve25519.Signing.PrivateKey()), validFrom: from,
          validUntil: until)
      ),
    ]
  }

  /// A party's certificate for its key, valid for two years from a day before `now`.
  static func certificate(
    for party: Account, key: SigningKey, by authority: CertificateAuthority, at now: Int64
  ) throws -> String {
    try CertificateAuthority.pem(
      try authority.issue(
        creditCode: party.creditCode, organization: party.name,
        publicKey: key.verifyingKey.certificateKey!,
        validFrom: Date(timeIntervalSince1970: TimeInterval(now - 86_400)),
        validUntil: Date(timeIntervalSince1970: TimeInterval(now + 2 * 365 * 86_400))))
  }

  /// Recognises the authorities at the hub, adds the experts to its shared pool and registers
  /// each party there once (一地注册、全网通用), signing its registration with its certificate's
  /// key.
  static func registerAtHub(
    _ parties: [(account: Account, key: SigningKey, certificate: String)],
    authorities: [(id: String, authority: CertificateAuthority)], experts: [Account] = experts,
    hub: String, administratorToken: String
  ) async throws {
    let administrator = PlatformClient(base: hub, token: administratorToken)
    for (id, authority) in authorities {
      try await administrator.json(
        "POST", "/trust/authorities",
        [
          "id": .string(id), "name": .string(String(describing: authority.certificate.subject)),
          "certificate": .string(try CertificateAuthority.pem(authority.certificate)),
        ])
    }
    // The shared expert pool (专家资源共享): the platforms' committees are drawn from it.
    for expert in experts {
      try await administrator.json(
        "POST", "/experts",
        [
          "id": .string(expert.id), "role": "expert", "name": .string(expert.name),
          "creditCode": .string(expert.creditCode),
          "pastEmployers": JSONValue(expert.pastEmployers),
          "conflicts": JSONValue(expert.conflicts), "specialities": JSONValue(expert.specialities),
        ])
    }
    for party in parties {
      let signed =
        "zhaocai-party-registration v1\n\(party.account.creditCode)\n\(party.account.name)"
      try await PlatformClient(base: hub).json(
        "POST", "/parties",
        [
          "name": .string(party.account.name), "certificate": .string(party.certificate),
          "signature": .string(
            Data(try party.key.signature(for: Array(signed.utf8))).base64EncodedString()),
        ])
    }
  }

  /// Each holder's keys on a trading platform (key and public files in its directory): the
  /// platform's and the tenderer's made here, the supervision platform's its own.
  static func holderKeys(in directory: String, supervisor: PrivateKeyFile) throws -> [(
    name: String, keys: PrivateKeyFile
  )] {
    try holderNames.map { name in
      let keys =
        name == "supervisor" ? supervisor : try PrivateKeyFile.generate(id: name, suite: .standard)
      let base = directory + "/holder-" + name
      if name != "supervisor" {
        try writeFile(Data(keys.text.utf8), to: base + ".key", mode: 0o600)
      }
      try writeFile(Data(keys.publicKeys.text.utf8), to: base + ".pub", mode: 0o644)
      return (name, keys)
    }
  }

  /// Gives the supervision platform the password of its holder account on `platform` (the
  /// demo's one password), beside the key it keeps there.
  static func entrust(
    password: String = password, of platform: String, to supervision: SupervisionPlatform
  )
    throws
  {
    guard let holding = supervision.keyHolder else { return }
    try writeFile(
      Data(password.utf8), to: holding.directory + "/" + platform + ".password", mode: 0o600)
  }

  /// The notice's key holder entries for these keys.
  static func noticeHolders(_ keys: [(name: String, keys: PrivateKeyFile)]) -> [KeyHolder] {
    keys.map {
      KeyHolder(
        name: $0.name, suite: "standard",
        sealingKey: Data($0.keys.sealing.publicKey.rawRepresentation).base64EncodedString(),
        keyID: $0.keys.sealing.publicKey.keyID.hex)
    }
  }
}
