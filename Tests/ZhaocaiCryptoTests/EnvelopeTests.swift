import Foundation
import Testing

@testable import ZhaocaiCrypto

/// A bidder and three key holders of one suite, and helpers to seal and open with them.
struct EnvelopeFixture {
  let bidder: PrivateKeyFile
  let holders: [PrivateKeyFile]
  let section = "ZC-2026-0042-标段1"
  let openingTime: Int64 = 1_795_651_200  // 2026-11-24T01:00:00Z (09:00 Beijing)

  init(suite: CipherSuite = .standard, signature: SignatureAlgorithm? = nil) throws {
    bidder = try .generate(id: "91350100M000100Y43", suite: suite, signature: signature)
    holders = try (0..<3).map { try .generate(id: "holder\($0)", suite: suite) }
  }

  var request: SealingRequest {
    SealingRequest(
      sectionID: section, bidderID: bidder.id, openingTime: openingTime,
      holders: holders.map(\.sealing.publicKey), threshold: 2)
  }

  func seal(_ plaintext: [UInt8], request: SealingRequest? = nil) throws -> (
    envelope: [UInt8], summary: EnvelopeSummary
  ) {
    var input = MemorySource(plaintext)
    var output = MemorySink()
    let summary = try EnvelopeSealer.seal(
      &input, to: &output, request: request ?? self.request, signer: bidder.signing)
    return (output.bytes, summary)
  }

  func open(_ envelope: [UInt8], holders indices: [Int] = [0, 1]) throws -> [UInt8] {
    var reader = try EnvelopeReader(MemorySource(envelope))
    let shares = try indices.map { try reader.header.share(using: holders[$0].sealing) }
    let key = try reader.header.contentKey(from: shares)
    var sink = MemorySink()
    _ = try reader.open(contentKey: key, into: &sink)
    return sink.bytes
  }

  func verify(_ envelope: [UInt8]) throws -> EnvelopeSummary {
    var reader = try EnvelopeReader(MemorySource(envelope))
    return try reader.verify()
  }
}

func patterned(_ count: Int) -> [UInt8] {
  (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 9) }
}

/// Byte offsets of an envelope's parts, worked out from its format.
struct EnvelopeLayout {
  let headerEnd: Int
  /// (frame start, ciphertext start, tag start, frame end) of each segment.
  let segments: [(frame: Int, ciphertext: Int, tag: Int, end: Int)]
  let signatureFrame: Int

  init(_ envelope: [UInt8], tagSize: Int) {
    let bodyLength =
      Int(envelope[8]) << 24 | Int(envelope[9]) << 16 | Int(envelope[10]) << 8 | Int(envelope[11])
    headerEnd = 12 + bodyLength
    var offset = headerEnd
    var segments: [(Int, Int, Int, Int)] = []
    while envelope[offset] != 0x53 {
      let length =
        Int(envelope[offset + 5]) << 24 | Int(envelope[offset + 6]) << 16
        | Int(envelope[offset + 7]) << 8 | Int(envelope[offset + 8])
      segments.append((offset, offset + 9, offset + 9 + length, offset + 9 + length + tagSize))
      offset += 9 + length + tagSize
    }
    self.segments = segments
    signatureFrame = offset
  }
}

