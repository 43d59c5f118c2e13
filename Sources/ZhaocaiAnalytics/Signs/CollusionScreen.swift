import Foundation
import ZhaocaiDomain

/// The six signs of 条例40 looked for among one section's opened bids, each finding with its
/// evidence and strength. What the tender documents themselves contain (their text, their ids,
/// their files) is removed first: bidders quote the documents and fill in their forms, and that
/// is no sign of anything.
public enum CollusionScreen {
  /// Shared text is a finding from this share of the smaller bid's shingles (containment), and
  /// strong from the second; below `minimumSharedShingles` it is too little text to judge.
  public static let alikeContainment = 0.3
  public static let strongContainment = 0.6
  public static let minimumSharedShingles = 40
  /// Characters of one bid's text compared at most (its files in order).
  public static let bidCharacters = 2_000_000

  /// Author names written by default installations, which say nothing about who wrote a file.
  static let anonymousAuthors: Set<String> = [
    "", "administrator", "admin", "user", "owner", "microsoft", "microsoft office user",
    "微软用户", "作者", "unknown", "lenovo", "dell", "hp", "thinkpad", "asus", "acer",
  ]

  public static func findings(
    _ bids: [BidEvidence], tenderDocuments: [DocumentFacts] = [], estimateFen: Int64? = nil
  ) -> [CollusionFinding] {
    let bids = bids.sorted { $0.bidder < $1.bidder }
    let tender = TenderBaseline(tenderDocuments)
    let tools = ToolRarity(bids, tender: tender)
    var found: [CollusionFinding] = []
    for i in bids.indices {
      for j in bids.indices where j > i {
        found += samePreparer(bids[i], bids[j], tender: tender, tools: tools)
        found += sameAgent(bids[i], bids[j])
        found += sameStaff(bids[i], bids[j])
        found += mixedDocuments(bids[i], bids[j])
        found += mixedDocuments(bids[j], bids[i])
        found += sameBondAccount(bids[i], bids[j])
      }
    }
    found += alikeTexts(bids, tender: tender)
    found += pricePattern(bids, estimateFen: estimateFen)
    let order = Dictionary(
      uniqueKeysWithValues: CollusionSign.allCases.enumerated().map { ($1, $0) })
    return found.enumerated().sorted { a, b in
      let left = (order[a.element.sign] ?? 0, a.element.bidders.joined(separator: ","), a.offset)
      let right = (order[b.element.sign] ?? 0, b.element.bidders.joined(separator: ","), b.offset)
      return left < right
    }.map(\.element)
  }

  /// What the tender documents hold, which bids may share without it meaning anything.
  struct TenderBaseline {
    var shingles: Set<UInt64> = []
    var hashes: Set<String> = []
    var identifiers: Set<String> = []
    var properties: Set<String> = []

    init(_ documents: [DocumentFacts]) {
      for document in documents {
        shingles.formUnion(TextShingles(document.text).hashes)
        hashes.insert(document.sha256)
        for values in document.identifiers.values { identifiers.formUnion(values) }
        for value in document.properties.values { properties.insert(normalized(value)) }
      }
    }
  }

  /// The creating tools (a file's application, creator or producer, with its version) that
  /// exactly two bidders' files carry among three or more bidders: Word or WPS is everyone's,
  /// but a rare tool and build shared by two bidders only is a trace of one preparer.
  struct ToolRarity {
    static let properties = ["application", "creator", "producer"]
    var pairs: [String: [String]] = [:]

    init(_ bids: [BidEvidence], tender: TenderBaseline) {
      guard bids.count >= 3 else { return }
      var holders: [String: Set<String>] = [:]
      var shown: [String: String] = [:]
      for bid in bids {
        for document in bid.documents {
          for key in Self.properties {
            guard let value = document.properties[key] else { continue }
            let name = normalized(value)
            guard name.count >= 3, !tender.properties.contains(name) else { continue }
            holders[name, default: []].insert(bid.bidder)
            if shown[name] == nil { shown[name] = value }
          }
        }
      }
      for (tool, bidders) in holders where bidders.count == 2 {
        pairs[bidders.sorted().joined(separator: "\u{0}"), default: []].append(shown[tool] ?? tool)
      }
    }

    /// The rare tools `a` and `b` alone share.
    func shared(_ a: String, _ b: String) -> [String] {
      (pairs[[a, b].sorted().joined(separator: "\u{0}")] ?? []).sorted()
    }
  }

  // MARK: (1) one preparer

