import Testing

@testable import PublicServiceHub

/// The statistics chart is well-formed SVG whatever its labels hold.
@Suite struct BarChartTests {
  @Test func labelsAreEscapedAndBarsScaleToTheLargest() {
    let svg = BarChart(
      title: "标段数 <按地区>",
      bars: [("350100 & \"福州\"", 4, "4"), ("<script>", 2, "2")]
    ).svg
    #expect(!svg.contains("<script>"))
    #expect(svg.contains("&lt;script&gt;"))
    #expect(svg.contains("350100 &amp; &quot;福州&quot;"))
    // The largest bar spans the plot (400 px); half the value, half the length.
    #expect(svg.contains(#"width="400.0""#))
    #expect(svg.contains(#"width="200.0""#))
    #expect(BarChart(title: "空", bars: []).svg.contains("暂无数据"))
  }
}