@Suite struct EnvelopeRoundTripTests {
  @Test(arguments: [0, 1, 65_535, 65_536, 65_537, 200_000])
  func sealsAndOpensEverySize(size: Int) throws {
    let f = try EnvelopeFixture()
    let plaintext = patterned(size)
    let (envelope, summary) = try f.seal(plaintext)
    // A full final segment is marked last; an empty bid is one empty last segment.
    #expect(summary.segmentCount == max(1, (size + 65_535) / 65_536))
    #expect(try f.open(envelope) == plaintext)
    let verified = try f.verify(envelope)
    #expect(verified.envelopeHash == summary.envelopeHash)
    #expect(
      verified.envelopeHash
        == HashFunction.sha256.hash(
          Array(envelope[..<EnvelopeLayout(envelope, tagSize: 16).signatureFrame])))
  }

  @Test(arguments: [[0, 1], [1, 2], [0, 2], [2, 0], [0, 1, 2]])
  func anyTwoOfThreeHoldersOpen(holders: [Int]) throws {
    let f = try EnvelopeFixture()
    let (envelope, _) = try f.seal(patterned(70_000))
    #expect(try f.open(envelope, holders: holders) == patterned(70_000))
  }

  @Test(arguments: [SignatureAlgorithm.ed25519, .p256])
  func standardSuiteSignsWithEitherAlgorithm(algorithm: SignatureAlgorithm) throws {
    let f = try EnvelopeFixture(signature: algorithm)
    let (envelope, summary) = try f.seal(patterned(100_000))
    #expect(summary.header.signer.algorithm == algorithm)
    #expect(try f.open(envelope) == patterned(100_000))
  }

  @Test func nationalSuiteUsesSMAlgorithmsThroughout() throws {
    let f = try EnvelopeFixture(suite: .national)
    let plaintext = patterned(150_000)
    let (envelope, summary) = try f.seal(plaintext)
    #expect(envelope[7] == CipherSuite.national.rawValue)
    #expect(summary.header.signer.algorithm == .sm2)
    let layout = EnvelopeLayout(envelope, tagSize: 32)
    #expect(layout.segments.count == 3)
    #expect(summary.envelopeHash == SM3.hash(Array(envelope[..<layout.signatureFrame])))
    #expect(try f.open(envelope, holders: [2, 1]) == plaintext)
  }

  @Test func theSameBidSealsDifferentlyEachTime() throws {
    let f = try EnvelopeFixture()
    let a = try f.seal(patterned(1000)).envelope
    let b = try f.seal(patterned(1000)).envelope
    #expect(a != b)
  }

  @Test func aPublishedBidKeyLetsAnyoneReopen() throws {
    let f = try EnvelopeFixture()
    let (envelope, _) = try f.seal(patterned(5000))
    var reader = try EnvelopeReader(MemorySource(envelope))
    let key = try reader.header.contentKey(from: [
      try reader.header.share(using: f.holders[1].sealing),
      try reader.header.share(using: f.holders[2].sealing),
    ])
    var again = try EnvelopeReader(MemorySource(envelope))
    var sink = MemorySink()
    _ = try again.open(contentKey: key, into: &sink)
    #expect(sink.bytes == patterned(5000))
    var wrongKey = key
    wrongKey[0] ^= 1
    #expect(throws: EnvelopeError.keyCommitmentMismatch) {
      try reader.open(contentKey: wrongKey, into: &sink)
    }
  }
}

@Suite struct EnvelopeRefusalTests {
  @Test func wrongSectionOpeningTimeOrSignerIsRefused() throws {
    let f = try EnvelopeFixture()
    let reader = try EnvelopeReader(MemorySource(try f.seal([1, 2, 3]).envelope))
    #expect(throws: EnvelopeError.wrongSection(expected: "ZC-2026-0042-标段2", found: f.section)) {
      try reader.check(EnvelopeExpectations(sectionID: "ZC-2026-0042-标段2"))
    }
    #expect(
      throws: EnvelopeError.wrongOpeningTime(expected: f.openingTime + 3600, found: f.openingTime)
    ) {
      try reader.check(EnvelopeExpectations(openingTime: f.openingTime + 3600))
    }
    let other = try PrivateKeyFile.generate(id: "x", suite: .standard)
    #expect(throws: EnvelopeError.signerMismatch) {
      try reader.check(EnvelopeExpectations(signer: other.signing.verifyingKey))
    }
    try reader.check(
      EnvelopeExpectations(
        sectionID: f.section, openingTime: f.openingTime, signer: f.bidder.signing.verifyingKey))
  }

  @Test func fewerThanThresholdSharesCannotOpen() throws {
    let f = try EnvelopeFixture()
    let reader = try EnvelopeReader(MemorySource(try f.seal([1, 2, 3]).envelope))
    let one = try reader.header.share(using: f.holders[0].sealing)
    #expect(throws: EnvelopeError.fewerThanThreshold(have: 1, need: 2)) {
      try reader.header.contentKey(from: [one, one])
    }
  }

  @Test func aNonHolderKeyAndAForgedShareAreRefused() throws {
    let f = try EnvelopeFixture()
    let reader = try EnvelopeReader(MemorySource(try f.seal([1, 2, 3]).envelope))
    let outsider = try PrivateKeyFile.generate(id: "outsider", suite: .standard)
    #expect(throws: EnvelopeError.notAHolder) { try reader.header.share(using: outsider.sealing) }
    let smKey = try PrivateKeyFile.generate(id: "sm", suite: .national)
    #expect(throws: EnvelopeError.suiteMismatch(envelope: .standard, key: .national)) {
      try reader.header.share(using: smKey.sealing)
    }
    // A share "released" by someone who is not holder 2: right point, wrong value.
    let real = try reader.header.share(using: f.holders[0].sealing)
    let forged = Shamir.Share(x: 2, y: [UInt8](repeating: 7, count: 32))
    #expect(throws: EnvelopeError.shareCommitmentMismatch(x: 2)) {
      try reader.header.contentKey(from: [real, forged])
    }
  }

  @Test func invalidSealingRequestsAreRefused() throws {
    let f = try EnvelopeFixture()
    var request = f.request
    request.threshold = 4
    #expect(throws: EnvelopeError.invalidParameters("threshold 4 must be between 2 and 3")) {
      try f.seal([1], request: request)
    }
    request = f.request
    request.holders = [request.holders[0]]
    #expect(throws: EnvelopeError.self) { try f.seal([1], request: request) }
    request = f.request
    request.holders[2] = request.holders[0]
    #expect(throws: EnvelopeError.invalidParameters("the same key holder is named twice")) {
      try f.seal([1], request: request)
    }
    request = f.request
    request.sectionID = ""
    #expect(throws: EnvelopeError.self) { try f.seal([1], request: request) }
    let sm = try EnvelopeFixture(suite: .national)
    request = f.request
    request.holders[1] = sm.holders[1].sealing.publicKey
    #expect(throws: EnvelopeError.suiteMismatch(envelope: .standard, key: .national)) {
      try f.seal([1], request: request)
    }
  }
}

