/// The bidder graph over many tenders: who bids with whom and how often, the groups that bid
/// together, winners rotating inside a group, cover bidders that bid often and never win, and
/// bidders that only ever bid for one tenderer or agency. Each pattern keeps its evidence (the
/// tenders); like every screen it points at tenders to look at, it proves nothing.
public struct CoBiddingNetwork: Sendable, Equatable {
  /// One tender as the network needs it: its bidders (those opened or named at the opening),
  /// who ran it, and who won, once known.
  public struct Tender: Sendable, Equatable {
    public var id: String
    public var tenderer: String
    public var bidders: [String]
    public var winner: String?

    public init(id: String, tenderer: String, bidders: [String], winner: String? = nil) {
      self.id = id
      self.tenderer = tenderer
      self.bidders = bidders
      self.winner = winner
    }
  }

  /// Two bidders and the tenders they both bid in.
  public struct Edge: Sendable, Equatable {
    public var bidders: [String]
    public var tenders: [String]
  }

  /// Bidders that bid together again and again: every member met every other in at least
  /// `minimumMeetings` tenders, and the wins among their shared tenders.
  public struct Group: Sendable, Equatable {
    public var bidders: [String]
    public var tenders: [String]
    /// The winner of each shared tender that has one, by tender.
    public var winners: [String: String]
    /// Two or more members won the shared tenders in turn, none of them most of them.
    public var rotates: Bool
  }

  /// A bidder with its evidence: the tenders it bid in.
  public struct Bidder: Sendable, Equatable {
    public var bidder: String
    public var tenders: [String]
    /// For a loyal bidder, the one tenderer or agency.
    public var tenderer: String?
  }

  public static let minimumMeetings = 2
  /// Bids, none won, that make a cover bidder; bids all for one tenderer that make a loyal one.
  public static let coverBids = 3
  public static let loyalBids = 3

  public let bidders: [String]
  public let edges: [Edge]
  public let groups: [Group]
  public let coverBidders: [Bidder]
  public let loyalBidders: [Bidder]

  public init(_ tenders: [Tender]) {
    var bidsOf: [String: [Tender]] = [:]
    var meetings: [[String]: [String]] = [:]
    for tender in tenders.sorted(by: { $0.id < $1.id }) {
      let present = Array(Set(tender.bidders)).sorted()
      for bidder in present { bidsOf[bidder, default: []].append(tender) }
      for i in present.indices {
        for j in present.indices where j > i {
          meetings[[present[i], present[j]], default: []].append(tender.id)
        }
      }
    }
    bidders = bidsOf.keys.sorted()
    edges = meetings.map { Edge(bidders: $0.key, tenders: $0.value) }
      .sorted {
        $0.tenders.count != $1.tenders.count
          ? $0.tenders.count > $1.tenders.count
          : $0.bidders.lexicographicallyPrecedes($1.bidders)
      }
    let strong = edges.filter { $0.tenders.count >= Self.minimumMeetings }
    groups = Self.groups(strong, tenders: tenders)
    coverBidders = bidsOf.keys.sorted().compactMap { bidder in
      let bids = bidsOf[bidder] ?? []
      let decided = bids.filter { $0.winner != nil }
      guard decided.count >= Self.coverBids, !decided.contains(where: { $0.winner == bidder })
      else { return nil }
      return Bidder(bidder: bidder, tenders: decided.map(\.id))
    }
    loyalBidders = bidsOf.keys.sorted().compactMap { bidder in
      let bids = bidsOf[bidder] ?? []
      let tenderers = Set(bids.map(\.tenderer))
      guard bids.count >= Self.loyalBids, tenderers.count == 1, let only = tenderers.first,
        !only.isEmpty
      else { return nil }
      return Bidder(bidder: bidder, tenders: bids.map(\.id), tenderer: only)
    }
  }

  /// Cliques of the frequent-meeting graph grown greedily from its heaviest edges: a member
  /// joins only if it met every member already in, so a group is bidders that all bid together.
  private static func groups(_ strong: [Edge], tenders: [Tender]) -> [Group] {
    var neighbours: [String: Set<String>] = [:]
    for edge in strong {
      neighbours[edge.bidders[0], default: []].insert(edge.bidders[1])
      neighbours[edge.bidders[1], default: []].insert(edge.bidders[0])
    }
    var placed: Set<String> = []
    var groups: [Group] = []
    for edge in strong where !placed.contains(edge.bidders[0]) && !placed.contains(edge.bidders[1])
    {
      var members = Set(edge.bidders)
      let candidates = (neighbours[edge.bidders[0]] ?? []).intersection(
        neighbours[edge.bidders[1]] ?? []
      ).subtracting(placed).sorted()
      for candidate in candidates
      where members.isSubset(of: neighbours[candidate] ?? []) {
        members.insert(candidate)
      }
      placed.formUnion(members)
      // The tenders at least two members shared, and who won them.
      let shared = tenders.filter { Set($0.bidders).intersection(members).count >= 2 }
        .sorted { $0.id < $1.id }
      var winners: [String: String] = [:]
      for tender in shared {
        if let winner = tender.winner, members.contains(winner) { winners[tender.id] = winner }
      }
      let counts = Dictionary(grouping: winners.values, by: { $0 }).mapValues(\.count)
      let rotates =
        counts.count >= 2 && (counts.values.max() ?? 0) * 2 <= winners.count + 1
      groups.append(
        Group(
          bidders: members.sorted(), tenders: shared.map(\.id), winners: winners,
          rotates: rotates))
    }
    return groups
  }
}
