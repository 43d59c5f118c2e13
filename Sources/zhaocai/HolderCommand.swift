import ArgumentParser
import Foundation
import ZhaocaiCrypto

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `zhaocai holder`: what an opening key holder does with its private key.
struct Holder: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Act as an opening key holder of a trading platform.", subcommands: [Release.self])

  struct Release: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "After the deadline, open this holder's shares of every bid and send them.",
      discussion: "Downloads each envelope of the section, opens the share sealed to this "
        + "holder's key on this machine, checks it against the envelope, and posts the shares. "
        + "The private key never leaves the machine.\n\n" + ExitStatus.help)

    @Option(help: "The trading platform's API base, e.g. http://127.0.0.1:8080/api/v1.")
    var platform: String
    @Option(help: "The section id.") var section: String
    @Option(help: "This holder's name in the notice.") var name: String
    @Option(help: "This holder's .key file.") var key: String

    func run() async throws {
      do {
        let keys = try PrivateKeyFile(text: readText(key))
        let base = platform.hasSuffix("/") ? String(platform.dropLast()) : platform
        let view = try await fetch("\(base)/sections/\(section)")
        guard let object = try JSONSerialization.jsonObject(with: view) as? [String: Any],
          let bids = object["bids"] as? [[String: Any]]
        else { throw failure("the platform's answer about \(section) is not a section") }

        var shares: [[String: Any]] = []
        for bidder in bids.compactMap({ $0["bidder"] as? String }) {
          let envelope = try await fetch("\(base)/sections/\(section)/bids/\(bidder)")
          let header = try EnvelopeReader(MemorySource(Array(envelope))).header
          let share = try header.share(using: keys.sealing)
          shares.append([
            "bidder": bidder, "x": Int(share.x), "y": Data(share.y).base64EncodedString(),
          ])
        }
        var request = URLRequest(url: try url("\(base)/sections/\(section)/shares/\(name)"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["shares": shares])
        _ = try await send(request)
        print("released \(shares.count) share(s) of section \(section) as \(name)")
      } catch {
        throw ExitStatus.fail(error)
      }
    }

    private func fetch(_ address: String) async throws -> Data {
      try await send(URLRequest(url: try url(address)))
    }

    /// Sends a request; a problem+json answer becomes a one-line error with its code.
    private func send(_ request: URLRequest) async throws -> Data {
      let (data, response) = try await URLSession.shared.data(for: request)
      let status = (response as? HTTPURLResponse)?.statusCode ?? 0
      guard (200..<300).contains(status) else {
        let problem = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        throw CommandFailure(
          english:
            "\(problem?["code"] as? String ?? "HTTP \(status)"): \(problem?["detail"] as? String ?? "")",
          chinese: problem?["detailChinese"] as? String ?? "平台拒绝了请求", code: ExitStatus.refused)
      }
      return data
    }

    private func url(_ address: String) throws -> URL {
      guard let url = URL(string: address) else {
        throw ValidationError("'\(address)' is not a URL")
      }
      return url
    }

    private func failure(_ english: String) -> CommandFailure {
      CommandFailure(english: english, chinese: "平台应答格式错误", code: ExitStatus.refused)
    }
  }
}
