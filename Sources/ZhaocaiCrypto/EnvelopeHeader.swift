import Foundation

/// What an envelope says about itself before its segments: who sealed it, for which section and
/// opening, and the sealed shares of its key.
public struct EnvelopeHeader: Sendable, Equatable {
  /// One key holder's entry: which key it is for and the share sealed to that key.
  public struct Holder: Sendable, Equatable {
    public let keyID: [UInt8]
    public let x: UInt8
    public let shareCommitment: [UInt8]
    public let encapsulatedKey: [UInt8]
    public let sealedShare: [UInt8]
  }

  public let suite: CipherSuite
  public let segmentSize: Int
  /// Seconds since 1970-01-01T00:00:00Z.
  public let openingTime: Int64
  public let sectionID: String
  public let bidderID: String
  public let signer: VerifyingKey
  public let threshold: Int
  public let keyCommitment: [UInt8]
  public let holders: [Holder]

  public var openingDate: Date { Date(timeIntervalSince1970: TimeInterval(openingTime)) }

  /// The segments' associated data: section, bidder and opening time.
  var associatedData: [UInt8] {
    var writer = ByteWriter()
    writer.raw(EnvelopeFormat.magic)
    writer.u8(EnvelopeFormat.version)
    writer.field(Array(sectionID.utf8))
    writer.field(Array(bidderID.utf8))
    writer.i64(openingTime)
    return writer.bytes
  }

  /// The HPKE `info` of every share: section, bidder, opening time and the key commitment, so a
  /// share opens only for this bid of this bidder (holder entries copied into another envelope
  /// do not open).
  var shareInfo: [UInt8] {
    Self.shareInfo(
      sectionID: sectionID, bidderID: bidderID, openingTime: openingTime,
      keyCommitment: keyCommitment)
  }

  static func shareInfo(
    sectionID: String, bidderID: String, openingTime: Int64, keyCommitment: [UInt8]
  ) -> [UInt8] {
    var writer = ByteWriter()
    writer.raw(Array(EnvelopeFormat.shareInfoLabel.utf8))
    writer.field(Array(sectionID.utf8))
    writer.field(Array(bidderID.utf8))
    writer.i64(openingTime)
    writer.raw(keyCommitment)
    return writer.bytes
  }

  func encoded() -> [UInt8] {
    var body = ByteWriter()
    body.u32(UInt32(segmentSize))
    body.i64(openingTime)
    body.field(Array(sectionID.utf8))
    body.field(Array(bidderID.utf8))
    body.u8(signer.algorithm.rawValue)
    body.field(signer.rawRepresentation)
    body.u8(UInt8(threshold))
    body.u8(UInt8(holders.count))
    body.raw(keyCommitment)
    for holder in holders {
      body.raw(holder.keyID)
      body.u8(holder.x)
      body.raw(holder.shareCommitment)
      body.field(holder.encapsulatedKey)
      body.field(holder.sealedShare)
    }
    var out = ByteWriter()
    out.raw(EnvelopeFormat.magic)
    out.u8(EnvelopeFormat.version)
    out.u8(suite.rawValue)
    out.u32(UInt32(body.bytes.count))
    out.raw(body.bytes)
    return out.bytes
  }

  /// Parses the header body that follows magic, version, suite and length.
  static func decode(suite: CipherSuite, body: [UInt8]) throws -> EnvelopeHeader {
    var reader = ByteReader(body)
    func need<T>(_ value: T?, _ field: String) throws -> T {
      guard let value else { throw EnvelopeError.malformedHeader("\(field) is cut short") }
      return value
    }
    let segmentSize = Int(try need(reader.u32(), "segment size"))
    guard segmentSize == EnvelopeFormat.segmentSize else {
      throw EnvelopeError.malformedHeader(
        "segment size \(segmentSize) is not \(EnvelopeFormat.segmentSize)")
    }
    let openingTime = try need(reader.i64(), "opening time")
    let section = try need(reader.field(), "section id")
    let bidder = try need(reader.field(), "bidder id")
    guard let sectionID = Self.identifier(section), let bidderID = Self.identifier(bidder) else {
      throw EnvelopeError.malformedHeader("section or bidder id is empty, too long or not UTF-8")
    }
    let algorithmCode = try need(reader.u8(), "signature algorithm")
    guard let algorithm = SignatureAlgorithm(rawValue: algorithmCode), algorithm.suite == suite
    else {
      throw EnvelopeError.malformedHeader(
        "signature algorithm \(algorithmCode) is not of this suite")
    }
    let signerBytes = try need(reader.field(), "signer key")
    guard let signer = try? VerifyingKey(algorithm: algorithm, rawRepresentation: signerBytes)
    else {
      throw EnvelopeError.malformedHeader("the signer's public key is not a valid \(algorithm) key")
    }
    let threshold = Int(try need(reader.u8(), "threshold"))
    let count = Int(try need(reader.u8(), "holder count"))
    guard threshold >= 2, threshold <= count, count <= EnvelopeFormat.maximumHolders else {
      throw EnvelopeError.malformedHeader(
        "threshold \(threshold) of \(count) holders is out of range")
    }
    let keyCommitment = try need(reader.raw(32), "key commitment")
    var holders: [Holder] = []
    for _ in 0..<count {
      holders.append(
        Holder(
          keyID: try need(reader.raw(32), "holder key id"),
          x: try need(reader.u8(), "share point"),
          shareCommitment: try need(reader.raw(32), "share commitment"),
          encapsulatedKey: try need(reader.field(), "encapsulated key"),
          sealedShare: try need(reader.field(), "sealed share")))
    }
    guard reader.isAtEnd else {
      throw EnvelopeError.malformedHeader("bytes follow the last holder entry")
    }
    let points = holders.map(\.x)
    guard !points.contains(0), Set(points).count == count, Set(holders.map(\.keyID)).count == count
    else { throw EnvelopeError.malformedHeader("holders' share points or keys repeat") }
    return EnvelopeHeader(
      suite: suite, segmentSize: segmentSize, openingTime: openingTime, sectionID: sectionID,
      bidderID: bidderID, signer: signer, threshold: threshold, keyCommitment: keyCommitment,
      holders: holders)
  }

  private static func identifier(_ bytes: [UInt8]) -> String? {
    guard !bytes.isEmpty, bytes.count <= EnvelopeFormat.maximumIDLength,
      let text = String(validating: bytes, as: UTF8.self)
    else { return nil }
    return text
  }
}
