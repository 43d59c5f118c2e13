/// The red flags of a body of open data: per process, per tenderer, per buyer and procuring
/// entity, with the fences the outlier indicators were measured against. Like every screen it
/// points at processes to look at; it proves nothing.
///
/// Where Cardinal's documentation leaves a degenerate case open, a value equal to the quartile
/// is never an outlier: when most values are the same (all ratios 0, every supplier in one
/// industry) the interquartile range is 0, the fence is the quartile itself, and flagging
/// every value on it would flag everyone.
public struct RedFlagReport: Sendable, Equatable {
  public private(set) var processes: [String: [RedFlag]] = [:]
  public private(set) var tenderers: [String: [RedFlag]] = [:]
  public private(set) var buyers: [String: [RedFlag]] = [:]
  public private(set) var procuringEntities: [String: [RedFlag]] = [:]
  /// The fences each outlier indicator used (R025 the ratios', R038 the tenderers').
  public private(set) var fences: [RedFlagCode: Fences] = [:]
  /// R025: the number of valid bids that makes a top tenderer.
  public private(set) var topTendererBids: Double?
  public let processCount: Int

  public init(_ all: [ContractingProcess], settings: RedFlagSettings = .init()) {
    processCount = all.count
    for process in all {
      for flag in Self.processFlags(process, settings) {
        processes[process.ocid, default: []].append(flag)
      }
    }
    secondLowest(all, settings)
    unsuccessful(all, settings)
    identicalTenderers()
    disqualified(all, settings)
    heterogeneous(all, settings)
    for key in processes.keys { processes[key]?.sort { $0.code < $1.code } }
    for key in tenderers.keys { tenderers[key]?.sort { $0.code < $1.code } }
  }

  // MARK: Indicators of one process alone

  static func processFlags(_ process: ContractingProcess, _ settings: RedFlagSettings)
    -> [RedFlag]
  {
    var flags: [RedFlag] = []
    let submitted = process.bids.filter(\.isSubmitted)
    // R003: the period in whole days, for open processes with both dates.
    if process.method == "open", let start = process.periodStart, let end = process.periodEnd {
      let (span, overflow) = end.subtractingReportingOverflow(start)
      let days = span / 86_400
      if !overflow, days < settings.shortPeriodDays {
        flags.append(.init(code: .r003, value: 1, evidence: ["\(days)"]))
      }
    }
    // R018: one tenderer in a competitive process.
    let tenderers = Set(submitted.flatMap(\.tenderers))
    if process.method == "open" || process.method == "selective", tenderers.count == 1 {
      flags.append(.init(code: .r018, value: 1, evidence: tenderers.sorted()))
    }
    // R028: different tenderers with the same price.
    let same = identicalPrices(process)
    if !same.isEmpty { flags.append(.init(code: .r028, value: 1, evidence: same)) }
    let activeSuppliers = Set(
      process.awards.filter { $0.status == "active" }.flatMap(\.suppliers))
    // R030: a valid bid received after the deadline won.
    if let end = process.periodEnd {
      let late = process.bids.filter {
        $0.status == "valid" && ($0.date ?? .min) > end
          && !activeSuppliers.isDisjoint(with: $0.tenderers)
      }
      if !late.isEmpty {
        flags.append(
          .init(code: .r030, value: 1, evidence: Set(late.flatMap(\.tenderers)).sorted()))
      }
    }
    // R035: one tenderer valid, it won everything, others disqualified.
    if let active = process.finalActiveAwards, !active.isEmpty {
      let valid = Set(process.bids.filter { $0.status == "valid" }.flatMap(\.tenderers))
      let suppliers = Set(active.flatMap(\.suppliers))
      let disqualified = Set(
        process.bids.filter { $0.status == "disqualified" }.flatMap(\.tenderers)
      ).subtracting(valid)
      if valid.count == 1, valid == suppliers, disqualified.count >= settings.disqualifiedOthers {
        flags.append(
          .init(code: .r035, value: Double(disqualified.count), evidence: disqualified.sorted()))
      }
    }
    // R036: an award made, and the lowest submitted bid disqualified.
    if !activeSuppliers.isEmpty, let lowest = lowestPriced(submitted),
      lowest.bid.status == "disqualified"
    {
      flags.append(.init(code: .r036, value: 1, evidence: lowest.bid.tenderers))
    }
    return flags
  }

