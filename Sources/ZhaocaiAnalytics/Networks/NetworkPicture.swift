import Foundation

/// The co-bidding network as an SVG picture: bidders on a circle, each group's members next to
/// each other and tinted alike, a line for each pair that met at least twice (thicker the more
/// often), cover bidders ringed. Labels are escaped; the picture is deterministic.
public enum NetworkPicture {
  public static func svg(
    _ network: CoBiddingNetwork, names: [String: String] = [:], size: Int = 720
  ) -> String {
    let grouped = network.groups.flatMap(\.bidders)
    let others = network.bidders.filter { !grouped.contains($0) }
    let order = grouped + others
    let centre = Double(size) / 2
    let radius = centre - 130
    var position: [String: (x: Double, y: Double)] = [:]
    for (index, bidder) in order.enumerated() {
      let angle = 2 * Double.pi * Double(index) / Double(max(order.count, 1)) - Double.pi / 2
      position[bidder] = (centre + radius * cos(angle), centre + radius * sin(angle))
    }
    let palette = ["#b8202a", "#0c3b7a", "#1b6e3a", "#8a5a00", "#6a1b9a", "#00796b"]
    var tint: [String: String] = [:]
    for (index, group) in network.groups.enumerated() {
      for bidder in group.bidders { tint[bidder] = palette[index % palette.count] }
    }
    let covers = Set(network.coverBidders.map(\.bidder))
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" width="\(size)" \
      height="\(size)" role="img" aria-label="co-bidding network">
      <rect width="100%" height="100%" fill="#ffffff"/>

      """
    for edge in network.edges where edge.tenders.count >= CoBiddingNetwork.minimumMeetings {
      guard let a = position[edge.bidders[0]], let b = position[edge.bidders[1]] else { continue }
      let width = min(1 + Double(edge.tenders.count), 8)
      out += String(
        format:
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#5b6776\" stroke-opacity=\"0.6\" stroke-width=\"%.0f\"><title>%@</title></line>\n",
        a.x, a.y, b.x, b.y, width,
        escape("\(edge.bidders.joined(separator: " – ")): \(edge.tenders.count)") as NSString)
    }
    for bidder in order {
      guard let p = position[bidder] else { continue }
      let fill = tint[bidder] ?? "#d8dee6"
      let ring =
        covers.contains(bidder)
        ? " stroke=\"#1d2733\" stroke-width=\"3\" stroke-dasharray=\"4 3\"" : ""
      let label = escape(names[bidder] ?? bidder)
      let anchor = p.x < centre - 1 ? "end" : p.x > centre + 1 ? "start" : "middle"
      let dx = anchor == "end" ? -14.0 : anchor == "start" ? 14.0 : 0
      out += String(
        format:
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"10\" fill=\"%@\"%@><title>%@</title></circle>\n",
        p.x, p.y, fill as NSString, ring as NSString, escape(bidder) as NSString)
      out += String(
        format:
          "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"%@\" font-family=\"Noto Sans CJK SC, sans-serif\">%@</text>\n",
        p.x + dx, p.y + (anchor != "middle" ? 4 : p.y < centre ? -16 : 26), anchor as NSString,
        label as NSString)
    }
    return out + "</svg>\n"
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
