import Foundation
import ZhaocaiCrypto
import ZhaocaiDomain
import ZhaocaiStore

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
      industry: body.industry, region: body.region, stateFunded: body.stateFunded,
      project: body.project,
      criteria: (body.criteria ?? []).map {
        Criterion(
          name: $0.name, maxPoints: $0.maxPoints, fromCredit: $0.fromCredit ?? false,
          priceFormula: $0.priceFormula.map {
            PriceFormula(
              discount: $0.discount, deductionAbove: $0.deductionAbove,
              deductionBelow: $0.deductionBelow)
          })
      }, bondGuaranteeAccepted: body.bondGuaranteeAccepted == true ? true : nil)
  }

  static func terms(_ terms: SectionTerms) -> Components.Schemas.SectionTerms {
    .init(
      sectionID: terms.sectionID, name: terms.name, estimateFen: terms.estimate.fen,
      priceCeilingFen: terms.priceCeiling?.fen, bidBondFen: terms.bidBond.fen,
      procedure: .init(rawValue: terms.procedure.rawValue)!,
      evaluationMethod: .init(rawValue: terms.evaluationMethod.rawValue)!, industry: terms.industry,
      region: terms.region, stateFunded: terms.stateFunded, tenderer: terms.tenderer,
      agency: terms.agency, project: terms.project,
      criteria: terms.criteria.isEmpty
        ? nil
        : terms.criteria.map {
          .init(
            name: $0.name, maxPoints: $0.maxPoints, fromCredit: $0.fromCredit ? true : nil,
            priceFormula: $0.priceFormula.map {
              .init(
                discount: $0.discount, deductionAbove: $0.deductionAbove,
                deductionBelow: $0.deductionBelow)
            })
        }, bondGuaranteeAccepted: terms.bondGuaranteeAccepted)
  }

  /// The notice's dates and key holders; each holder's key must be a valid key of its suite.
  static func schedule(_ body: Components.Schemas.TenderSchedule) throws -> TenderSchedule {
    let holders = try body.keyHolders.map { holder -> KeyHolder in
      guard let suite = CipherSuite(name: holder.suite.rawValue),
        let raw = Data(base64Encoded: holder.sealingKey),
        let key = try? SealingPublicKey(suite: suite, rawRepresentation: Array(raw))
      else {
        throw DomainError.invalid(
          "key holder \(holder.name) has no valid \(holder.suite.rawValue) sealing key",
          chinese: "密钥持有人\(holder.name)未提供有效的\(holder.suite.rawValue)密封公钥")
      }
      return KeyHolder(
        name: holder.name, suite: holder.suite.rawValue, sealingKey: holder.sealingKey,
        keyID: key.keyID.hex)
    }
    var schedule = TenderSchedule(
      // Replaced by the publication's own time (`Section.publish`); any value sent is ignored.
      documentsIssuedAt: 0, saleEndsAt: seconds(body.saleEndsAt),
      bidDeadline: seconds(body.bidDeadline), keyHolders: holders, threshold: body.threshold)
    schedule.invited = body.invited ?? []
    schedule.applicationDeadline = body.applicationDeadline.map(seconds)
    return schedule
  }

  /// The section as `caller` may see it: before the opening nobody sees who else bid (法22);
  /// bonds go to the tenderer and to each bidder its own; committee names wait for the result
  /// notice (法37).
  static func summary(_ section: Section, for caller: Caller) -> Components.Schemas.SectionSummary {
    let terms = section.terms
    let party = caller.account?.role == .bidder ? caller.account?.creditCode : nil
    return .init(
      sectionID: terms.sectionID, name: terms.name, project: terms.project,
      phase: section.phase.rawValue, procedure: .init(rawValue: terms.procedure.rawValue)!,
      estimateFen: terms.estimate.fen, bidBondFen: terms.bidBond.fen, region: terms.region,
      industry: terms.industry, tenderer: terms.tenderer,
      saleEndsAt: section.schedule.map { date($0.saleEndsAt) },
      bidDeadline: section.schedule.map { date($0.bidDeadline) },
      suspended: section.suspendingOrder != nil,
      myBid: party.flatMap { section.bids[$0]?.envelopeHash })
  }

  static func section(_ section: Section, for caller: Caller) -> Components.Schemas.SectionView {
    let manages = caller.manages(section)
    let party = caller.account?.role == .bidder ? caller.account?.creditCode : nil
    let sealed = section.phase == .draft || section.phase == .bidding
    let visibleBids = section.bids.values.filter { !sealed || $0.bidder == party }
    let isMember =
      section.evaluation?.members.contains { $0.id == caller.account?.id } ?? false
    return .init(
      terms: terms(section.terms), phase: section.phase.rawValue,
      suspendingOrder: section.suspendingOrder,
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
          threshold: $0.threshold, invited: $0.invited.isEmpty ? nil : $0.invited,
          applicationDeadline: $0.applicationDeadline.map(date))
      },
      releasedHolders: section.releasedHolders,
      openingConfirmations: section.openingConfirmations.sorted(),
      evaluation: section.evaluation.map {
        evaluation(
          $0, names: section.award != nil || isMember, leader: isMember,
          progress: manages || isMember || section.phase != .evaluation)
      },
      award: section.award.map(award),
      bonds: section.bonds.filter { (manages && !sealed) || $0.key == party }.sorted {
        $0.key < $1.key
      }.map {
        bond(bidder: $0.key, $0.value)
      },
      publicityEndsAt: section.schedule?.publicityEndsAt.map(date),
      bids: visibleBids.sorted { $0.bidder < $1.bidder }.map {
        .init(
          bidder: $0.bidder, envelopeHash: $0.envelopeHash, receivedAt: date($0.receivedAt),
          version: $0.version)
      })
  }

  /// Progress (marks in, rejections, candidates) only for the committee and the tenderer until
  /// the candidates are publicised; names only once the result notice is out.
  /// The committee's own members see each other's names and the leader's, to elect and work
  /// with them; a return's reason is progress.
  static func evaluation(_ state: EvaluationState, names: Bool, leader: Bool, progress: Bool)
    -> Components.Schemas.EvaluationView
  {
    .init(
      members: state.members.count, experts: state.members.count { $0.isExpert },
      memberNames: names ? state.members.map(\.id) : nil,
      checkedIn: progress ? state.checkedIn.count : 0,
      leader: leader ? state.leader : nil,
      leaderElected: progress ? state.leader != nil : nil,
      stage: progress ? state.stage.flatMap { .init(rawValue: $0.rawValue) } : nil,
      stagesDone: progress ? state.stagesDone : nil,
      vacancies: progress ? state.vacancies : nil,
      concluded: progress ? state.concluded.count : 0,
      returns: progress
        ? state.returns.map {
          .init(
            from: $0.from.flatMap { .init(rawValue: $0.rawValue) },
            to: .init(rawValue: $0.to.rawValue) ?? .qualification, reason: $0.reason,
            at: date($0.at))
        } : [],
      scored: progress ? state.sheets.count : 0, extended: state.extended,
      rejected: progress ? state.rejected.sorted() : [],
      candidates: progress ? state.candidates : [])
  }

  static func award(_ award: AwardState) -> Components.Schemas.AwardView {
    .init(
      bidder: award.bidder, awardedAt: date(award.awardedAt),
      contractDue: award.contractDue.description, reportDue: award.reportDue.description,
      contractSignedAt: award.contractSignedAt.map(date),
      reportFiledAt: award.reportFiledAt.map(date), missed: award.missed.sorted())
  }

  static func bond(bidder: String, _ bond: BidBond) -> Components.Schemas.BondView {
    .init(
      bidder: bidder, amountFen: bond.amount.fen, payingAccount: bond.payingAccount,
      guaranteeIssuer: bond.guarantee?.issuer, guaranteeNumber: bond.guarantee?.number,
      paidAt: date(bond.paidAt), refundDue: bond.refundDue?.description,
      refundedAt: bond.refundedAt.map(date))
  }

  static func document(_ version: DocumentRepository.Version, notified: Int?)
    -> Components.Schemas.DocumentVersion
  {
    .init(
      version: version.version, name: version.name, hash: version.hash, size: version.size,
      uploadedAt: date(version.uploadedAt), notified: notified)
  }

  static func account(_ account: Account) -> Components.Schemas.AccountView {
    .init(
      id: account.id, role: account.role.rawValue, name: account.name,
      creditCode: account.creditCode,
      specialities: account.specialities.isEmpty ? nil : account.specialities)
  }

  /// A bidder's signature key must be a valid public key of its algorithm.
  static func checkSigningKey(_ account: Account) throws {
    guard let name = account.signatureAlgorithm, let algorithm = SignatureAlgorithm(name: name),
      let raw = account.signingKey.flatMap({ Data(base64Encoded: $0) }),
      (try? VerifyingKey(algorithm: algorithm, rawRepresentation: Array(raw))) != nil
    else {
      throw DomainError.invalid(
        "the signing key is not a valid public key of its algorithm",
        chinese: "签名公钥不是所注明签名算法的有效公钥")
    }
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

  static func collusionFinding(_ finding: CollusionFinding) -> Components.Schemas.CollusionFinding {
    .init(
      sign: .init(rawValue: finding.sign.rawValue) ?? .samePreparer, code: finding.sign.rule.code,
      article: finding.sign.rule.article, bidders: finding.bidders,
      strength: .init(rawValue: finding.strength.rawValue) ?? .weak,
      evidence: finding.evidence.map {
        .init(field: $0.field, values: $0.values, files: $0.files)
      })
  }

  static func receipt(_ receipt: Receipt) -> Components.Schemas.Receipt {
    .init(
      version: receipt.version, checkpoint: receipt.checkpoint, index: Int64(receipt.index),
      entry: .init(Array(receipt.entry)), proof: receipt.proof)
  }

  static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
  static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
}
