import Foundation
import SwiftASN1
import X509

/// An X.509 certificate revocation list (RFC 5280 §5), version 2, without extensions: who issued
/// it, when, until when it is current, and the serial numbers it revokes. swift-certificates has
/// no CRL type; this one reads what any CA writes and writes what OpenSSL reads.
public struct RevocationList: Sendable {
  public let issuer: DistinguishedName
  public let thisUpdate: Date
  public let nextUpdate: Date?
  /// Each revoked serial number and when it was revoked.
  public let revoked: [Certificate.SerialNumber: Date]
  public let signatureAlgorithm: Certificate.SignatureAlgorithm
  /// The DER of the whole list, as published.
  public let derBytes: [UInt8]
  let tbsBytes: ArraySlice<UInt8>
  let signatureBytes: [UInt8]

  /// Reads a DER-encoded list; its signature is checked separately (`isSigned(by:)`).
  public init(derEncoded der: [UInt8]) throws {
    derBytes = der
    let root = try DER.parse(der)
    var tbsNode: ASN1Node?
    var algorithm = Certificate.SignatureAlgorithm.ed25519
    var signature: [UInt8] = []
    try DER.sequence(root, identifier: .sequence) { nodes in
      tbsNode = nodes.next()
      guard let algorithmNode = nodes.next(), let signatureNode = nodes.next() else {
        throw ASN1Error.invalidASN1Object(reason: "a CRL has three parts")
      }
      algorithm = try Self.algorithm(algorithmNode)
      signature = Array(try ASN1BitString(derEncoded: signatureNode).bytes)
    }
    guard let tbsNode else { throw ASN1Error.invalidASN1Object(reason: "a CRL has three parts") }
    tbsBytes = tbsNode.encodedBytes
    signatureAlgorithm = algorithm
    signatureBytes = signature
    var issuer = DistinguishedName()
    var thisUpdate = Date.distantPast
    var nextUpdate: Date?
    var revoked: [Certificate.SerialNumber: Date] = [:]
    try DER.sequence(tbsNode, identifier: .sequence) { nodes in
      _ = try DER.optionalImplicitlyTagged(&nodes, tag: .integer) as Int?
      guard let inner = nodes.next(), try Self.algorithm(inner) == algorithm else {
        throw ASN1Error.invalidASN1Object(reason: "the CRL's two algorithms differ")
      }
      guard let name = nodes.next(), let this = nodes.next() else {
        throw ASN1Error.truncatedASN1Field()
      }
      issuer = try DistinguishedName(derEncoded: name)
      thisUpdate = try Self.date(this)
      var peek = nodes
      if let next = peek.next(), next.identifier == .utcTime || next.identifier == .generalizedTime
      {
        nextUpdate = try Self.date(next)
        nodes = peek
      }
      peek = nodes
      if let list = peek.next(), list.identifier == .sequence {
        nodes = peek
        try DER.sequence(list, identifier: .sequence) { entries in
          while let entry = entries.next() {
            try DER.sequence(entry, identifier: .sequence) { fields in
              let serial = try ArraySlice<UInt8>(derEncoded: &fields)
              guard let when = fields.next() else { throw ASN1Error.truncatedASN1Field() }
              revoked[Certificate.SerialNumber(bytes: serial)] = try Self.date(when)
              while fields.next() != nil {}  // entry extensions (reason codes) are not needed
            }
          }
        }
      }
      while nodes.next() != nil {}  // list extensions
    }
    self.issuer = issuer
    self.thisUpdate = thisUpdate
    self.nextUpdate = nextUpdate
    self.revoked = revoked
  }

