/// A reproducible random source: SplitMix64 from a seed, so anyone holding the seed can redo a
/// draw (the seed is derived from the platform's log, DESIGN.md "Conventions").
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform value in 0..<bound, by rejection (no modulo bias).
  public mutating func uniform(below bound: UInt64) -> UInt64 {
    let limit = UInt64.max - UInt64.max % bound
    while true {
      let value = next()
      if value < limit { return value % bound }
    }
  }
}

/// 专家抽取: experts drawn at random from the pool, anyone tied to a bidder recused first
/// (法37, 条例46).
public enum ExpertDraw {
  /// Who was drawn and who was set aside, and why.
  public struct Outcome: Sendable, Equatable {
    public let drawn: [CommitteeMember]
    /// Experts of the pool excluded because they are tied to a bidder.
    public let recused: [String]
  }

  /// Draws `count` experts of `speciality` (any, if nil) from `pool`, none tied to `bidders`
  /// and none of `excluding` (a replacement's committee members and recused experts).
  /// The pool is sorted by id first, so the same seed and pool give the same committee.
  public static func draw(
    _ count: Int, speciality: String?, from pool: [Account], bidders: Set<String>,
    excluding: Set<String> = [], using generator: inout SeededGenerator
  ) throws(DomainError) -> Outcome {
    // A committee has a handful of members; a count outside that is no draw (and `prefix` of a
    // negative count would trap).
    guard (1...99).contains(count) else {
      throw .rule(
        RuleViolation(
          Rules.committeeComposition, "\(count) experts asked for; 1 to 99 can be drawn",
          chinese: "申请抽取专家\(count)名；每次可抽取1至99名"))
    }
    let experts = pool.filter {
      $0.role == .expert && !excluding.contains($0.id)
        && (speciality.map($0.specialities.contains) ?? true)
    }.sorted { $0.id < $1.id }
    let (tied, eligible) = experts.reduce(into: ([String](), [Account]())) { result, expert in
      let member = expert.committeeMember
      if bidders.isDisjoint(with: member.employers + member.conflicts) {
        result.1.append(expert)
      } else {
        result.0.append(expert.id)
      }
    }
    guard eligible.count >= count else {
      throw .rule(
        RuleViolation(
          Rules.expertRecusal,
          "the pool has \(eligible.count) eligible experts after \(tied.count) recusals, \(count) needed",
          chinese:
            "回避\(tied.count)名后，专家库中符合条件的专家仅\(eligible.count)名，需抽取\(count)名"
        ))
    }
    // Fisher–Yates written out (not the standard library's shuffle, whose algorithm may change)
    // so the draw can be recomputed by any implementation from the seed.
    var shuffled = eligible
    for i in stride(from: shuffled.count - 1, to: 0, by: -1) {
      shuffled.swapAt(i, Int(generator.uniform(below: UInt64(i + 1))))
    }
    return Outcome(drawn: shuffled.prefix(count).map(\.committeeMember), recused: tied)
  }
}
