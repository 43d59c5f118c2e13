import Foundation
import ZhaocaiCrypto
import ZhaocaiDomain

/// Conversions between the API's schemas and the domain's values.
enum Views {
  static func terms(_ body: Components.Schemas.SectionTerms) -> SectionTerms {
    SectionTerms(
      sectionID: body.sectionID, name: body.name, estimate: Money(fen: body.estimateFen),
      priceCeiling: body.priceCeilingFen.map { Money(fen: $0) },
      bidBond: Money(fen: body.bidBondFen),
      procedure: Procedure(rawValue: body.procedure.rawValue) ?? .open,
      evaluationMethod: EvaluationMethod(rawValue: body.evaluationMethod.rawValue)
        ?? .comprehensiveScoring,
      industry: body.industry, region: body.region, stateFunded: body.stateFunded)
  }

  static func terms(_ terms: SectionTerms) -> Components.Schemas.SectionTerms {
    .init(
      sectionID: terms.sectionID, name: terms.name, estimateFen: terms.estimate.fen,
      priceCeilingFen: terms.priceCeiling?.fen, bidBondFen: terms.bidBond.fen,
      procedure: .init(rawValue: terms.procedure.rawValue)!,
      evaluationMethod: .init(rawValue: terms.evaluationMethod.rawValue)!, industry: terms.industry,
      region: terms.region, stateFunded: terms.stateFunded)
  }

  /// The notice's dates and key holders; each holder's key must be a valid key of its suite.
  static func schedule(_ body: Components.Schemas.TenderSchedule) throws -> TenderSchedule {
    let holders = try body.keyHolders.map { holder -> KeyHolder in
      guard let suite = CipherSuite(name: holder.suite.rawValue),
        let raw = Data(base64Encoded: holder.sealingKey),
        let key = try? SealingPublicKey(suite: suite, rawRepresentation: Array(raw))
      else {
        throw DomainError.invalid(
          "key holder \(holder.name) has no valid \(holder.suite.rawValue) sealing key")
      }
      return KeyHolder(
        name: holder.name, suite: holder.suite.rawValue, sealingKey: holder.sealingKey,
        keyID: key.keyID.hex)
    }
    return TenderSchedule(
      documentsIssuedAt: seconds(body.documentsIssuedAt), saleEndsAt: seconds(body.saleEndsAt),
      bidDeadline: seconds(body.bidDeadline), keyHolders: holders, threshold: body.threshold)
  }

  static func section(_ section: Section) -> Components.Schemas.SectionView {
    .init(
      terms: terms(section.terms), phase: section.phase.rawValue,
      pendingObjections: section.pendingObjections.map {
        .init(id: $0.id, raisedAt: date($0.raisedAt), answerDue: $0.answerDue.description)
      },
      schedule: section.schedule.map {
        .init(
          documentsIssuedAt: date($0.documentsIssuedAt), saleEndsAt: date($0.saleEndsAt),
          bidDeadline: date($0.bidDeadline),
          keyHolders: $0.keyHolders.map {
            .init(
              name: $0.name, suite: .init(rawValue: $0.suite) ?? .standard,
              sealingKey: $0.sealingKey, keyID: $0.keyID)
          },
          threshold: $0.threshold)
      },
      bids: section.bids.values.sorted { $0.bidder < $1.bidder }.map {
        .init(
          bidder: $0.bidder, envelopeHash: $0.envelopeHash, receivedAt: date($0.receivedAt),
          version: $0.version)
      })
  }

  /// The opening record: every bid's announced items and key, or why it could not be opened.
  static func openingRecord(_ section: Section) -> [Components.Schemas.OpeningEntry] {
    section.openingResults.keys.sorted().map { bidder in
      switch section.openingResults[bidder]! {
      case .opened(let items, let key):
        .init(
          bidder: bidder, outcome: .opened, priceFen: items.price.fen,
          durationDays: items.durationDays,
          quality: items.quality, warrantyMonths: items.warrantyMonths,
          projectManagerID: items.projectManagerID, bidKey: key)
      case .undecryptable(let outcome):
        .init(bidder: bidder, outcome: outcome == .revoked ? .revoked : .withdrawn)
      }
    }
  }

  static func receipt(_ receipt: Receipt) -> Components.Schemas.Receipt {
    .init(
      version: receipt.version, checkpoint: receipt.checkpoint, index: Int64(receipt.index),
      entry: .init(Array(receipt.entry)), proof: receipt.proof)
  }

  static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
  static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
}
