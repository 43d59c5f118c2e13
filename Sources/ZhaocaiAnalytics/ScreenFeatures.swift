import Foundation

/// The numbers the screening model reads for one tender, in a fixed order named by `names`:
/// the tender's size (bids, and the order of magnitude of its prices), its screens, the bids' ratios to the estimate, the subgroup screens and the
/// bidders' histories. NaN stands for a screen the tender cannot have (too few bids, no
/// estimate); the model learns where such tenders go.
public enum ScreenFeatures {
  public static let tenderNames = [
    "bids", "amount_log_mean", "cv", "spd", "diffp", "rd", "rdnor", "skew", "kurt", "ks",
  ]
  public static let estimateNames = [
    "estimate_ratio_min", "estimate_ratio_mean", "estimate_ratio_max",
  ]
  public static let subgroupNames = SubgroupScreens.screenNames.flatMap { screen in
    SubgroupScreens.summaryNames.map { "sub_\(screen)_\($0)" }
  }
  public static let names = tenderNames + estimateNames + subgroupNames + BidderHistory.names

  /// The features of `tender`, with `history` made from the table it belongs to.
  public static func vector(of tender: BidTable.Tender, history: BidderHistory) -> [Double] {
    let amounts = tender.bids.map(\.amount).sorted()
    let screens = PriceScreens(sorted: amounts)
    var vector: [Double] = [
      Double(screens.count), screens.count > 0 ? log10(screens.mean) : .nan,
    ]
    vector += [
      screens.cv, screens.spread, screens.diffp, screens.rd, screens.rdnor, screens.skew,
      screens.kurt, screens.ks,
    ].map { $0 ?? .nan }
    if let estimate = tender.estimate, let low = amounts.first, let high = amounts.last {
      vector += [low / estimate, screens.mean / estimate, high / estimate]
    } else {
      vector += [.nan, .nan, .nan]
    }
    vector += SubgroupScreens(sorted: amounts).values
    vector += history.features(of: tender)
    return vector
  }

  /// The features of every tender of `table`, in its order.
  public static func matrix(of table: BidTable) -> [[Double]] {
    let history = BidderHistory(table)
    return table.tenders.map { vector(of: $0, history: history) }
  }
}
