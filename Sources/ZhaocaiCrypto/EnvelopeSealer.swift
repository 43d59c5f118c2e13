/// What a bidder asks to seal: for which section, bidder and opening, to which holders.
public struct SealingRequest: Sendable {
  public var sectionID: String
  public var bidderID: String
  /// Seconds since 1970-01-01T00:00:00Z.
  public var openingTime: Int64
  public var holders: [SealingPublicKey]
  public var threshold: Int

  public init(
    sectionID: String, bidderID: String, openingTime: Int64, holders: [SealingPublicKey],
    threshold: Int = 2
  ) {
    self.sectionID = sectionID
    self.bidderID = bidderID
    self.openingTime = openingTime
    self.holders = holders
    self.threshold = threshold
  }
}

/// What sealing or reading an envelope established.
public struct EnvelopeSummary: Sendable {
  public let header: EnvelopeHeader
  /// The suite's hash (SHA-256 or SM3) of every byte before the signature frame.
  public let envelopeHash: [UInt8]
  public let signature: [UInt8]
  public let plaintextLength: Int
  public let segmentCount: Int
}

/// Seals a bid into an envelope (format v1, docs/ENVELOPE.md), streaming in constant memory.
public enum EnvelopeSealer {
  /// Reads the plaintext from `input` to its end and writes the envelope to `output`.
  ///
  /// `contentKey` is for tests and known-answer vectors; a real bid always gets a fresh key.
  public static func seal<Input: ByteSource, Output: ByteSink>(
    _ input: inout Input, to output: inout Output, request: SealingRequest, signer: SigningKey,
    contentKey: [UInt8]? = nil
  ) throws -> EnvelopeSummary {
    let suite = signer.algorithm.suite
    let key = contentKey ?? secureRandomBytes(EnvelopeFormat.contentKeySize)
    let header = try makeHeader(request: request, signer: signer, suite: suite, contentKey: key)
    let cipher = SegmentCipher(
      suite: suite, contentKey: key, associatedData: header.associatedData)

    var hasher = StreamingHash(suite.hashFunction)
    func emit(_ bytes: [UInt8]) throws {
      hasher.update(bytes)
      try output.write(bytes)
    }
    try emit(header.encoded())

    // Two buffers: a segment is known to be the last only once the next read comes back empty.
    let size = EnvelopeFormat.segmentSize
    var current = [UInt8](repeating: 0, count: size)
    var next = [UInt8](repeating: 0, count: size)
    var currentCount = try current.withUnsafeMutableBytes { (b) in
      try input.readFully(into: b)
    }
    var counter: UInt32 = 0
    var plaintextLength = 0
    while true {
      let nextCount =
        currentCount < size
        ? 0
        : try next.withUnsafeMutableBytes { (b) in try input.readFully(into: b) }
      let last = nextCount == 0
      let sealed: [UInt8]
      do {
        sealed = try current.withUnsafeBytes {
          try cipher.seal(
            counter: counter, last: last,
            plaintext: UnsafeRawBufferPointer(rebasing: $0.prefix(currentCount)))
        }
      } catch {
        throw EnvelopeError.io("segment encryption failed: \(error)")
      }
      var frame = ByteWriter()
      frame.u8(last ? EnvelopeFormat.lastSegmentFrame : EnvelopeFormat.segmentFrame)
      frame.u32(counter)
      frame.u32(UInt32(currentCount))
      try emit(frame.bytes)
      try emit(sealed)
      plaintextLength += currentCount
      if last { break }
      guard counter < UInt32.max else {
        throw EnvelopeError.invalidParameters("bid exceeds 2^32 segments")
      }
      counter += 1
      swap(&current, &next)
      currentCount = nextCount
    }

    let envelopeHash = hasher.finalize()
    let signature: [UInt8]
    do {
      signature = try signer.signature(for: signedMessage(envelopeHash))
    } catch {
      throw EnvelopeError.io("signing failed: \(error)")
    }
    var trailer = ByteWriter()
    trailer.u8(EnvelopeFormat.signatureFrame)
    trailer.field(signature)
    try output.write(trailer.bytes)
    return EnvelopeSummary(
      header: header, envelopeHash: envelopeHash, signature: signature,
      plaintextLength: plaintextLength, segmentCount: Int(counter) + 1)
  }

  /// What the bidder signs: a label, then the envelope hash.
  static func signedMessage(_ envelopeHash: [UInt8]) -> [UInt8] {
    Array(EnvelopeFormat.signatureLabel.utf8) + envelopeHash
  }

  private static func makeHeader(
    request: SealingRequest, signer: SigningKey, suite: CipherSuite, contentKey: [UInt8]
  ) throws -> EnvelopeHeader {
    let n = request.holders.count
    guard (2...EnvelopeFormat.maximumHolders).contains(n) else {
      throw EnvelopeError.invalidParameters("\(n) key holders given; 2 to 16 are needed")
    }
    guard (2...n).contains(request.threshold) else {
      throw EnvelopeError.invalidParameters(
        "threshold \(request.threshold) must be between 2 and \(n)")
    }
    for id in [request.sectionID, request.bidderID]
    where id.isEmpty || id.utf8.count > EnvelopeFormat.maximumIDLength {
      throw EnvelopeError.invalidParameters("section and bidder ids must have 1 to 256 bytes")
    }
    if let other = request.holders.first(where: { $0.suite != suite }) {
      throw EnvelopeError.suiteMismatch(envelope: suite, key: other.suite)
    }
    guard Set(request.holders.map(\.keyID)).count == n else {
      throw EnvelopeError.invalidParameters("the same key holder is named twice")
    }
    guard contentKey.count == EnvelopeFormat.contentKeySize else {
      throw EnvelopeError.invalidParameters("a bid key has 32 bytes")
    }

    let shares: [Shamir.Share]
    do {
      shares = try Shamir.split(contentKey, threshold: request.threshold, count: n)
    } catch {
      throw EnvelopeError.invalidParameters("\(error)")
    }
    let keyCommitment = EnvelopeHeader.keyCommitment(suite: suite, key: contentKey)
    let info = EnvelopeHeader.shareInfo(
      sectionID: request.sectionID, bidderID: request.bidderID, openingTime: request.openingTime,
      keyCommitment: keyCommitment)
    var holders: [EnvelopeHeader.Holder] = []
    for (holderKey, share) in zip(request.holders, shares) {
      do {
        let sealed = try ShareSealing.seal(share: share.y, x: share.x, to: holderKey, info: info)
        holders.append(
          EnvelopeHeader.Holder(
            keyID: holderKey.keyID, x: share.x,
            shareCommitment: EnvelopeHeader.shareCommitment(suite: suite, share),
            encapsulatedKey: sealed.encapsulatedKey, sealedShare: sealed.sealedShare))
      } catch {
        throw EnvelopeError.invalidParameters("cannot seal a share to holder \(share.x): \(error)")
      }
    }
    return EnvelopeHeader(
      suite: suite, segmentSize: EnvelopeFormat.segmentSize, openingTime: request.openingTime,
      sectionID: request.sectionID, bidderID: request.bidderID, signer: signer.verifyingKey,
      threshold: request.threshold,
      keyCommitment: keyCommitment,
      holders: holders)
  }
}