  /// The bid of `bids` with the lowest price, and the price; nil when none has one.
  static func lowestPriced(_ bids: [ContractingProcess.Bid])
    -> (bid: ContractingProcess.Bid, amount: Double)?
  {
    bids.compactMap { bid in bid.amount.map { (bid, $0) } }.min { $0.1 < $1.1 }
  }

  /// The tenderers of submitted bids whose price another tenderer's bid equals (same currency).
  static func identicalPrices(_ process: ContractingProcess) -> [String] {
    // Per price, the tenderer sets of its bids: one consortium bid is one set, not a match.
    var byPrice: [String: Set<Set<String>>] = [:]
    for bid in process.bids where bid.isSubmitted && !bid.tenderers.isEmpty {
      guard let amount = bid.amount, amount.isFinite, let currency = bid.currency else {
        continue
      }
      byPrice["\(amount) \(currency)", default: []].insert(Set(bid.tenderers))
    }
    let same = byPrice.values.filter { $0.count > 1 }.reduce(into: Set<String>()) {
      for tenderers in $1 { $0.formUnion(tenderers) }
    }
    return same.sorted()
  }

  // MARK: Indicators against the whole body of data

  /// R024 and R058: the gap between the winning bid and the lowest other valid bid.
  private mutating func secondLowest(_ all: [ContractingProcess], _ settings: RedFlagSettings) {
    var gaps: [(ocid: String, gap: Double, parties: [String])] = []
    for process in all {
      guard let winner = process.soleWinner else { continue }
      let valid = process.bids.filter {
        $0.status == "valid" && $0.tenderers.count == 1 && $0.amount != nil
      }
      guard let (won, winning) = Self.lowestPriced(valid.filter { $0.tenderers[0] == winner }),
        winning > 0,
        let (other, second) = Self.lowestPriced(
          valid.filter { $0.tenderers[0] != winner && $0.currency == won.currency }),
        second >= winning
      else { continue }
      let gap = (second - winning) / winning
      guard gap.isFinite else { continue }
      gaps.append((process.ocid, gap, [winner, other.tenderers[0]]))
    }
    guard let fence = Fences(gaps.map(\.gap)) else { return }
    fences[.r024] = fence
    fences[.r058] = fence
    for gap in gaps {
      if fence.isLow(gap.gap) {
        processes[gap.ocid, default: []].append(
          .init(code: .r024, value: gap.gap, evidence: gap.parties))
      }
      if fence.isHigh(gap.gap) {
        processes[gap.ocid, default: []].append(
          .init(code: .r058, value: gap.gap, evidence: gap.parties))
      }
    }
  }

  /// R025: top tenderers (by valid bids) that win a low outlier share of them.
  private mutating func unsuccessful(_ all: [ContractingProcess], _ settings: RedFlagSettings) {
    var bids: [String: [String]] = [:]
    var wins: [String: Int] = [:]
    for process in all {
      guard let active = process.finalActiveAwards, active.count == 1,
        active.allSatisfy({ $0.suppliers.count == 1 }),
        process.bids.allSatisfy({ $0.tenderers.count <= 1 })
      else { continue }
      let winner = active.first?.suppliers.first
      for tenderer in Set(process.bids.filter { $0.status == "valid" }.flatMap(\.tenderers)) {
        bids[tenderer, default: []].append(process.ocid)
        if tenderer == winner { wins[tenderer, default: 0] += 1 }
      }
    }
    let ratios = Dictionary(
      uniqueKeysWithValues: bids.map {
        ($0.key, Double(wins[$0.key] ?? 0) / Double($0.value.count))
      })
    guard let fence = Fences(Array(ratios.values)) else { return }
    fences[.r025] = fence
    let counts = bids.values.map { Double($0.count) }.sorted()
    let top = Fences.quantile(counts, settings.topTendererPercentile / 100)
    topTendererBids = top
    for (tenderer, ratio) in ratios {
      guard let entered = bids[tenderer], Double(entered.count) >= top, fence.isLow(ratio)
      else { continue }
      tenderers[tenderer, default: []].append(
        .init(code: .r025, value: ratio, evidence: entered.sorted()))
    }
  }

  /// R028 for tenderers: each tenderer of a process's R028 flag, with the processes.
  private mutating func identicalTenderers() {
    var found: [String: [String]] = [:]
    for (ocid, flags) in processes {
      for flag in flags where flag.code == .r028 {
        for tenderer in flag.evidence { found[tenderer, default: []].append(ocid) }
      }
    }
    for (tenderer, ocids) in found {
      tenderers[tenderer, default: []].append(
        .init(code: .r028, value: 1, evidence: ocids.sorted()))
    }
  }

