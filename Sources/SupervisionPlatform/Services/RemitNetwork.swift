import Foundation
import ZhaocaiAnalytics
import ZhaocaiDomain
import ZhaocaiExchange

/// A tracked process as the co-bidding network sees it: the bidders named at its opening, the
/// agency or (without one) the tenderer that ran it, and the bidder awarded, once it is.
enum RemitNetwork {
  /// The tender of `process`, or nil before its opening named any bidder.
  static func tender(_ process: TrackedProcess, timeline: [(kind: String, payload: String)])
    -> CoBiddingNetwork.Tender?
  {
    var bidders: [String] = []
    var winner: String?
    let decoder = JSONDecoder()
    for entry in timeline where entry.kind == "section.event" {
      guard let logged = try? decoder.decode(LoggedEvent.self, from: Data(entry.payload.utf8))
      else { continue }
      switch logged.event {
      case .bidOpened(let bidder, _, _), .bidUndecryptable(let bidder, _):
        bidders.append(bidder)
      case .awarded(let bidder, _, _, _, _):
        winner = bidder
      default:
        continue
      }
    }
    guard !bidders.isEmpty else { return nil }
    return CoBiddingNetwork.Tender(
      id: "\(process.platform)/\(process.section)",
      tenderer: process.terms.map { $0.agency ?? $0.tenderer } ?? "", bidders: bidders,
      winner: winner)
  }
}
