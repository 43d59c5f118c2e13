import Foundation
import ZhaocaiStore

/// 统一发布 as the API and the portal read it: notices matching a query, with the endpoint of each
/// platform they came from, answered from the last commit's cache when asked again.
extension PublicServiceHub {
  func notices(_ query: HubNoticeRepository.Query) async throws -> (
    found: [HubNoticeRepository.Entry], platforms: [String: HubRepository.Platform]
  ) {
    let (found, platforms) = try await searches.value(query.key, on: store) { database in
      (
        try await HubNoticeRepository.search(query, on: database),
        try await HubRepository.all(on: database)
      )
    }
    return (found, Dictionary(platforms.map { ($0.id, $0) }) { first, _ in first })
  }
}
