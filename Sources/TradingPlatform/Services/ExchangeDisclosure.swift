import Foundation
import ZhaocaiDomain
import ZhaocaiExchange
import ZhaocaiStore

/// What a receiver learns of each log entry (docs/EXCHANGE.md). The hub gets the section events
/// of the public record and the notices; the supervision platform the events supervision needs
/// (`SectionEvent.isSupervised`) and the notices. Neither learns who acted or from where, and any
/// other entry reaches them only as a `withheld` message, which keeps the sequence gapless and
/// says nothing but that an entry exists (as the checkpoint's size already does).
enum ExchangeDisclosure {
  static let withheld = "withheld"

  /// Who receives the messages.
  enum Audience: Sendable {
    case hub
    case supervision

    func discloses(_ event: SectionEvent) -> Bool {
      switch self {
      case .hub: event.isPublicRecord
      case .supervision: event.isSupervised
      }
    }
  }

  /// The kind and payload `audience` receives for an outbox row.
  static func message(topic: String, payload: String, to audience: Audience) -> (
    kind: String, payload: String
  ) {
    let decoder = JSONDecoder()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    switch topic {
    case "section.event":
      if let logged = try? decoder.decode(LoggedEvent.self, from: Data(payload.utf8)),
        audience.discloses(logged.event),
        let redacted = try? encoder.encode(
          LoggedEvent(
            section: logged.section, at: logged.at, event: logged.event, by: nil,
            terms: logged.terms))
      {
        return (topic, String(decoding: redacted, as: UTF8.self))
      }
    case "notice.published":
      if let logged = try? decoder.decode(LoggedNotice.self, from: Data(payload.utf8)),
        let redacted = try? encoder.encode(
          LoggedNotice(
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
