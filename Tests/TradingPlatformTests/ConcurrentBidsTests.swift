import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZhaocaiCrypto
import ZhaocaiTestSupport

@testable import TradingPlatform

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// At a deadline many bidders upload at once, and every upload changes the same section: each
/// must be received (none refused because another changed the section meanwhile), and each
/// receipt must verify — its checkpoint the size its proof was made for, though other bids
/// were logged in between.
@Suite struct ConcurrentBidsTests {
  @Test(arguments: Backend.available)
  func bidsArrivingTogetherAreAllReceivedWithValidReceipts(backend: Backend) async throws {
    let f = try await PlatformFixture(backend: backend)
    let verifier = f.platform.logSigner.verifier
    try await f.platform.application(port: 0).test(.live) { client in
      try await f.createAndPublish(with: client)
      let envelopes = try PlatformFixture.bidders.map {
        try f.seal(bidder: $0, plaintext: [UInt8](repeating: 7, count: 2 << 20))
      }
      // Over connections of their own (the test client has one), as bidders' machines do.
      let base = "http://127.0.0.1:\(try #require(client.port))/api/v1"
      let configuration = URLSessionConfiguration.ephemeral
      configuration.httpMaximumConnectionsPerHost = 24
      let session = URLSession(configuration: configuration)
      // Signed in beforehand, once each: the uploads are what arrives together.
      var signedIn: [HTTPFields] = []
      for bidder in PlatformFixture.bidders { signedIn.append(try await f.bidder(bidder)) }
      // Each bidder sends several versions, all at once: 4 × 6 uploads of one section.
      let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
        for round in 0..<6 {
          for (index, bidder) in PlatformFixture.bidders.enumerated() {
            let (envelope, headers) = (envelopes[index], signedIn[index])
            group.addTask {
              let answer: (status: Int, body: Data)
              do {
                answer = try await Self.put(
                  envelope, to: "\(base)/sections/S1/bids/\(bidder)", headers: headers,
                  session: session)
              } catch {
                return (-1, "\(round) \(bidder): \(error)")
              }
              guard answer.status == 201 else {
                return (answer.status, "\(round) \(String(decoding: answer.body, as: UTF8.self))")
              }
              guard
                let view = try? JSONDecoder().decode(
                  ReceiptView.self, from: answer.body)
              else { return (-2, "not a receipt: \(String(decoding: answer.body, as: UTF8.self))") }
              var receipt = Receipt(
                checkpoint: view.checkpoint, index: view.index, entry: Array(view.entry),
                proof: [])
              receipt.proof = view.proof
              do {
                _ = try receipt.verify(with: verifier)
                let logged = try JSONSerialization.jsonObject(with: view.entry) as? [String: Any]
                let received =
                  (logged?["event"] as? [String: Any])?["bidReceived"] as? [String: Any]
                return (201, "\(bidder) \(received?["version"] as? Int ?? 0)")
              } catch {
                return (0, "receipt of \(bidder): \(error)")
              }
            }
          }
        }
        var answers: [(Int, String)] = []
        for try await answer in group { answers.append(answer) }
        return answers
      }
      let failed = answers.filter { $0.0 != 201 }
      #expect(failed.isEmpty, "\(failed.count) of \(answers.count): \(failed.prefix(3))")
      // Each upload is its bidder's next version, none lost and none twice.
      for bidder in PlatformFixture.bidders {
        let versions = answers.compactMap { answer -> Int? in
          let parts = answer.1.split(separator: " ")
          return parts.first.map(String.init) == bidder ? Int(parts.last ?? "") : nil
        }
        #expect(versions.sorted() == Array(1...6), "\(bidder): \(versions)")
      }
    }
    await f.platform.store.close()
  }

  private static func put(
    _ envelope: [UInt8], to url: String, headers: HTTPFields, session: URLSession
  ) async throws -> (status: Int, body: Data) {
    var request = URLRequest(url: try #require(URL(string: url)))
    request.httpMethod = "PUT"
    for field in headers { request.setValue(field.value, forHTTPHeaderField: field.name.rawName) }
    let (data, response) = try await session.upload(for: request, from: Data(envelope))
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
  }

  private struct ReceiptView: Decodable {
    let checkpoint: String
    let index: UInt64
    let entry: Data
    let proof: [String]
  }
}
