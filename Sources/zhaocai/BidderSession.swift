import ArgumentParser
import Foundation
import TradingClient
import ZhaocaiCrypto
import ZhaocaiExchange

/// The session `zhaocai bidder sign-in` keeps for the bid commands: the platform, the bearer
/// token and who it belongs to, and where the bidder's key file is (its path, never the key).
/// Written readable by its owner only, since the token acts for the bidder until it expires.
struct BidderSession: Codable {
  var platform: String
  var token: String
  var expiresAt: Date
  var account: String
  var name: String
  var creditCode: String
  /// The key file's absolute path, which the bid commands sign and seal with.
  var key: String

  /// `--session`, else `ZHAOCAI_SESSION`, else the user's configuration directory.
  static func path(_ given: String?) -> String {
    if let given { return given }
    let environment = ProcessInfo.processInfo.environment
    if let path = environment["ZHAOCAI_SESSION"], !path.isEmpty { return path }
    let base =
      environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (NSHomeDirectory() + "/.config")
    return base + "/zhaocai/session.json"
  }

  static func load(_ given: String?) throws -> BidderSession {
    let path = path(given)
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure(
        english:
          "not signed in: run `zhaocai bidder sign-in --platform URL --key FILE` first (no session at \(path))",
        chinese: "尚未登录：请先运行 `zhaocai bidder sign-in --platform 平台地址 --key 密钥文件`",
        code: ExitStatus.refused)
    }
    guard let session = try? JSONDecoder.iso8601.decode(BidderSession.self, from: data) else {
      throw CommandFailure(
        english: "\(path) is not a session file: sign in again", chinese: "登录信息文件无效，请重新登录",
        code: ExitStatus.fileProblem)
    }
    return session
  }

  /// The session, if still good at `now`; else what to do.
  static func current(_ given: String?, now: Date = Date()) throws -> BidderSession {
    let session = try load(given)
    guard session.expiresAt > now else {
      throw CommandFailure(
        english:
          "the session at \(session.platform) expired at \(session.expiresAt): run `zhaocai bidder sign-in` again",
        chinese: "登录已过期，请重新运行 `zhaocai bidder sign-in`", code: ExitStatus.refused)
    }
    return session
  }

  /// Runs a bid command's work in the current session; any failure becomes its one-line error
  /// and exit code.
  static func acting(_ given: String?, _ work: (BidderSession) async throws -> Void) async throws {
    var address = "the platform"
    do {
      let kept = try current(given)
      address = kept.platform
      try await work(kept)
    } catch {
      throw ExitStatus.fail(bidderFailure(error, platform: address))
    }
  }

  func save(_ given: String?) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    encoder.dateEncodingStrategy = .iso8601
    try writeFile(try encoder.encode(self), to: Self.path(given), mode: 0o600)
  }

  var client: BidderClient { BidderClient(platform: platform, token: token) }

  func keys() throws -> PrivateKeyFile { try PrivateKeyFile(text: readText(key)) }
}

extension JSONDecoder {
  static var iso8601: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
  }
}

/// Turns a platform's refusal into the command's one-line error.
func bidderFailure(_ error: any Error, platform: String) -> any Error {
  if case .unreachable(let why) = error as? OutboxRelay.Failure {
    return CommandFailure(
      english: "cannot reach \(platform): \(why)", chinese: "无法连接交易平台 \(platform)",
      code: ExitStatus.unreachable)
  }
  guard let refusal = error as? BidderClient.Refusal else { return error }
  if refusal.status == 401, refusal.code == "AUTH_REQUIRED" {
    return CommandFailure(
      english: "the session ended at the platform: run `zhaocai bidder sign-in` again",
      chinese: "登录已失效，请重新运行 `zhaocai bidder sign-in`", code: ExitStatus.refused)
  }
  let english =
    refusal.code.isEmpty
    ? "the platform answered HTTP \(refusal.status)" : "\(refusal.code): \(refusal.english)"
  return CommandFailure(
    english: english, chinese: refusal.chinese.isEmpty ? "平台拒绝了请求" : refusal.chinese,
    code: ExitStatus.refused)
}