  /// R038: the share of bids disqualified, a high outlier per buyer, procuring entity or
  /// tenderer.
  private mutating func disqualified(_ all: [ContractingProcess], _ settings: RedFlagSettings) {
    struct Tally {
      /// Every process of a buyer or agency, with bids or not (the minimum counts them all).
      var processCount = 0
      var submitted = 0
      var disqualified = 0
      var processes: [String] = []
    }
    var byBuyer: [String: Tally] = [:]
    var byEntity: [String: Tally] = [:]
    var byTenderer: [String: Tally] = [:]
    for process in all {
      if let buyer = process.buyer { byBuyer[buyer, default: .init()].processCount += 1 }
      if let entity = process.procuringEntity {
        byEntity[entity, default: .init()].processCount += 1
      }
      let submitted = process.bids.filter(\.isSubmitted)
      guard !submitted.isEmpty else { continue }
      let out = submitted.filter { $0.status == "disqualified" }.count
      func add(_ key: String?, to tallies: inout [String: Tally]) {
        guard let key else { return }
        tallies[key, default: .init()].submitted += submitted.count
        tallies[key, default: .init()].disqualified += out
        if out > 0 { tallies[key, default: .init()].processes.append(process.ocid) }
      }
      add(process.buyer, to: &byBuyer)
      add(process.procuringEntity, to: &byEntity)
      for bid in submitted {
        for tenderer in bid.tenderers {
          byTenderer[tenderer, default: .init()].submitted += 1
          if bid.status == "disqualified" {
            byTenderer[tenderer, default: .init()].disqualified += 1
            byTenderer[tenderer, default: .init()].processes.append(process.ocid)
          }
        }
      }
    }
    func flagged(_ tallies: [String: Tally], minimum: (Tally) -> Bool, fenceKey: Bool)
      -> [String: RedFlag]
    {
      // A buyer or agency without any submitted bid has no ratio.
      let kept = tallies.filter { $0.value.submitted > 0 && minimum($0.value) }
      let ratios = kept.mapValues { Double($0.disqualified) / Double($0.submitted) }
      guard let fence = Fences(Array(ratios.values)) else { return [:] }
      if fenceKey { fences[.r038] = fence }
      var out: [String: RedFlag] = [:]
      // When most disqualify nothing the fence is 0, and any one revoked bid would be an
      // outlier: Cardinal then flags nobody, and so do we.
      guard fence.upper > 0 else { return [:] }
      for (key, ratio) in ratios where fence.isHigh(ratio) {
        out[key] = .init(
          code: .r038, value: ratio, evidence: Array(Set(kept[key]?.processes ?? [])).sorted())
      }
      return out
    }
    let minimumProcesses = settings.disqualifiedMinimumProcesses
    for (buyer, flag) in flagged(
      byBuyer, minimum: { $0.processCount >= minimumProcesses },
      fenceKey: false)
    {
      buyers[buyer, default: []].append(flag)
    }
    for (entity, flag) in flagged(
      byEntity, minimum: { $0.processCount >= minimumProcesses },
      fenceKey: false)
    {
      procuringEntities[entity, default: []].append(flag)
    }
    for (tenderer, flag) in flagged(
      byTenderer, minimum: { $0.submitted >= settings.disqualifiedMinimumBids },
      fenceKey: true)
    {
      tenderers[tenderer, default: []].append(flag)
    }
  }

  /// R048: the number of distinct first-level classifications a supplier was awarded in.
  private mutating func heterogeneous(_ all: [ContractingProcess], _ settings: RedFlagSettings) {
    var kinds: [String: Set<String>] = [:]
    for process in all {
      guard let classification = process.classification else { continue }
      for award in process.awards where award.status == "active" && award.suppliers.count == 1 {
        kinds[award.suppliers[0], default: []].insert(classification)
      }
    }
    // Quartiles of a handful of suppliers say nothing of a market.
    guard kinds.count >= settings.varietyMinimumSuppliers,
      let fence = Fences(kinds.values.map { Double($0.count) })
    else { return }
    fences[.r048] = fence
    for (supplier, classifications) in kinds where fence.isHigh(Double(classifications.count)) {
      tenderers[supplier, default: []].append(
        .init(
          code: .r048, value: Double(classifications.count), evidence: classifications.sorted()))
    }
  }
}
