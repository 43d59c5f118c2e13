/// The committee and candidate rules of the evaluation.
public enum EvaluationRules {
  /// 法37: 5 or more members, an odd number, at least two thirds of them experts.
  public static func checkCommittee(members: Int, experts: Int) throws(RuleViolation) {
    guard members >= 5, members % 2 == 1 else {
      throw RuleViolation(
        Rules.committeeComposition, "\(members) members: at least 5 and an odd number are needed",
        chinese: "评标委员会成员\(members)人；应当为5人以上单数")
    }
    guard experts <= members, experts * 3 >= members * 2 else {
      throw RuleViolation(
        Rules.committeeComposition, "\(experts) experts of \(members) members is under two thirds",
        chinese: "成员\(members)人中专家\(experts)人，不足三分之二")
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
        Rules.maximumThreeCandidates, "\(ranks.count) candidates: between 1 and 3 are allowed",
        chinese: "中标候选人\(ranks.count)个；应当为1至3个")
    }
    guard ranks.sorted() == Array(1...ranks.count) else {
      throw RuleViolation(
        Rules.maximumThreeCandidates, "candidates must be ranked 1, 2, 3 in order",
        chinese: "中标候选人应当依次排序为第1、2、3名")
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
        "candidate \(rank) cannot win while a higher-ranked candidate stands",
        chinese: "排名在前的中标候选人仍有效，不得确定排名第\(rank)的候选人为中标人")
    }
  }
}

/// The rules of receiving and opening sealed bids.
public enum OpeningRules {
  /// 办法27: a bid is received only before the deadline.
  public static func checkSubmission(at instant: Int64, deadline: Int64) throws(RuleViolation) {
    guard instant < deadline else {
      throw RuleViolation(
        Rules.lateBidRefused, "the bid deadline has passed", chinese: "投标截止时间已过")
    }
  }

  /// 办法28: no share is released and no bid decrypted before the deadline.
  public static func checkDecryptionAllowed(at instant: Int64, deadline: Int64)
    throws(RuleViolation)
  {
    guard instant >= deadline else {
      throw RuleViolation(
        Rules.noDecryptionBeforeDeadline, "the bid deadline has not come yet",
        chinese: "投标截止时间尚未到达")
    }
  }

  /// 条例44: the bids are opened only if at least 3 were received.
  public static func checkEnoughBids(_ count: Int) throws(RuleViolation) {
    guard count >= 3 else {
      throw RuleViolation(
        Rules.minimumThreeBids, "\(count) bid(s) received: the section fails and is re-tendered",
        chinese: "仅收到投标文件\(count)份：本标段招标失败，应当重新招标")
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
      let why =
        switch error {
        case .wrongLength(let count): "长度为\(count)位，应为18位"
        case .invalidCharacter(let character): "含有不允许的字符“\(character)”"
        case .wrongCheckCharacter(let expected, let found): "校验码应为\(expected)，实为\(found)"
        }
      throw RuleViolation(
        Rules.creditCodeValid, "'\(text)' is not a valid credit code: \(error)",
        chinese: "“\(text)”不是有效的统一社会信用代码：\(why)")
    }
  }
}
