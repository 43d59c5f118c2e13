import Foundation
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiExchange

/// What `serve --demo` shows besides its open sections, so every page has something on it: a
/// complaint waiting for the city's department, and a bidder banned by the province's
/// department (published at the hub, refused on both trading platforms). Both go over HTTP, as
/// a complainant and a supervisor would send them.
enum ServeDemoCases {
  static func add(
    complainant: (account: Account, key: SigningKey, certificate: String),
    banned: Account, on network: LocalNetwork, sections: [String]
  ) async throws {
    let supervision = PlatformClient(base: network.supervisionBase)
    let now = network.members[0].platform.clock.now()
    let statement = Data(
      JSONText.bytes([
        "platform": .string(network.members[0].id), "section": .string(sections[0]),
        "matter": "other",
        "facts": "招标代理机构在投标截止前向个别潜在投标人透露已获取招标文件的其他潜在投标人名称，涉嫌违反法22，请求调查处理。",
        "knewAt": .integer(now - 3_600),
      ]))
    let signature = try complainant.key.signature(
      for: Array("zhaocai-complaint v1\n".utf8) + Array(statement))
    _ = try await supervision.json(
      "POST", "/complaints",
      [
        "statement": .string(statement.base64EncodedString()),
        "certificate": .string(complainant.certificate),
        "signature": .string(Data(signature).base64EncodedString()),
      ])
    let province = try await supervision.signedIn(as: "fj-zj-1", password: DemoCast.password)
    _ = try await province.json(
      "POST", "/violations",
      [
        "platform": .string(network.members[1].id), "section": .string(sections[1]),
        "party": .string(banned.creditCode),
        "description": "在其他项目投标中提供虚假业绩证明材料，弄虚作假骗取中标", "article": "法54",
        "points": 30, "banDays": 365,
      ])
    try await network.exchange()
  }
}
