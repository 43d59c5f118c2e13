import ZhaocaiDomain

/// A section's logged event as a sentence a person reads on a timeline (not its JSON): what
/// happened, to whom, with amounts in yuan and times in Beijing time.
public enum EventWords {
  public static func sentence(_ event: SectionEvent, in language: PageLanguage) -> String {
    let (chinese, english) = words(event)
    return language == .zh ? chinese : english
  }

  static func words(_ event: SectionEvent) -> (String, String) {
    func time(_ at: Int64) -> String { PageFormat.time(at) }
    switch event {
    case .drafted(let terms):
      return ("起草标段「\(terms.name)」", "Section \"\(terms.name)\" drafted")
    case .published(let schedule, _):
      return (
        "发布招标公告；投标截止（开标）时间 \(time(schedule.bidDeadline))",
        "Tender notice published; bids close (opening) at \(time(schedule.bidDeadline))"
      )
    case .documentsIssued(let version, _, _):
      return ("发出招标文件（第\(version)版）", "Tender documents issued (version \(version))")
    case .documentsDownloaded(let party, let version, _):
      return (
        "\(party) 获取招标文件（第\(version)版）", "\(party) obtained the documents (version \(version))"
      )
    case .appliedForPrequalification(let party, _):
      return ("\(party) 申请资格预审", "\(party) applied for prequalification")
    case .prequalified(let parties, _):
      return ("资格预审通过 \(parties.count) 家", "\(parties.count) parties prequalified")
    case .amended(let number, _, let deadline, let movedFrom, _):
      return movedFrom == nil
        ? ("发布第\(number)号澄清与修改", "Clarification or amendment no. \(number) published")
        : (
          "发布第\(number)号澄清与修改，投标截止时间顺延至 \(time(deadline))",
          "Amendment no. \(number) published; the bid deadline moves to \(time(deadline))"
        )
    case .objectionRaised(let id, _, let due):
      return ("收到异议 \(id)，应于 \(due) 前答复", "Objection \(id) received; to be answered by \(due)")
    case .objectionAnswered(let id, _):
      return ("答复异议 \(id)", "Objection \(id) answered")
    case .bidReceived(let bidder, _, _, let version):
      return version > 1
        ? (
          "收到 \(bidder) 的投标文件（第\(version)次递交，密封）",
          "Sealed bid of \(bidder) received (submission \(version))"
        )
        : ("收到 \(bidder) 的投标文件（密封）", "Sealed bid of \(bidder) received")
    case .bidWithdrawn(let bidder, _):
      return ("\(bidder) 撤回投标文件", "\(bidder) withdrew its bid")
    case .bondPaid(let bidder, let amount, _, _):
      return ("\(bidder) 缴纳投标保证金 \(amount)", "\(bidder) paid a bid bond of \(amount)")
    case .guaranteeLodged(let bidder, let amount, let issuer, _, _):
      return (
        "\(bidder) 以\(issuer)出具的保函提交投标保证金 \(amount)",
        "\(bidder) lodged a bank guarantee of \(amount) from \(issuer)"
      )
    case .bondRefunded(let bidder, _):
      return ("退还 \(bidder) 的投标保证金", "Bid bond of \(bidder) refunded")
    case .biddingClosed(_, let bids):
      return ("投标截止，共收到 \(bids) 份投标文件", "Bidding closed with \(bids) bids")
    case .bidsVoided(let bidders, let rule):
      return (
        "\(bidders.joined(separator: "、")) 的投标无效（\(rule)）",
        "Bids of \(bidders.joined(separator: ", ")) void (\(rule))"
      )
    case .sectionFailed(_, let rule):
      return ("招标失败（\(rule)）", "The tender failed (\(rule))")
    case .terminated(_, let reason):
      return ("终止招标：\(reason)", "Tender terminated: \(reason)")
    case .sharesReleased(let holder, _):
      return ("\(holder) 释放开标密钥份额", "\(holder) released its opening key share")
    case .bidOpened(let bidder, let items, _):
      return (
        "开启 \(bidder) 的投标文件：报价 \(items.price)，工期 \(items.durationDays) 日",
        "Bid of \(bidder) opened: \(items.price), \(items.durationDays) days"
      )
    case .bidUndecryptable(let bidder, let outcome):
      return outcome == .revoked
        ? ("\(bidder) 的投标文件无法解密，视为撤销投标", "Bid of \(bidder) cannot be decrypted: treated as revoked")
        : (
          "\(bidder) 的投标文件因平台原因无法解密，视为撤回投标",
          "Bid of \(bidder) cannot be decrypted through no fault of the bidder: treated as withdrawn"
        )
    case .openingRecordPublished(_, let opened, let undecryptable):
      return (
        "公布开标记录：开启 \(opened) 份，无法解密 \(undecryptable) 份",
        "Opening record published: \(opened) opened, \(undecryptable) undecryptable"
      )
    case .collusionSignsFound(let findings, _):
      return findings.isEmpty
        ? ("串通投标迹象核查：未发现（条例40）", "Collusion signs checked: none found (条例40)")
        : (
          "串通投标迹象核查：发现 \(findings.count) 项，提交评标委员会和行政监督部门（条例40）",
          "Collusion signs checked: \(findings.count) found, for the committee and the supervisor (条例40)"
        )
    case .openingConfirmed(let bidder, _):
      return ("\(bidder) 确认开标记录", "\(bidder) confirmed the opening record")
    case .openingClosed:
      return ("开标结束", "Opening closed")
    case .committeeFormed(let members, let experts, _):
      return (
        "组建评标委员会：\(members) 人，其中专家 \(experts) 人",
        "Evaluation committee formed: \(members) members, \(experts) experts"
      )
    case .evaluationExtended(let asking, let members, _):
      return (
        "\(asking) 名成员（共 \(members) 名）认为评标时间不够，延长评标时间",
        "\(asking) of \(members) members asked for more time; evaluation extended"
      )
    case .rejectionFlagged(let member, let bidder, let ground):
      return (
        "评标委员会成员 \(member) 认为 \(bidder) 的投标应予否决（\(ground.rawValue)）",
        "Member \(member) found the bid of \(bidder) should be rejected (\(ground.rawValue))"
      )
    case .objectionStated(let id, let answer, let text, _):
      return answer
        ? ("异议 \(id) 的答复：\(text)", "Answer to objection \(id): \(text)")
        : ("异议 \(id)：\(text)", "Objection \(id): \(text)")
    case .reportSigned(let member, let dissent, _):
      return dissent.map {
        (
          "评标委员会成员 \(member) 签署评标报告，不同意见：\($0)",
          "Member \(member) signed the report, dissenting: \($0)"
        )
      } ?? ("评标委员会成员 \(member) 签署评标报告", "Member \(member) signed the report")
    case .memberRecused(let member, _):
      return ("评标委员会成员 \(member) 申请回避", "Member \(member) recused")
    case .committeeReplenished(let experts, _):
      return ("补充抽取专家 \(experts) 名", "\(experts) experts drawn to replace recused members")
    case .memberCheckedIn(let member, _):
      return ("评标委员会成员 \(member) 签到", "Member \(member) checked in")
    case .leaderElected(let member, let votes, _):
      return (
        "推举 \(member) 为评标委员会负责人（\(votes) 票）",
        "Member \(member) elected the committee's leader (\(votes) votes)"
      )
    case .stageConcluded(let member, let stage, _):
      return (
        "评标委员会成员 \(member) 完成\(stage.chinese)",
        "Member \(member) concluded the \(stage.rawValue) stage"
      )
    case .stageCompleted(let stage, _):
      return ("\(stage.chinese)阶段完成", "The \(stage.rawValue) stage completed")
    case .stageReturned(_, let to, let reason, _):
      return ("退回\(to.chinese)：\(reason)", "Back to the \(to.rawValue) stage: \(reason)")
    case .scoresSubmitted(let member, _, _):
      return ("评标委员会成员 \(member) 提交评分表", "Member \(member) submitted a score sheet")
    case .creditScored(let scores):
      return (
        "按公共服务平台信用分评审信用项（\(scores.count) 家）",
        "Credit criterion marked from hub credit scores (\(scores.count) bidders)"
      )
    case .evaluationReported(let candidates, _):
      return (
        "提交评标报告，推荐中标候选人：\(candidates.joined(separator: "、"))",
        "Evaluation report: candidates \(candidates.joined(separator: ", "))"
      )
    case .publicityStarted(let start, let end):
      return (
        "中标候选人公示 \(time(start)) 至 \(time(end))",
        "Candidates publicised from \(time(start)) to \(time(end))"
      )
    case .candidateExcused(let bidder, let ground, _):
      return (
        "中标候选人 \(bidder) 退出（\(ground.chinese)）",
        "Candidate \(bidder) stood down (\(ground.rawValue))"
      )
    case .awarded(let bidder, let rank, _, let contractDue, let reportDue):
      return (
        "确定中标人 \(bidder)（排名第\(rank)）；应于 \(contractDue) 前订立合同，\(reportDue) 前提交书面报告",
        "Awarded to \(bidder) (rank \(rank)); contract by \(contractDue), written report by \(reportDue)"
      )
    case .committeeDisclosed(let members, _):
      return ("公开评标委员会成员名单（\(members.count) 人）", "Committee members disclosed (\(members.count))")
    case .contractSigned(_, let price, let refundDue):
      return (
        "订立合同，合同金额 \(price)；投标保证金应于 \(refundDue) 前退还",
        "Contract signed at \(price); bid bonds to be refunded by \(refundDue)"
      )
    case .reportFiled:
      return ("提交招标投标情况书面报告", "Written report filed")
    case .selfTenderingFiled(_, let basis):
      return ("自行招标备案：\(basis)", "Self-tendering filed: \(basis)")
    case .archived:
      return ("项目归档", "Archived")
    case .dueDateProvisional(let rule, let due, _):
      return (
        "期限 \(due)（\(rule)）为暂定：工作日历未覆盖该年度",
        "Due date \(due) (\(rule)) is provisional: the working calendar does not cover the year"
      )
    case .deadlineMissed(let rule, let due, _):
      return (
        "法定期限 \(due) 已过而未完成（\(rule)）", "Statutory deadline \(due) passed without the step (\(rule))"
      )
    case .orderApplied(let id, let kind, _, let reason):
      return (
        "执行监督指令 \(id)（\(kindChinese(kind))）：\(reason)",
        "Supervision order \(id) applied (\(kind.rawValue)): \(reason)"
      )
    }
  }

  /// An order's kind in Chinese.
  public static func kindChinese(_ kind: SupervisionOrder.Kind) -> String {
    switch kind {
    case .suspend: "暂停"
    case .resume: "恢复"
    case .terminate: "终止"
    case .correct: "责令改正"
    }
  }
}

extension EventWords {
  /// A section's phase as a page names it.
  public static func phase(_ raw: String, in language: PageLanguage) -> String {
    guard let phase = SectionPhase(rawValue: raw) else { return raw }
    let chinese =
      switch phase {
      case .draft: "起草"
      case .bidding: "投标"
      case .opening: "开标"
      case .evaluation: "评标"
      case .publicity: "中标候选人公示"
      case .awarded: "已定标"
      case .contracted: "已签合同"
      case .reported: "已提交书面报告"
      case .archived: "已归档"
      case .failed: "招标失败"
      case .terminated: "已终止"
      }
    return language == .zh ? chinese : raw
  }
}
