/// The committee and candidate rules of the evaluation.
public enum EvaluationRules {
  /// 法37: 5 or more members, an odd number, at least two thirds of them experts.
  public static func checkCommittee(members: Int, experts: Int) throws(RuleViolation) {
    guard members >= 5, members % 2 == 1 else {
      throw RuleViolation(
        Rules.committeeComposition, "\(members) members: at least 5 and an odd number are needed")
    }
    guard experts <= members, experts * 3 >= members * 2 else {
      throw RuleViolation(
        Rules.committeeComposition, "\(experts) experts of \(members) members is under two thirds")
    }
  }

  /// 条例48: the evaluation is extended when more than a third of the committee asks.
  public static func mustExtend(asking: Int, members: Int) -> Bool {
    asking * 3 > members
  }

  /// 条例53: one to three candidates, each ranked once.
  public static func checkCandidates(ranks: [Int]) throws(RuleViolation) {
    guard (1...3).contains(ranks.count) else {
      throw RuleViolation(
        Rules.maximumThreeCandidates, "\(ranks.count) candidates: between 1 and 3 are allowed")
    }
    guard ranks.sorted() == Array(1...ranks.count) else {
      throw RuleViolation(
        Rules.maximumThreeCandidates, "candidates must be ranked 1, 2, 3 in order")
    }
  }

  /// 条例55: for a state-funded project the award goes to the first-ranked candidate unless it
  /// gave up, cannot perform or failed the bond (`excusedHigherRanks`).
  public static func checkAward(
    rank: Int, stateFunded: Bool, excusedHigherRanks: Set<Int>
  ) throws(RuleViolation) {
    guard stateFunded else { return }
    let skipped = Set(1..<rank)
    guard skipped.isSubset(of: excusedHigherRanks) else {
      throw RuleViolation(
        Rules.firstCandidateWins,
        "candidate \(rank) cannot win while a higher-ranked candidate stands")
    }
  }
}

/// The rules of receiving and opening sealed bids.
public enum OpeningRules {
  /// 办法27: a bid is received only before the deadline.
  public static func checkSubmission(at instant: Int64, deadline: Int64) throws(RuleViolation) {
    guard instant < deadline else {
      throw RuleViolation(Rules.lateBidRefused, "the bid deadline has passed")
    }
  }

  /// 办法28: no share is released and no bid decrypted before the deadline.
  public static func checkDecryptionAllowed(at instant: Int64, deadline: Int64)
    throws(RuleViolation)
  {
    guard instant >= deadline else {
      throw RuleViolation(Rules.noDecryptionBeforeDeadline, "the bid deadline has not come yet")
    }
  }

  /// 条例44: the bids are opened only if at least 3 were received.
  public static func checkEnoughBids(_ count: Int) throws(RuleViolation) {
    guard count >= 3 else {
      throw RuleViolation(
        Rules.minimumThreeBids, "\(count) bid(s) received: the section fails and is re-tendered")
    }
  }

  /// Who made a bid undecryptable.
  public enum DecryptionFault: String, Codable, Sendable {
    case bidder
    case others
  }

  /// What an undecryptable bid becomes (办法31).
  public enum UndecryptableOutcome: String, Codable, Sendable, Equatable {
    /// 撤销: the bond may be kept.
    case revoked
    /// 撤回: the bidder may claim its losses from whoever was at fault.
    case withdrawn
  }

  public static func outcome(ofUndecryptableBid fault: DecryptionFault) -> UndecryptableOutcome {
    fault == .bidder ? .revoked : .withdrawn
  }
}

/// Identifier rules.
public enum PartyRules {
  /// GB 32100: a party's unified social credit code must be well-formed.
  public static func checkCreditCode(_ text: String) throws(RuleViolation) -> CreditCode {
    do {
      return try CreditCode(text)
    } catch {
      throw RuleViolation(Rules.creditCodeValid, "'\(text)' is not a valid credit code: \(error)")
    }
  }
}
