import Foundation
import ZhaocaiDomain
import ZhaocaiStore

/// What the hub learns of each log entry (docs/EXCHANGE.md): section events of the public record
/// and the notices, without who did them or from where; any other entry only as a `withheld`
/// message, which keeps the sequence gapless and says nothing but that an entry exists (as the
/// checkpoint's size already does).
enum HubDisclosure {
  static let withheld = "withheld"

  /// The kind and payload the hub receives for an outbox row.
  static func message(topic: String, payload: String) -> (kind: String, payload: String) {
    let decoder = JSONDecoder()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    switch topic {
    case "section.event":
      if let logged = try? decoder.decode(SectionStore.LoggedEvent.self, from: Data(payload.utf8)),
        logged.event.isPublicRecord,
        let redacted = try? encoder.encode(
          SectionStore.LoggedEvent(
            section: logged.section, at: logged.at, event: logged.event, by: nil,
            terms: logged.terms))
      {
        return (topic, String(decoding: redacted, as: UTF8.self))
      }
    case "notice.published":
      if let logged = try? decoder.decode(SectionStore.LoggedNotice.self, from: Data(payload.utf8)),
        let redacted = try? encoder.encode(
          SectionStore.LoggedNotice(
            section: logged.section, at: logged.at, notice: logged.notice, region: logged.region,
            industry: logged.industry, by: nil))
      {
        return (topic, String(decoding: redacted, as: UTF8.self))
      }
    default:
      break
    }
    return (withheld, "{}")
  }
}
