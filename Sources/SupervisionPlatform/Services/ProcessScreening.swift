import Foundation
import ZhaocaiAnalytics
import ZhaocaiDomain
import ZhaocaiExchange

/// The price screens of a tracked process, from the opened bids its trading platform reported
/// (`bidOpened` events), scored by the bundled model: what a supervisor sees to decide whether
/// a tender's prices deserve a closer look.
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

  /// The model, read once per process (first as the console is built, so a broken installation
  /// stops the platform as it starts).
  static let model: Result<ScreenModel, any Error> = Result { try ScreenModel.bundled() }

  /// The screening of the bids opened in `timeline` (its entries' kinds and payloads).
  init(timeline: [(kind: String, payload: String)]) throws {
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
    self.signs = signs
    bids = order.compactMap { bidder in opened[bidder].map { (bidder, $0) } }
    let amounts = bids.map { Double($0.price.fen) / 100 }
    let sorted = amounts.sorted()
    screens = PriceScreens(sorted: sorted)
    pattern = PricePattern.find(sorted: sorted)
    let model = try Self.model.get()
    flagThreshold = model.flagThreshold
    self.model = model.provenance.source
    if bids.count >= Self.minimumBids {
      let tender = BidTable.Tender(
        id: "process",
        bids: amounts.enumerated().map { BidTable.Bid(bidder: $0.offset, amount: $0.element) })
      let table = BidTable(tenders: [tender], bidders: order, isLabelled: false)
      score = model.score(table).first?.score
    } else {
      score = nil
    }
  }

  /// The screens the bids allow, by their names in docs/ANALYTICS.md.
  var namedScreens: [(name: String, value: Double)] { screens.named }

  var flagged: Bool { score.map { $0 >= flagThreshold } ?? false }
}
