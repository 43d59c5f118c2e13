import Foundation

/// A horizontal bar chart as standalone SVG: one bar per group, labelled in the page's language
/// (the labels and title are escaped, so any text is safe to show).
struct BarChart {
  let title: String
  let bars: [(label: String, value: Double, caption: String)]

  static let width = 720.0
  static let rowHeight = 28.0
  static let labelWidth = 180.0
  static let top = 48.0

  var svg: String {
    let height = Self.top + Double(max(bars.count, 1)) * Self.rowHeight + 24
    let largest = bars.map(\.value).max() ?? 0
    let span = Self.width - Self.labelWidth - 140
    var lines = [
      #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(Self.width))" height="\#(Int(height))" viewBox="0 0 \#(Int(Self.width)) \#(Int(height))" font-family="'Noto Sans CJK SC', 'PingFang SC', sans-serif" font-size="13">"#,
      #"<title>\#(Self.escaped(title))</title>"#,
      #"<text x="16" y="28" font-size="16" font-weight="bold">\#(Self.escaped(title))</text>"#,
    ]
    if bars.isEmpty {
      lines.append(#"<text x="16" y="\#(Int(Self.top + 18))">暂无数据 no data</text>"#)
    }
    for (index, bar) in bars.enumerated() {
      let y = Self.top + Double(index) * Self.rowHeight
      let length = largest > 0 ? max(1, span * bar.value / largest) : 1
      lines.append(
        #"<text x="\#(Int(Self.labelWidth - 8))" y="\#(Int(y + 18))" text-anchor="end">\#(Self.escaped(bar.label))</text>"#
      )
      lines.append(
        ##"<rect class="bar" x="\##(Int(Self.labelWidth))" y="\##(Int(y + 4))" width="\##(String(format: "%.1f", length))" height="\##(Int(Self.rowHeight - 8))" fill="#c0392b"><title>\##(Self.escaped(bar.caption))</title></rect>"##
      )
      lines.append(
        #"<text x="\#(Int(Self.labelWidth + length + 6))" y="\#(Int(y + 18))">\#(Self.escaped(bar.caption))</text>"#
      )
    }
    lines.append("</svg>")
    return lines.joined(separator: "\n") + "\n"
  }

  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