  /// Writes and signs a list, as a certificate authority does.
  public init(
    issuer: DistinguishedName, thisUpdate: Date, nextUpdate: Date,
    revoked: [Certificate.SerialNumber: Date], issuerKey: Certificate.PrivateKey
  ) throws {
    let algorithm = try Self.algorithm(for: issuerKey)
    var tbs = DER.Serializer()
    try tbs.appendConstructedNode(identifier: .sequence) { coder in
      try coder.serialize(1)  // v2
      try Self.serialize(algorithm, into: &coder)
      try coder.serialize(issuer)
      try Self.serialize(thisUpdate, into: &coder)
      try Self.serialize(nextUpdate, into: &coder)
      if !revoked.isEmpty {
        try coder.appendConstructedNode(identifier: .sequence) { list in
          for (serial, when) in revoked.sorted(by: { $0.value < $1.value }) {
            try list.appendConstructedNode(identifier: .sequence) { entry in
              try entry.serialize(serial.bytes)
              try Self.serialize(when, into: &entry)
            }
          }
        }
      }
    }
    let signature = try issuerKey.sign(bytes: tbs.serializedBytes, signatureAlgorithm: algorithm)
    var whole = DER.Serializer()
    try whole.appendConstructedNode(identifier: .sequence) { coder in
      coder.serializeRawBytes(tbs.serializedBytes)
      try Self.serialize(algorithm, into: &coder)
      try coder.serialize(ASN1BitString(bytes: signature.rawRepresentation[...]))
    }
    try self.init(derEncoded: whole.serializedBytes)
  }

  /// Whether the list names the certificate's issuer and carries its valid signature.
  public func isSigned(by authority: Certificate) -> Bool {
    issuer == authority.subject
      && authority.publicKey.isValidSignature(
        signatureBytes, for: tbsBytes, signatureAlgorithm: signatureAlgorithm)
  }

  /// When the certificate was revoked, if this list revokes it.
  public func revocation(of certificate: Certificate) -> Date? {
    revoked[certificate.serialNumber]
  }

  /// The algorithms CAs use with the keys swift-certificates can check.
  private static let algorithms: [(ASN1ObjectIdentifier, Certificate.SignatureAlgorithm)] = [
    ([1, 2, 840, 10045, 4, 3, 2], .ecdsaWithSHA256),
    ([1, 2, 840, 10045, 4, 3, 3], .ecdsaWithSHA384),
    ([1, 3, 101, 112], .ed25519),
    ([1, 2, 840, 113549, 1, 1, 11], .sha256WithRSAEncryption),
  ]

  private static func algorithm(_ node: ASN1Node) throws -> Certificate.SignatureAlgorithm {
    let oid = try DER.sequence(node, identifier: .sequence) { fields in
      let oid = try ASN1ObjectIdentifier(derEncoded: &fields)
      _ = fields.next()  // NULL parameters of RSA
      return oid
    }
    guard let found = algorithms.first(where: { $0.0 == oid }) else {
      throw CertificateError.unsupportedSignatureAlgorithm(reason: "\(oid)")
    }
    return found.1
  }

  private static func algorithm(for key: Certificate.PrivateKey) throws
    -> Certificate.SignatureAlgorithm
  {
    guard
      let algorithm = key.supportedSignatureAlgorithms.first(where: { chosen in
        algorithms.contains { $0.1 == chosen }
      })
    else {
      throw CertificateError.unsupportedSignatureAlgorithm(reason: "\(key)")
    }
    return algorithm
  }

  private static func serialize(
    _ algorithm: Certificate.SignatureAlgorithm, into coder: inout DER.Serializer
  ) throws {
    let oid = algorithms.first { $0.1 == algorithm }!.0
    try coder.appendConstructedNode(identifier: .sequence) { fields in
      try fields.serialize(oid)
      if algorithm == .sha256WithRSAEncryption { try fields.serialize(ASN1Null()) }
    }
  }

  private static let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }()

  /// RFC 5280: UTCTime through 2049, GeneralizedTime after.
  private static func serialize(_ date: Date, into coder: inout DER.Serializer) throws {
    let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    if c.year! < 2050 {
      try coder.serialize(
        UTCTime(
          year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!,
          seconds: c.second!))
    } else {
      try coder.serialize(
        GeneralizedTime(
          year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!,
          seconds: c.second!, fractionalSeconds: 0))
    }
  }

  private static func date(_ node: ASN1Node) throws -> Date {
    let parts: (Int, Int, Int, Int, Int, Int)
    if node.identifier == .utcTime {
      let t = try UTCTime(derEncoded: node)
      parts = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
    } else {
      let t = try GeneralizedTime(derEncoded: node)
      parts = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
    }
    let components = DateComponents(
      year: parts.0, month: parts.1, day: parts.2, hour: parts.3, minute: parts.4,
      second: parts.5)
    guard let date = utc.date(from: components) else {
      throw ASN1Error.invalidASN1Object(reason: "not a date")
    }
    return date
  }
}