/// Tampering of every kind, each caught with its own error, with and without the holders' keys.
@Suite struct EnvelopeTamperingTests {
  let f: EnvelopeFixture
  let envelope: [UInt8]
  let layout: EnvelopeLayout

  init() throws {
    f = try EnvelopeFixture()
    envelope = try f.seal(patterned(4 * 65_536 + 100)).envelope
    layout = EnvelopeLayout(envelope, tagSize: 16)
  }

  func flip(_ offset: Int, bit: Int = 0) -> [UInt8] {
    var copy = envelope
    copy[offset] ^= UInt8(1) << UInt8(bit)
    return copy
  }

  @Test func everyHeaderBitFlipIsRefused() throws {
    #expect(layout.segments.count == 5)
    for offset in 0..<layout.headerEnd {
      for bit in 0..<8 {
        let bad = flip(offset, bit: bit)
        #expect(throws: EnvelopeError.self, "verify: header byte \(offset) bit \(bit)") {
          try f.verify(bad)
        }
        #expect(throws: EnvelopeError.self, "open: header byte \(offset) bit \(bit)") {
          try f.open(bad)
        }
      }
    }
  }

  @Test func headerFlipsGiveTheirOwnErrors() throws {
    #expect(throws: EnvelopeError.notAnEnvelope) { try f.verify(flip(0)) }
    #expect(throws: EnvelopeError.unsupportedVersion(3)) { try f.verify(flip(6, bit: 1)) }
    #expect(throws: EnvelopeError.unsupportedSuite(3)) { try f.verify(flip(7, bit: 1)) }
    // The section id's first byte: the signature no longer matches (the shares would not open).
    let sectionByte = 12 + 4 + 8 + 2
    #expect(throws: EnvelopeError.signatureInvalid) { try f.verify(flip(sectionByte)) }
  }

  @Test func segmentCiphertextAndTagFlipsAreCaught() throws {
    for (index, segment) in layout.segments.enumerated() {
      for offset in [
        segment.ciphertext, (segment.ciphertext + segment.tag) / 2, segment.tag, segment.end - 1,
      ] {
        let bad = flip(offset, bit: offset % 8)
        #expect(throws: EnvelopeError.segmentAuthenticationFailed(index: index)) { try f.open(bad) }
        #expect(throws: EnvelopeError.signatureInvalid) { try f.verify(bad) }
      }
    }
  }

  @Test func segmentFrameHeaderFlipsAreCaught() throws {
    for segment in layout.segments {
      for offset in segment.frame..<segment.ciphertext {
        for bit in 0..<8 {
          let bad = flip(offset, bit: bit)
          #expect(throws: EnvelopeError.self) { try f.open(bad) }
          #expect(throws: EnvelopeError.self) { try f.verify(bad) }
        }
      }
    }
  }

  @Test func shareFlipsAreCaughtByTheHolderAndBySignature() throws {
    let reader = try EnvelopeReader(MemorySource(envelope))
    let sealedShare = reader.header.holders[0].sealedShare
    let at = envelope.indices.first { Array(envelope[$0..<$0 + sealedShare.count]) == sealedShare }!
    let bad = flip(at + 5)
    let badReader = try EnvelopeReader(MemorySource(bad))
    #expect(throws: EnvelopeError.shareDecryptionFailed(x: 1)) {
      try badReader.header.share(using: f.holders[0].sealing)
    }
    #expect(throws: EnvelopeError.signatureInvalid) { try f.verify(bad) }
    // The other two holders can still open it, and the signature still exposes the change.
    #expect(throws: EnvelopeError.signatureInvalid) { try f.open(bad, holders: [1, 2]) }
  }

  @Test func everySignatureBitFlipIsRefused() throws {
    for offset in layout.signatureFrame + 3..<envelope.count {
      for bit in 0..<8 {
        #expect(throws: EnvelopeError.signatureInvalid) { try f.verify(flip(offset, bit: bit)) }
      }
    }
    #expect(throws: EnvelopeError.self) { try f.verify(flip(layout.signatureFrame + 2)) }
  }

  func rearranged(_ order: [Int]) -> [UInt8] {
    var out = Array(envelope[..<layout.headerEnd])
    for index in order {
      out += envelope[layout.segments[index].frame..<layout.segments[index].end]
    }
    return out + envelope[layout.signatureFrame...]
  }

  @Test func reorderedSegmentsAreNamedAsSuch() throws {
    let cases: [(order: [Int], position: Int, found: Int)] = [
      ([0, 2, 1, 3, 4], 1, 2), ([1, 0, 2, 3, 4], 0, 1), ([0, 1, 2, 4, 3], 3, 4),
      ([0, 1, 1, 2, 3, 4], 2, 1),
    ]
    for (order, position, found) in cases {
      let expected = EnvelopeError.segmentsReordered(position: position, found: found)
      #expect(throws: expected) { try f.verify(rearranged(order)) }
      #expect(throws: expected) { try f.open(rearranged(order)) }
    }
  }

  @Test func droppedSegmentsAreNamedAsSuch() throws {
    #expect(throws: EnvelopeError.segmentDropped(missing: 1)) {
      try f.verify(rearranged([0, 2, 3, 4]))
    }
    #expect(throws: EnvelopeError.segmentDropped(missing: 0)) {
      try f.open(rearranged([1, 2, 3, 4]))
    }
    #expect(throws: EnvelopeError.segmentDropped(missing: 2)) {
      try f.open(rearranged([0, 1, 3, 4]))
    }
  }

  @Test func truncationAnywhereIsRefused() throws {
    // Dropping the last segment, or cutting the file at any frame or inside one.
    #expect(throws: EnvelopeError.truncated) { try f.verify(rearranged([0, 1, 2, 3])) }
    #expect(throws: EnvelopeError.truncated) { try f.open(rearranged([0, 1, 2, 3])) }
    var cuts = [
      layout.headerEnd - 1, layout.headerEnd, layout.signatureFrame, layout.signatureFrame + 1,
      envelope.count - 1,
    ]
    cuts += layout.segments.flatMap { [$0.frame + 3, $0.ciphertext + 10, $0.end] }
    for cut in cuts {
      #expect(throws: EnvelopeError.truncated, "cut at \(cut)") {
        try f.verify(Array(envelope[..<cut]))
      }
      #expect(throws: EnvelopeError.truncated, "cut at \(cut)") {
        try f.open(Array(envelope[..<cut]))
      }
    }
  }

  @Test func anythingAppendedIsRefused() throws {
    // A copy of a segment appended after the last one, before the signature.
    let last = layout.segments[4]
    let appended =
      Array(envelope[..<last.end]) + envelope[layout.segments[1].frame..<layout.segments[1].end]
      + envelope[layout.signatureFrame...]
    #expect(throws: EnvelopeError.segmentAfterLast(index: 5)) { try f.verify(appended) }
    #expect(throws: EnvelopeError.segmentAfterLast(index: 5)) { try f.open(appended) }
    #expect(throws: EnvelopeError.trailingData) { try f.verify(envelope + [0]) }
    #expect(throws: EnvelopeError.trailingData) {
      try f.open(envelope + envelope[layout.segments[0].frame..<layout.segments[0].end])
    }
  }

  @Test func aSegmentRelabelledAsLastIsCaughtWhenOpening() throws {
    // Turning segment 3 into "the last" and cutting after it: only the key can tell.
    var bad = Array(envelope[..<layout.segments[3].end]) + envelope[layout.signatureFrame...]
    bad[layout.segments[3].frame] = 0x01
    #expect(throws: EnvelopeError.self) { try f.verify(bad) }
    #expect(throws: EnvelopeError.segmentAuthenticationFailed(index: 3)) { try f.open(bad) }
  }
}

