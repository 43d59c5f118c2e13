import Foundation
import OpenAPIRuntime
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

extension HubAPI {
  func getStatistics(_ input: Operations.getStatistics.Input) async throws
    -> Operations.getStatistics.Output
  {
    let dimension = StatisticsRepository.Dimension(rawValue: input.query.by?.rawValue ?? "region")!
    let groups = try await hub.store.transaction {
      try await StatisticsRepository.groups(by: dimension, on: $0)
    }
    // Counts are row counts (they fit); amounts are summed wide.
    let total = StatisticsRepository.Group(
      key: "total", tenders: groups.map(\.tenders).reduce(0, +),
      sections: groups.map(\.sections).reduce(0, +), bids: groups.map(\.bids).reduce(0, +),
      closedSections: groups.map(\.closedSections).reduce(0, +),
      estimateFen: groups.map(\.estimateFen).reduce(0, +),
      contractFen: groups.map(\.contractFen).reduce(0, +),
      contracts: groups.map(\.contracts).reduce(0, +))
    return .ok(
      .init(
        body: .json(
          .init(
            by: .init(rawValue: dimension.rawValue)!, groups: groups.map(Self.view),
            total: Self.view(total)))))
  }

  func getStatisticsChart(_ input: Operations.getStatisticsChart.Input) async throws
    -> Operations.getStatisticsChart.Output
  {
    let dimension = StatisticsRepository.Dimension(rawValue: input.query.by?.rawValue ?? "region")!
    let measure = MarketStatistics.Measure(rawValue: input.query.measure?.rawValue ?? "sections")!
    let groups = try await hub.store.transaction {
      try await StatisticsRepository.groups(by: dimension, on: $0)
    }
    let chart = BarChart(
      title: "\(measure.chinese)（按\(MarketStatistics.dimensionName(dimension))）",
      bars: groups.map { group in
        let value = measure.value(group)
        let caption =
          measure == .bidsPerSection
          ? String(format: "%.1f", value) : String(format: "%.0f", value)
        return (MarketStatistics.label(group.key, dimension), value, caption)
      })
    return .ok(.init(body: .image_svg_plus_xml(HTTPBody(chart.svg))))
  }

  static func view(_ group: StatisticsRepository.Group) -> Components.Schemas.StatisticsGroup {
    .init(
      key: group.key, tenders: group.tenders, sections: group.sections, bids: group.bids,
      bidsPerSection: group.closedSections == 0
        ? 0 : Double(group.bids) / Double(group.closedSections),
      estimateFen: Int64(clamping: group.estimateFen),
      contractFen: Int64(clamping: group.contractFen), contracts: group.contracts)
  }
}
