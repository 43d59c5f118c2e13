/// Screens of the subgroups of 3 and 4 bids within a tender, summarised (Wallimann, Imhof and
/// Huber 2022): when only some bidders collude, the competitive bids blur the whole tender's
/// screens, but the colluders' own subgroup stands out. Each of CV, SPD, DIFFP, RD, SKEW and KS
/// is computed for every subgroup and summarised by its minimum, maximum, mean and median.
///
/// A tender of up to `allSubsetsUpTo` bids uses every subset (715 for 12 bids); a larger one
/// the runs of 3 and 4 adjacent bids in price order, where a cartel's clustered bids sit, so the
/// work stays linear in the number of bids.
public struct SubgroupScreens: Sendable, Equatable {
  public static let screenNames = ["cv", "spd", "diffp", "rd", "skew", "ks"]
  public static let summaryNames = ["min", "max", "mean", "median"]
  public static let allSubsetsUpTo = 12

  /// The summaries, screen by screen then summary by summary; NaN where no subgroup had it.
  public let values: [Double]

  /// The subgroup screens of `amounts`, which must be sorted ascending.
  public init(sorted amounts: [Double]) {
    var samples = Array(repeating: [Double](), count: Self.screenNames.count)
    func add(_ group: [Double]) {
      let screens = PriceScreens(sorted: group)
      let row = [screens.cv, screens.spread, screens.diffp, screens.rd, screens.skew, screens.ks]
      for (index, value) in row.enumerated() {
        if let value { samples[index].append(value) }
      }
    }
    let n = amounts.count
    if n >= 3 && n <= Self.allSubsetsUpTo {
      for a in 0..<n {
        for b in (a + 1)..<n {
          for c in (b + 1)..<n {
            add([amounts[a], amounts[b], amounts[c]])
            for d in (c + 1)..<n { add([amounts[a], amounts[b], amounts[c], amounts[d]]) }
          }
        }
      }
    } else if n > Self.allSubsetsUpTo {
      for start in 0..<(n - 2) {
        add(Array(amounts[start..<(start + 3)]))
        if start + 4 <= n { add(Array(amounts[start..<(start + 4)])) }
      }
    }
    values = samples.flatMap(Self.summary)
  }

  private static func summary(_ values: [Double]) -> [Double] {
    guard !values.isEmpty else { return [.nan, .nan, .nan, .nan] }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    let median =
      sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    return [
      sorted[0], sorted[sorted.count - 1], values.reduce(0, +) / Double(values.count), median,
    ]
  }
}
