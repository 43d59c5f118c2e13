import Foundation
import ZhaocaiAnalytics
import ZhaocaiDomain
import ZhaocaiExchange

/// The price screens of a tracked process, from the opened bids its trading platform reported
/// (`bidOpened` events), scored by the bundled model with the bidders' histories over every
/// process of the remit: what a supervisor sees to decide whether a tender's prices deserve a
/// closer look.
struct ProcessScreening: Sendable {
  /// The fewest bids a score is given for: below 3 no screen but CV and the gaps exists.
  static let minimumBids = 3

  let bids: [(bidder: String, price: Money)]
  let screens: PriceScreens
  let score: Double?
  /// A regular pattern of the prices (条例40(4)), if they form one.
  let pattern: PricePattern?
  let flagThreshold: Double
  let model: String
  /// The 条例40 signs the trading platform found at the opening; nil before it.
  let signs: [CollusionFinding]?

  /// The screening of the bids opened in `timeline`, scored with `joint`: its result among
  /// every process of the remit (`joint(_:)`), so its bidders' histories count.
  init(timeline: [(kind: String, payload: String)], joint: TenderScreening.Result?) throws {
    (bids, signs) = Self.opened(timeline)
    let amounts = bids.map { Double($0.price.fen) / 100 }
    let sorted = amounts.sorted()
    screens = PriceScreens(sorted: sorted)
    pattern = PricePattern.find(sorted: sorted)
    let model = try ScreenModel.bundled()
    flagThreshold = model.flagThreshold
    self.model = model.provenance.source
    score = joint?.score
  }

  /// The results of every process of `timelines` (by key) screened together.
  static func joint(_ timelines: [(key: String, timeline: [(kind: String, payload: String)])])
    throws -> [String: TenderScreening.Result]
  {
    TenderScreening.screen(
      timelines.map { key, timeline in
        .init(
          id: key, bids: opened(timeline).bids.map { ($0.bidder, Double($0.price.fen) / 100) })
      }, model: try ScreenModel.bundled())
  }

  /// The bids opened in `timeline` in opening order, and the signs found at the opening.
  private static func opened(_ timeline: [(kind: String, payload: String)])
    -> (bids: [(bidder: String, price: Money)], signs: [CollusionFinding]?)
  {
    var opened: [String: Money] = [:]
    var order: [String] = []
    var signs: [CollusionFinding]?
    for entry in timeline where entry.kind == "section.event" {
      guard
        let logged = try? JSONDecoder().decode(LoggedEvent.self, from: Data(entry.payload.utf8))
      else { continue }
      switch logged.event {
      case .bidOpened(let bidder, let items, _):
        if opened.updateValue(items.price, forKey: bidder) == nil { order.append(bidder) }
      case .collusionSignsFound(let findings, _):
        signs = findings
      default:
        continue
      }
    }
    return (order.compactMap { bidder in opened[bidder].map { (bidder, $0) } }, signs)
  }

  /// The screens the bids allow, by their names in docs/ANALYTICS.md.
  var namedScreens: [(name: String, value: Double)] { screens.named }

  var flagged: Bool { score.map { $0 >= flagThreshold } ?? false }
}
