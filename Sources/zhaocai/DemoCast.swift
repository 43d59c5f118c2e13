import Foundation
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiDomain

/// The people and organisations of the demo data (`serve --demo`, `demo`): one password for all
/// of them, printed, because this is demo data on loopback only.
enum DemoCast {
  static let password = "zhaocai-demo"

  static func code(_ first17: String) -> String { CreditCode.completing(first17)!.value }

  static let administrator = Account(
    id: "admin", role: .administrator, name: "示范交易平台运营方", creditCode: code("91350100ME0000001"))
  static let tenderer = Account(
    id: "tenderer", role: .tenderer, name: "福州市示范城建投资有限公司", creditCode: code("91350100MB0000001"))
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

  static let holders: [Account] = holderNames.map {
    Account(id: $0, role: .keyHolder, name: "开标密钥持有人 \($0)", creditCode: tenderer.creditCode)
  }

  /// A bidder's account, registering its signature key.
  static func bidder(_ index: Int, key: PrivateKeyFile) -> Account {
    Account(
      id: "bidder\(index + 1)", role: .bidder, name: bidderNames[index],
      creditCode: bidderCodes[index],
      signingKey: Data(key.signing.verifyingKey.rawRepresentation).base64EncodedString(),
      signatureAlgorithm: key.signing.algorithm.description)
  }

  /// Key files of the three opening key holders, written into `directory` (the .key mode 600).
  static func holderKeys(in directory: String) throws -> [(name: String, keys: PrivateKeyFile)] {
    try holderNames.map { name in
      let keys = try PrivateKeyFile.generate(id: name, suite: .standard)
      let base = directory + "/holder-" + name
      try writeFile(Data(keys.text.utf8), to: base + ".key", mode: 0o600)
      try writeFile(Data(keys.publicKeys.text.utf8), to: base + ".pub", mode: 0o644)
      return (name, keys)
    }
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
