import Testing

@testable import ZhaocaiAnalytics

/// Groups that bid together and take turns winning, cover bidders, bidders loyal to one
/// tenderer, and the picture of it all.
@Suite struct CoBiddingNetworkTests {
  typealias Tender = CoBiddingNetwork.Tender
  static let tenders = [
    Tender(id: "T1", tenderer: "P", bidders: ["A", "B", "C"], winner: "A"),
    Tender(id: "T2", tenderer: "Q", bidders: ["A", "B", "C"], winner: "B"),
    Tender(id: "T3", tenderer: "P", bidders: ["B", "C", "A"], winner: "C"),
    Tender(id: "T4", tenderer: "R", bidders: ["A", "B", "C", "H"], winner: "A"),
    Tender(id: "T5", tenderer: "S", bidders: ["D", "E", "F"], winner: "E"),
    Tender(id: "T6", tenderer: "T", bidders: ["D", "E", "F"], winner: "F"),
    Tender(id: "T7", tenderer: "U", bidders: ["D", "E", "F"], winner: "E"),
    Tender(id: "T8", tenderer: "X", bidders: ["G", "H"], winner: "G"),
    Tender(id: "T9", tenderer: "X", bidders: ["G", "I"], winner: "I"),
    Tender(id: "T10", tenderer: "X", bidders: ["G", "J"]),
  ]

  @Test func groupsThatBidTogetherAndTakeTurnsWinning() {
    let network = CoBiddingNetwork(Self.tenders)
    #expect(network.groups.map(\.bidders) == [["A", "B", "C"], ["D", "E", "F"]])
    let first = network.groups[0]
    #expect(first.tenders == ["T1", "T2", "T3", "T4"])
    #expect(first.winners == ["T1": "A", "T2": "B", "T3": "C", "T4": "A"] && first.rotates)
    #expect(network.groups[1].rotates)
    #expect(network.edges.first?.bidders == ["A", "B"] && network.edges.first?.tenders.count == 4)
  }

  @Test func oneBidderWinningEverythingIsNoRotation() {
    let network = CoBiddingNetwork(
      (1...4).map { Tender(id: "T\($0)", tenderer: "P\($0)", bidders: ["A", "B"], winner: "A") })
    #expect(network.groups.map(\.bidders) == [["A", "B"]])
    #expect(!network.groups[0].rotates)
    #expect(network.coverBidders.map(\.bidder) == ["B"])
  }

  @Test func coverBiddersAndBiddersLoyalToOneTenderer() {
    let network = CoBiddingNetwork(Self.tenders)
    #expect(network.coverBidders.map(\.bidder) == ["D"])
    #expect(network.coverBidders[0].tenders == ["T5", "T6", "T7"])
    #expect(network.loyalBidders.map(\.bidder) == ["G"] && network.loyalBidders[0].tenderer == "X")
    // A bid in a tender not yet decided is no loss: G has two decided tenders and won one.
    #expect(!network.coverBidders.contains { $0.bidder == "G" })
  }

  @Test func thePictureDrawsEachFrequentPairAndEscapesNames() {
    let network = CoBiddingNetwork(Self.tenders)
    let svg = NetworkPicture.svg(network, names: ["A": "<script>甲&乙</script>"])
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.components(separatedBy: "<line ").count - 1 == 6)
    #expect(svg.contains("&lt;script&gt;甲&amp;乙&lt;/script&gt;") && !svg.contains("<script>"))
    #expect(svg.contains("stroke-dasharray"))  // D, the cover bidder
    #expect(NetworkPicture.svg(network) == NetworkPicture.svg(CoBiddingNetwork(Self.tenders)))
  }
}