@Suite struct KeyFileTests {
  @Test func keyFilesWithWindowsLineEndingsAreRead() throws {
    let keys = try PrivateKeyFile.generate(id: "bidder", suite: .standard)
    let crlf = keys.text.replacingOccurrences(of: "\n", with: "\r\n")
    #expect(try PrivateKeyFile(text: crlf).signing.verifyingKey == keys.signing.verifyingKey)
    let pub = keys.publicKeys.text.replacingOccurrences(of: "\n", with: "\r\n")
    #expect(try PublicKeyFile(text: pub).sealing.keyID == keys.sealing.publicKey.keyID)
  }

  /// The key file is PKCS#8 PEM: OpenSSL reads its first block as the signing key, with the
  /// public key the file's `.pub` names, whatever the algorithm.
  @Test(arguments: [
    (CipherSuite.standard, SignatureAlgorithm.ed25519), (.standard, .p256), (.national, .sm2),
  ])
  func openSSLReadsTheSigningKeyOfAKeyFile(suite: CipherSuite, algorithm: SignatureAlgorithm)
    throws
  {
    let keys = try PrivateKeyFile.generate(id: "bidder", suite: suite, signature: algorithm)
    #expect(keys.text.hasPrefix("zhaocai-private-key v2\nid: bidder\n"))
    #expect(keys.text.components(separatedBy: "-----BEGIN PRIVATE KEY-----").count == 3)
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("zhaocai-key-\(UUID().uuidString).key")
    try Data(keys.text.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let openssl = Process()
    openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    openssl.arguments = ["openssl", "pkey", "-in", file.path, "-pubout", "-outform", "DER"]
    let output = Pipe()
    openssl.standardOutput = output
    try openssl.run()
    let spki = output.fileHandleForReading.readDataToEndOfFile()
    openssl.waitUntilExit()
    #expect(openssl.terminationStatus == 0)
    let raw = keys.signing.verifyingKey.rawRepresentation
    #expect(Array(spki.suffix(raw.count)) == raw)

    let read = try PrivateKeyFile(text: keys.text)
    #expect(read.id == "bidder")
    #expect(read.signing.verifyingKey == keys.signing.verifyingKey)
    #expect(read.sealing.publicKey.keyID == keys.sealing.publicKey.keyID)
  }

  @Test(arguments: [SignatureAlgorithm.ed25519, .p256])
  func theEarlierLineFormIsStillRead(algorithm: SignatureAlgorithm) throws {
    let keys = try PrivateKeyFile.generate(id: "bidder", suite: .standard, signature: algorithm)
    #expect(keys.lineText.hasPrefix("zhaocai-private-key v1\n"))
    let read = try PrivateKeyFile(text: keys.lineText)
    #expect(read.signing.verifyingKey == keys.signing.verifyingKey)
    #expect(read.sealing.publicKey.keyID == keys.sealing.publicKey.keyID)
  }

  @Test func aKeyFileWhosePointIsNotItsScalarsIsRefused() throws {
    let keys = try PrivateKeyFile.generate(id: "bidder", suite: .standard, signature: .p256)
    let other = try PrivateKeyFile.generate(id: "other", suite: .standard, signature: .p256)
    // The first block of one file with the public point of another spliced in.
    let mine = PrivateKeyInfoProbe.signingBlock(of: keys.text)
    let theirs = PrivateKeyInfoProbe.signingBlock(of: other.text)
    let spliced = Array(mine.prefix(mine.count - 65)) + theirs.suffix(65)
    let text = keys.text.replacingOccurrences(
      of: Data(mine).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed]),
      with: Data(spliced).base64EncodedString(
        options: [.lineLength64Characters, .endLineWithLineFeed]))
    #expect(text != keys.text)
    #expect(throws: KeyFileError.invalidKey) { try PrivateKeyFile(text: text) }
  }

  @Test func aKeyFileMissingItsSealingBlockOrCutShortIsRefused() throws {
    let keys = try PrivateKeyFile.generate(id: "bidder", suite: .standard)
    let blocks = keys.text.components(separatedBy: "-----BEGIN PRIVATE KEY-----")
    #expect(throws: KeyFileError.missingField("sealing")) {
      try PrivateKeyFile(text: blocks[0] + "-----BEGIN PRIVATE KEY-----" + blocks[1])
    }
    #expect(throws: KeyFileError.invalidKey) {
      try PrivateKeyFile(text: String(keys.text.dropLast(30)))
    }
    #expect(throws: KeyFileError.missingField("suite")) {
      try PrivateKeyFile(text: keys.text.replacingOccurrences(of: "suite: standard", with: ""))
    }
  }

  @Test func aSealingAlgorithmOutsideTheSuiteIsRefused() throws {
    let keys = try PrivateKeyFile.generate(id: "bidder", suite: .standard)
    let wrong = keys.publicKeys.text.replacingOccurrences(
      of: "sealing: x25519", with: "sealing: sm2")
    #expect(throws: KeyFileError.unknownAlgorithm("sm2")) { try PublicKeyFile(text: wrong) }
  }
}