  private static func samePreparer(
    _ a: BidEvidence, _ b: BidEvidence, tender: TenderBaseline, tools: ToolRarity
  ) -> [CollusionFinding] {
    var evidence: [(CollusionEvidence, FindingStrength)] = []
    if !a.deviceFingerprint.isEmpty, a.deviceFingerprint == b.deviceFingerprint {
      evidence.append(
        (
          CollusionEvidence(
            field: "deviceFingerprint", values: [a.deviceFingerprint],
            files: ["\(a.bidder)/manifest", "\(b.bidder)/manifest"]), .strong
        ))
    }
    for da in a.documents {
      for db in b.documents {
        let files = ["\(a.bidder)/\(da.name)", "\(b.bidder)/\(db.name)"]
        if da.sha256 == db.sha256, !tender.hashes.contains(da.sha256) {
          evidence.append(
            (CollusionEvidence(field: "sha256", values: [da.sha256], files: files), .strong))
        }
        for kind in da.identifiers.keys.sorted() {
          let shared = Set(da.identifiers[kind] ?? []).intersection(db.identifiers[kind] ?? [])
            .subtracting(tender.identifiers)
          guard !shared.isEmpty else { continue }
          // One editing-session id in common may be chance of a shared template; a document's
          // own id or root session, or several sessions, are not.
          let strength: FindingStrength = kind == "w:rsid" && shared.count < 2 ? .moderate : .strong
          evidence.append(
            (
              CollusionEvidence(
                field: kind, values: Array(shared.sorted().prefix(10)), files: files),
              strength
            ))
        }
        for key in ["author", "lastModifiedBy"] {
          guard let value = da.properties[key], let other = db.properties[key] else { continue }
          let name = normalized(value)
          guard name == normalized(other), !anonymousAuthors.contains(name),
            !tender.properties.contains(name)
          else { continue }
          evidence.append((CollusionEvidence(field: key, values: [value], files: files), .moderate))
        }
      }
    }
    let rare = tools.shared(a.bidder, b.bidder)
    if !rare.isEmpty {
      evidence.append(
        (
          CollusionEvidence(
            field: "creatingTool", values: Array(rare.prefix(10)),
            files: ["\(a.bidder)/*", "\(b.bidder)/*"]), .weak
        ))
    }
    return finding(.samePreparer, a, b, evidence)
  }

  // MARK: (2) one agent

  private static func sameAgent(_ a: BidEvidence, _ b: BidEvidence) -> [CollusionFinding] {
    var evidence: [(CollusionEvidence, FindingStrength)] = []
    let accounts = Set(a.submissions.map(\.account)).intersection(b.submissions.map(\.account))
      .subtracting(["", "anonymous", "platform"])
    if !accounts.isEmpty {
      evidence.append((CollusionEvidence(field: "account", values: accounts.sorted()), .strong))
    }
    let devices = Set(a.submissions.map(\.device)).intersection(b.submissions.map(\.device))
      .subtracting([""])
    if !devices.isEmpty {
      evidence.append((CollusionEvidence(field: "device", values: devices.sorted()), .strong))
    }
    let addresses = Set(a.submissions.map(\.address)).intersection(b.submissions.map(\.address))
      .filter(isBidderAddress)
    if !addresses.isEmpty {
      evidence.append((CollusionEvidence(field: "address", values: addresses.sorted()), .moderate))
    }
    return finding(.sameAgent, a, b, evidence)
  }

  /// An address that can be a bidder's own: not the loopback, not one the platform writes when
  /// it does not know (a proxy's own address says nothing about who sent through it).
  static func isBidderAddress(_ address: String) -> Bool {
    !(address.isEmpty || address == "unknown" || address == "local" || address.hasPrefix("127.")
      || address == "::1" || address.hasPrefix("::ffff:127."))
  }

  // MARK: (3) one project manager or staff member

  private static func sameStaff(_ a: BidEvidence, _ b: BidEvidence) -> [CollusionFinding] {
    func people(_ bid: BidEvidence) -> Set<String> {
      Set(([bid.projectManagerID] + bid.keyStaff).map(normalized).filter { !$0.isEmpty })
    }
    let shared = people(a).intersection(people(b))
    guard !shared.isEmpty else { return [] }
    let manager = normalized(a.projectManagerID)
    let field =
      shared.contains(manager) && manager == normalized(b.projectManagerID)
      ? "projectManagerID" : "keyStaff"
    return finding(
      .sameStaff, a, b,
      [
        (
          CollusionEvidence(
            field: field, values: shared.sorted(),
            files: ["\(a.bidder)/manifest", "\(b.bidder)/manifest"]), .strong
        )
      ])
  }

  // MARK: (4) alike documents, regular prices

