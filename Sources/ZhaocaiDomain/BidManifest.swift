import Foundation

/// What a bid says of itself, first thing inside the envelope (docs/BID-BUNDLE.md): the items
/// the opening announces, and what the collusion screens compare (device, documents, staff).
public struct BidManifest: Codable, Sendable, Equatable {
  /// One document of the bid, with the metadata its file carried.
  public struct Document: Codable, Sendable, Equatable {
    public var name: String
    public var size: Int64
    /// Hex SHA-256 of the file's bytes.
    public var sha256: String
    public var author: String?
    public var creator: String?
    public var createdAt: String?

    public init(
      name: String, size: Int64, sha256: String, author: String? = nil, creator: String? = nil,
      createdAt: String? = nil
    ) {
      self.name = name
      self.size = size
      self.sha256 = sha256
      self.author = author
      self.creator = creator
      self.createdAt = createdAt
    }
  }

  public static let format = "zhaocai-bid-bundle-v1"

  public var format: String = BidManifest.format
  public var sectionID: String
  public var bidderCreditCode: String
  public var bidderName: String
  public var priceFen: Int64
  public var durationDays: Int
  public var quality: String
  public var warrantyMonths: Int
  public var projectManagerID: String
  /// The key staff's registration or identity numbers (技术负责人, 安全员 …), where the notice
  /// asks for them; compared across bids like the project manager (条例40(3)).
  public var keyStaff: [String] = []
  /// The numbers of the clarifications and amendments (澄清、修改, 法23) the bidder declares it
  /// has read and bid on; the evaluation sees a bid that misses one.
  public var acknowledgedAmendments: [Int] = []
  /// The bidder tool's fingerprint of the machine that prepared the bid.
  public var deviceFingerprint: String
  public var tool: String
  public var documents: [Document]

  public init(
    sectionID: String, bidderCreditCode: String, bidderName: String, priceFen: Int64,
    durationDays: Int, quality: String, warrantyMonths: Int, projectManagerID: String,
    deviceFingerprint: String = "", tool: String = "", documents: [Document] = []
  ) {
    self.sectionID = sectionID
    self.bidderCreditCode = bidderCreditCode
    self.bidderName = bidderName
    self.priceFen = priceFen
    self.durationDays = durationDays
    self.quality = quality
    self.warrantyMonths = warrantyMonths
    self.projectManagerID = projectManagerID
    self.deviceFingerprint = deviceFingerprint
    self.tool = tool
    self.documents = documents
  }

  private enum CodingKeys: String, CodingKey {
    case format, sectionID, bidderCreditCode, bidderName, priceFen, durationDays, quality
    case warrantyMonths, projectManagerID, keyStaff, acknowledgedAmendments, deviceFingerprint
    case tool, documents
  }

  /// The bidder writes the commercial fields; the tool fills in format, device and documents.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    format = try c.decodeIfPresent(String.self, forKey: .format) ?? Self.format
    sectionID = try c.decode(String.self, forKey: .sectionID)
    bidderCreditCode = try c.decode(String.self, forKey: .bidderCreditCode)
    bidderName = try c.decode(String.self, forKey: .bidderName)
    priceFen = try c.decode(Int64.self, forKey: .priceFen)
    durationDays = try c.decode(Int.self, forKey: .durationDays)
    quality = try c.decode(String.self, forKey: .quality)
    warrantyMonths = try c.decode(Int.self, forKey: .warrantyMonths)
    projectManagerID = try c.decode(String.self, forKey: .projectManagerID)
    keyStaff = try c.decodeIfPresent([String].self, forKey: .keyStaff) ?? []
    acknowledgedAmendments =
      try c.decodeIfPresent([Int].self, forKey: .acknowledgedAmendments) ?? []
    deviceFingerprint = try c.decodeIfPresent(String.self, forKey: .deviceFingerprint) ?? ""
    tool = try c.decodeIfPresent(String.self, forKey: .tool) ?? ""
    documents = try c.decodeIfPresent([Document].self, forKey: .documents) ?? []
  }

  /// Whether the opening items are ones a record can announce: a positive price within
  /// `Money.maximum`, a period and a warranty of sane lengths, short clean texts. A bundle whose
  /// items are not is the bidder's fault at the opening, like one that does not decrypt.
  public var hasAnnounceableItems: Bool {
    func clean(_ text: String, _ maxLength: Int) -> Bool {
      (try? TextRules.checked(text, field: "item", chineseField: "开标项", maxLength: maxLength))
        != nil
    }
    return Money(fen: priceFen).isWithinBounds(positive: true)
      && (1...36_500).contains(durationDays)
      && (0...1_200).contains(warrantyMonths) && clean(quality, TextRules.maxNameLength)
      && clean(projectManagerID, 64) && clean(bidderName, TextRules.maxNameLength)
  }

  /// What the opening record announces of this bid (办法30).
  public var openingItems: OpeningItems {
    OpeningItems(
      price: Money(fen: priceFen), durationDays: durationDays, quality: quality,
      warrantyMonths: warrantyMonths, projectManagerID: projectManagerID)
  }
}

/// The byte layout of a bid bundle: magic, version, the manifest as JSON, then each file with
/// its name and length — written and read front to back, so the opening reads the manifest from
/// the first segment without holding the files.
public enum BidBundleLayout {
  public static let magic: [UInt8] = Array("ZCBUNDLE".utf8)
  public static let version: UInt8 = 1
  public static let maximumManifestLength = 1 << 20

  /// The bytes before the first file.
  public static func prefix(manifestJSON: [UInt8]) -> [UInt8] {
    magic + [version] + bigEndian(UInt64(manifestJSON.count), bytes: 4) + manifestJSON
  }

  /// The bytes before a file's contents.
  public static func fileHeader(name: String, size: Int64) -> [UInt8] {
    let utf8 = Array(name.utf8)
    return bigEndian(UInt64(utf8.count), bytes: 2) + utf8 + bigEndian(UInt64(size), bytes: 8)
  }

  /// The manifest at the start of a bundle, given at least its first bytes; nil if they are not
  /// a version 1 bundle with a complete, valid manifest.
  public static func manifest(fromPrefix bytes: [UInt8]) -> BidManifest? {
    guard bytes.count >= 13, Array(bytes.prefix(8)) == magic, bytes[8] == version else {
      return nil
    }
    let length = bytes[9..<13].reduce(0) { $0 << 8 | Int($1) }
    guard length <= maximumManifestLength, bytes.count >= 13 + length else { return nil }
    let json = Array(bytes[13..<13 + length])
    guard let manifest = try? JSONDecoder().decode(BidManifest.self, from: Data(json)),
      manifest.format == BidManifest.format
    else { return nil }
    return manifest
  }

  static func bigEndian(_ value: UInt64, bytes count: Int) -> [UInt8] {
    (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> UInt64($0 * 8)) }
  }
}