/// Reads a key file's first PEM block back, to tamper with it.
private enum PrivateKeyInfoProbe {
  static func signingBlock(of text: String) -> [UInt8] {
    let body = text.components(separatedBy: "-----BEGIN PRIVATE KEY-----")[1]
      .components(separatedBy: "-----END PRIVATE KEY-----")[0]
    return Array(Data(base64Encoded: body.filter { !$0.isWhitespace })!)
  }
}

@Suite struct ShareBindingTests {
  /// Holder entries copied from one bid into another envelope must not open there: otherwise
  /// whoever holds a header could have the holders rebuild that bid's key (say, a withdrawn one).
  @Test(arguments: [CipherSuite.standard, .national])
  func holderEntriesCopiedIntoAnotherEnvelopeDoNotOpen(suite: CipherSuite) throws {
    let f = try EnvelopeFixture(suite: suite)
    let original = try EnvelopeReader(MemorySource(try f.seal([1, 2, 3]).envelope)).header
    var request = f.request
    request.bidderID = "91110000100000589A"
    let other = try EnvelopeReader(MemorySource(try f.seal([4, 5, 6], request: request).envelope))
      .header
    // Another bidder's envelope carrying the original's entries and commitment.
    let forged = EnvelopeHeader(
      suite: other.suite, segmentSize: other.segmentSize, openingTime: other.openingTime,
      sectionID: other.sectionID, bidderID: other.bidderID, signer: other.signer,
      threshold: other.threshold, keyCommitment: original.keyCommitment, holders: original.holders)
    #expect(throws: EnvelopeError.shareDecryptionFailed(x: 1)) {
      try forged.share(using: f.holders[0].sealing)
    }
    // The same entries under another bid's key commitment do not open either.
    let mixed = EnvelopeHeader(
      suite: original.suite, segmentSize: original.segmentSize, openingTime: original.openingTime,
      sectionID: original.sectionID, bidderID: original.bidderID, signer: original.signer,
      threshold: original.threshold, keyCommitment: other.keyCommitment, holders: original.holders)
    #expect(throws: EnvelopeError.shareDecryptionFailed(x: 2)) {
      try mixed.share(using: f.holders[1].sealing)
    }
    #expect(try original.share(using: f.holders[0].sealing).x == 1)
  }
}
