import ArgumentParser
import Configuration
import Crypto
import Foundation
import PublicServiceHub
import SupervisionPlatform
import SystemPackage
import TradingPlatform
import ZhaocaiCrypto
import ZhaocaiStore

/// One platform's settings as `serve hub|supervision|trading --config FILE` reads them: the
/// command's options first, then `ZHAOCAI_*` environment variables (`ZHAOCAI_DATABASE_URL` for
/// `database.url`), then the JSON file. deploy/*.json are examples.
struct PlatformSettings {
  let reader: ConfigReader
  /// The configuration file's directory: relative paths in it are read from there.
  let base: String

  static func read(file: String, overrides: [AbsoluteConfigKey: ConfigValue]) async throws
    -> PlatformSettings
  {
    let path = URL(fileURLWithPath: file).standardizedFileURL.path
    let fileProvider: FileProvider<JSONSnapshot>
    do {
      fileProvider = try await FileProvider<JSONSnapshot>(filePath: FilePath(path))
    } catch {
      throw CommandFailure(
        english: "\(file) is not a readable JSON configuration (\(error))",
        chinese: "配置文件无法读取或不是 JSON：\(file)", code: .validationFailure)
    }
    return PlatformSettings(
      reader: ConfigReader(providers: [
        InMemoryProvider(name: "options", values: overrides),
        EnvironmentVariablesProvider(
          secretsSpecifier: .specific(["ZHAOCAI_DATABASE_URL"])
        ).prefixKeys(with: "zhaocai"),
        fileProvider,
      ]),
      base: URL(fileURLWithPath: path).deletingLastPathComponent().path)
  }

  func required(_ key: String) throws -> String {
    guard let value = reader.string(forKey: ConfigKey(key), isSecret: key == "database.url"),
      !value.isEmpty, value.count <= 4096
    else {
      throw CommandFailure(
        english: "the configuration has no \(key)", chinese: "配置缺少 \(key)",
        code: .validationFailure)
    }
    return value
  }

  func optional(_ key: String) -> String? {
    reader.string(forKey: ConfigKey(key)).flatMap { $0.isEmpty ? nil : $0 }
  }

  /// A list of names (a JSON array; in the environment, comma-separated), each as bounded as
  /// any other value.
  func list(_ key: String) -> [String] {
    (reader.stringArray(forKey: ConfigKey(key)) ?? []).filter { !$0.isEmpty && $0.count <= 200 }
  }

  /// A path as written, or relative to the configuration file.
  func path(_ key: String) throws -> String {
    let value = try required(key)
    return value.hasPrefix("/") ? value : base + "/" + value
  }

  var host: String { optional("http.host") ?? "127.0.0.1" }

  func port(default value: Int) throws -> Int {
    guard let port = reader.int(forKey: "http.port") else {
      // Present but not a number (a JSON string, a bad environment value).
      if reader.string(forKey: "http.port") != nil {
        throw CommandFailure(
          english: "http.port is not a port", chinese: "http.port 不是有效端口",
          code: .validationFailure)
      }
      return value
    }
    guard (0...65535).contains(port) else {
      throw CommandFailure(
        english: "http.port \(port) is not a port", chinese: "http.port 不是有效端口",
        code: .validationFailure)
    }
    return port
  }

  func database(in directory: String) throws -> StoreLocation {
    do {
      return try StoreLocation(url: try required("database.url"), relativeTo: directory)
    } catch let error as StoreLocation.URLError {
      // Not the URL itself: it may hold a password.
      throw CommandFailure(
        english: "database.url: \(error.reason); expected \(StoreLocation.URLError.expected)",
        chinese: "database.url 格式错误", code: .validationFailure)
    }
  }

  /// How often a trading platform's scheduler runs (`scheduler.seconds`, 1 to 3600; 15 unless
  /// set).
  var schedulerSeconds: Int {
    get throws {
      guard let seconds = reader.int(forKey: "scheduler.seconds") else {
        if reader.string(forKey: "scheduler.seconds") != nil {
          throw CommandFailure(
            english: "scheduler.seconds is not a number of seconds",
            chinese: "scheduler.seconds 应为秒数", code: .validationFailure)
        }
        return 15
      }
      guard (1...3600).contains(seconds) else {
        throw CommandFailure(
          english: "scheduler.seconds must be 1 to 3600, not \(seconds)",
          chinese: "scheduler.seconds 应在1至3600之间", code: .validationFailure)
      }
      return seconds
    }
  }

  var passwordCost: UInt8 {
    reader.int(forKey: "password.cost").map { UInt8(min(max($0, 4), 31)) } ?? 12
  }

  /// The hub's API and its log key (`hub.key`: the verifier key the hub prints at start).
  func hub() throws -> (url: String, key: Curve25519.Signing.PublicKey)? {
    guard let url = optional("hub.url") else { return nil }
    guard let text = optional("hub.key"), let verifier = try? NoteVerifier(verifierKey: text)
    else {
      throw CommandFailure(
        english: "hub.key must be the hub's log verifier key (printed when the hub starts)",
        chinese: "hub.key 应为公共服务平台的日志验证密钥", code: .validationFailure)
    }
    return (url, verifier.publicKey)
  }

  func hubConfiguration() throws -> HubConfiguration {
    let directory = try path("data.directory")
    return HubConfiguration(
      database: try database(in: directory), directory: directory,
      logName: optional("log.name") ?? "hub.localhost/log")
  }

  func supervisionConfiguration() throws -> SupervisionConfiguration {
    let directory = try path("data.directory")
    return SupervisionConfiguration(
      platformID: try required("platform.id"), database: try database(in: directory),
      directory: directory, hub: try hub(), passwordCost: passwordCost)
  }

  func tradingConfiguration() throws -> TradingConfiguration {
    let directory = try path("data.directory")
    var supervision: SupervisionLink?
    if let id = optional("supervision.id") {
      guard let url = optional("supervision.url"), let text = optional("supervision.key"),
        let raw = Data(base64Encoded: text),
        let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
      else {
        throw CommandFailure(
          english: "supervision.id needs supervision.url and supervision.key (base64 Ed25519)",
          chinese: "监督平台配置不完整", code: .validationFailure)
      }
      supervision = SupervisionLink(
        platformID: id, key: key, endpoint: url, holderKey: optional("supervision.holder"))
    }
    return TradingConfiguration(
      platformID: try required("platform.id"), database: try database(in: directory),
      directory: directory, hub: try hub(), supervision: supervision,
      passwordCost: passwordCost)
  }
}
