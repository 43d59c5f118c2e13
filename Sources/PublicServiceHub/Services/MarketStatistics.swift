import Foundation
import OpenAPIRuntime
import SQLKit
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// 市场统计: tenders, sections, bids per section and amounts by region, industry or month, kept
/// from the public record as it arrives, served as JSON and as SVG charts.
enum MarketStatistics {
  /// Updates the figures with one public section event of `platform`.
  static func ingest(
    _ logged: LoggedEvent, from platform: String, on database: any SQLDatabase
  ) async throws {
    switch logged.event {
    case .published(let schedule, _):
      guard let terms = logged.terms else { return }
      try await StatisticsRepository.published(
        platform: platform, section: logged.section, project: terms.project ?? terms.sectionID,
        region: terms.region, industry: terms.industry,
        month: String(LegalDate(instant: schedule.documentsIssuedAt).description.prefix(7)),
        estimateFen: terms.estimate.fen, on: database)
    case .biddingClosed(_, let bids):
      try await StatisticsRepository.biddingClosed(
        platform: platform, section: logged.section, bids: bids, on: database)
    case .contractSigned(_, let price, _):
      try await StatisticsRepository.contractSigned(
        platform: platform, section: logged.section, priceFen: price.fen, on: database)
    default:
      break
    }
  }

  /// What a chart can show of each group.
  enum Measure: String, CaseIterable {
    case tenders, sections, bids, bidsPerSection, estimateYuan, contractYuan

    var chinese: String {
      switch self {
      case .tenders: "招标项目数"
      case .sections: "标段数"
      case .bids: "投标数"
      case .bidsPerSection: "平均每标段投标数"
      case .estimateYuan: "估算金额（元）"
      case .contractYuan: "合同金额（元）"
      }
    }

    func value(_ group: StatisticsRepository.Group) -> Double {
      switch self {
      case .tenders: Double(group.tenders)
      case .sections: Double(group.sections)
      case .bids: Double(group.bids)
      case .bidsPerSection:
        group.closedSections == 0 ? 0 : Double(group.bids) / Double(group.closedSections)
      case .estimateYuan: Double(group.estimateFen) / 100
      case .contractYuan: Double(group.contractFen) / 100
      }
    }
  }

  /// A group's key as people read it: a region by its name.
  static func label(_ key: String, _ dimension: StatisticsRepository.Dimension) -> String {
    dimension == .region ? RegionNames.name(of: key) : key
  }

  static func dimensionName(_ dimension: StatisticsRepository.Dimension) -> String {
    switch dimension {
    case .region: "地区"
    case .industry: "行业"
    case .month: "月份"
    }
  }
}