  private static func alikeTexts(_ bids: [BidEvidence], tender: TenderBaseline)
    -> [CollusionFinding]
  {
    let texts = bids.map { bid in
      var remaining = bidCharacters
      return bid.documents.map { document in
        let text = String(document.text.prefix(max(remaining, 0)))
        remaining -= text.count
        return (name: document.name, shingles: TextShingles(text))
      }
    }
    let sets = texts.map { documents in
      documents.reduce(into: Set<UInt64>()) { $0.formUnion($1.shingles.hashes) }
        .subtracting(tender.shingles)
    }
    var found: [CollusionFinding] = []
    for pair in MinHash.candidates(sets.map(MinHash.signature)).sorted(by: {
      ($0.first, $0.second) < ($1.first, $1.second)
    }) {
      let (i, j) = (pair.first, pair.second)
      let shared = sets[i].intersection(sets[j])
      let smaller = min(sets[i].count, sets[j].count)
      guard shared.count >= minimumSharedShingles, smaller > 0 else { continue }
      let containment = Double(shared.count) / Double(smaller)
      guard containment >= alikeContainment else { continue }
      var passages: [(file: String, text: String)] = []
      for document in texts[i] {
        for passage in document.shingles.sharedPassages(with: shared).prefix(3) {
          passages.append(("\(bids[i].bidder)/\(document.name)", passage))
        }
      }
      passages.sort { $0.text.count > $1.text.count }
      let shown = passages.prefix(3)
      let otherFiles = texts[j].filter { !Set($0.shingles.hashes).isDisjoint(with: shared) }
        .map { "\(bids[j].bidder)/\($0.name)" }
      let percent = Int((containment * 100).rounded())
      found.append(
        CollusionFinding(
          sign: .alikeDocuments, bidders: [bids[i].bidder, bids[j].bidder],
          strength: containment >= strongContainment ? .strong : .moderate,
          evidence: [
            CollusionEvidence(
              field: "sharedText", values: ["\(percent)%", "\(shared.count)"],
              files: Array(Set(shown.map(\.file))).sorted() + otherFiles),
            CollusionEvidence(
              field: "passages", values: shown.map { String($0.text.prefix(120)) },
              files: shown.map(\.file)),
          ]))
    }
    return found
  }

  private static func pricePattern(_ bids: [BidEvidence], estimateFen: Int64?) -> [CollusionFinding]
  {
    let priced = bids.filter { $0.priceFen > 0 }.sorted { $0.priceFen < $1.priceFen }
    guard let pattern = PricePattern.find(sorted: priced.map { Double($0.priceFen) / 100 }) else {
      return []
    }
    var evidence = [
      CollusionEvidence(field: "pricePattern", values: [pattern.english, pattern.chinese]),
      CollusionEvidence(
        field: "prices", values: priced.map { Money(fen: $0.priceFen).description }),
    ]
    if let estimateFen, estimateFen > 0 {
      evidence.append(
        CollusionEvidence(
          field: "ratioToEstimate",
          values: priced.map {
            String(format: "%.2f%%", Double($0.priceFen) / Double(estimateFen) * 100)
          }))
    }
    return [
      CollusionFinding(
        sign: .alikeDocuments, bidders: priced.map(\.bidder),
        strength: pattern.kind == .equal ? .strong : .moderate, evidence: evidence)
    ]
  }

  // MARK: (5) mixed documents

  /// `b`'s name or credit code inside `a`'s files (text, or the company its files name).
  private static func mixedDocuments(_ a: BidEvidence, _ b: BidEvidence) -> [CollusionFinding] {
    var evidence: [(CollusionEvidence, FindingStrength)] = []
    let needles = [b.bidder, b.bidderName].filter { $0.count >= 4 }
    for document in a.documents {
      let file = ["\(a.bidder)/\(document.name)"]
      for needle in needles {
        if let range = document.text.range(of: needle) {
          let before = document.text[..<range.lowerBound].suffix(20)
          let after = document.text[range.upperBound...].prefix(20)
          evidence.append(
            (
              CollusionEvidence(
                field: "text", values: [needle, String(before + needle + after)], files: file),
              .strong
            ))
        }
        for key in ["company", "author", "lastModifiedBy"]
        where document.properties[key].map(normalized) == normalized(needle) {
          evidence.append((CollusionEvidence(field: key, values: [needle], files: file), .strong))
        }
      }
    }
    guard !evidence.isEmpty else { return [] }
    // Whose files hold the other's name matters: it is said first.
    return finding(.mixedDocuments, a, b, evidence).map {
      var finding = $0
      finding.evidence.insert(CollusionEvidence(field: "holder", values: [a.bidder]), at: 0)
      return finding
    }
  }

  // MARK: (6) one bond account

  private static func sameBondAccount(_ a: BidEvidence, _ b: BidEvidence) -> [CollusionFinding] {
    guard let account = a.bondAccount, !account.isEmpty, account == b.bondAccount else {
      return []
    }
    return finding(
      .sameBondAccount, a, b,
      [(CollusionEvidence(field: "bondAccount", values: [account]), .strong)])
  }

  // MARK: -

  private static func finding(
    _ sign: CollusionSign, _ a: BidEvidence, _ b: BidEvidence,
    _ evidence: [(CollusionEvidence, FindingStrength)]
  ) -> [CollusionFinding] {
    guard let strength = evidence.map(\.1).max() else { return [] }
    return [
      CollusionFinding(
        sign: sign, bidders: [a.bidder, b.bidder], strength: strength, evidence: evidence.map(\.0))
    ]
  }

  static func normalized(_ value: String) -> String {
    value.lowercased().filter { !$0.isWhitespace }
  }
}
