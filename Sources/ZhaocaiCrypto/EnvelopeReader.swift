import Foundation

/// What the platform or a holder expects of an envelope before it reads further.
public struct EnvelopeExpectations: Sendable {
  public var sectionID: String?
  public var openingTime: Int64?
  public var signer: VerifyingKey?

  public init(sectionID: String? = nil, openingTime: Int64? = nil, signer: VerifyingKey? = nil) {
    self.sectionID = sectionID
    self.openingTime = openingTime
    self.signer = signer
  }
}

/// Reads an envelope front to back in constant memory: the header first, then either checks
/// structure and signature (`verify`, no key needed) or also decrypts every segment (`open`).
public struct EnvelopeReader<Source: ByteSource> {
  public let header: EnvelopeHeader
  private var input: BufferedInput<Source>
  private var hasher: StreamingHash

  /// Reads and parses the header; nothing after it has been read yet.
  public init(_ source: Source) throws {
    var input = BufferedInput(source)
    guard let prefix = try input.read(count: 12), prefix.count == 12 else {
      throw EnvelopeError.notAnEnvelope
    }
    guard Array(prefix.prefix(6)) == EnvelopeFormat.magic else { throw EnvelopeError.notAnEnvelope }
    guard prefix[6] == EnvelopeFormat.version else {
      throw EnvelopeError.unsupportedVersion(prefix[6])
    }
    guard let suite = CipherSuite(rawValue: prefix[7]) else {
      throw EnvelopeError.unsupportedSuite(prefix[7])
    }
    let length =
      Int(prefix[8]) << 24 | Int(prefix[9]) << 16 | Int(prefix[10]) << 8 | Int(prefix[11])
    guard length <= EnvelopeFormat.maximumHeaderLength else {
      throw EnvelopeError.malformedHeader("header length \(length) exceeds 64 KiB")
    }
    guard let body = try input.read(count: length) else { throw EnvelopeError.truncated }
    self.header = try EnvelopeHeader.decode(suite: suite, body: body)
    var hasher = StreamingHash(suite.hashFunction)
    hasher.update(prefix)
    hasher.update(body)
    self.hasher = hasher
    self.input = input
  }

  /// Refuses an envelope for another section, opening time or signer.
  public func check(_ expectations: EnvelopeExpectations) throws {
    if let section = expectations.sectionID, section != header.sectionID {
      throw EnvelopeError.wrongSection(expected: section, found: header.sectionID)
    }
    if let time = expectations.openingTime, time != header.openingTime {
      throw EnvelopeError.wrongOpeningTime(expected: time, found: header.openingTime)
    }
    if let signer = expectations.signer, signer != header.signer {
      throw EnvelopeError.signerMismatch
    }
  }

  /// Checks every frame and the bidder's signature without any holder key.
  public mutating func verify() throws -> EnvelopeSummary {
    var discard = DiscardSink()
    return try readBody(cipher: nil, into: &discard)
  }

  /// Decrypts every segment into `sink` and checks the signature; on any error the caller must
  /// discard what `sink` received.
  public mutating func open<Sink: ByteSink>(
    contentKey: [UInt8], into sink: inout Sink
  ) throws -> EnvelopeSummary {
    try header.checkContentKey(contentKey)
    let cipher = SegmentCipher(
      suite: header.suite, contentKey: contentKey, associatedData: header.associatedData)
    return try readBody(cipher: cipher, into: &sink)
  }

  private mutating func readBody<Sink: ByteSink>(
    cipher: SegmentCipher?, into sink: inout Sink
  ) throws -> EnvelopeSummary {
    let size = header.segmentSize
    let tagSize = header.suite.tagSize
    var frame = [UInt8](repeating: 0, count: 9)
    var segment = [UInt8](repeating: 0, count: size + tagSize)
    var position = 0
    var plaintextLength = 0
    var sawLast = false

    while true {
      guard let type = try input.readByte() else { throw EnvelopeError.truncated }
      switch type {
      case EnvelopeFormat.signatureFrame:
        guard sawLast else { throw EnvelopeError.truncated }
        let envelopeHash = hasher.finalize()
        guard let lengthBytes = try input.read(count: 2) else { throw EnvelopeError.truncated }
        let length = Int(lengthBytes[0]) << 8 | Int(lengthBytes[1])
        guard let signature = try input.read(count: length) else { throw EnvelopeError.truncated }
        guard try input.isAtEnd() else { throw EnvelopeError.trailingData }
        let message = EnvelopeSealer.signedMessage(envelopeHash)
        guard header.signer.isValidSignature(signature, for: message) else {
          throw EnvelopeError.signatureInvalid
        }
        return EnvelopeSummary(
          header: header, envelopeHash: envelopeHash, signature: signature,
          plaintextLength: plaintextLength, segmentCount: position)

      case EnvelopeFormat.segmentFrame, EnvelopeFormat.lastSegmentFrame:
        if sawLast { throw EnvelopeError.segmentAfterLast(index: position) }
        frame[0] = type
        guard
          try frame.withUnsafeMutableBytes({ (b) in
            try input.read(into: UnsafeMutableRawBufferPointer(rebasing: b[1...]))
          })
        else { throw EnvelopeError.truncated }
        let counter = Int(frame[1]) << 24 | Int(frame[2]) << 16 | Int(frame[3]) << 8 | Int(frame[4])
        let length = Int(frame[5]) << 24 | Int(frame[6]) << 16 | Int(frame[7]) << 8 | Int(frame[8])
        let last = type == EnvelopeFormat.lastSegmentFrame
        guard length <= size, last || length == size else {
          throw EnvelopeError.malformedSegment(
            index: position, reason: "length \(length) for a segment of \(size)")
        }
        let total = length + tagSize
        guard
          try segment.withUnsafeMutableBytes({ (b) in
            try input.read(into: UnsafeMutableRawBufferPointer(rebasing: b[..<total]))
          })
        else { throw EnvelopeError.truncated }
        hasher.update(frame)
        segment.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<total])) }

        if let cipher {
          let plaintext = segment.withUnsafeBytes { bytes in
            cipher.open(
              counter: UInt32(counter), last: last,
              ciphertext: UnsafeRawBufferPointer(rebasing: bytes[..<length]),
              tag: UnsafeRawBufferPointer(rebasing: bytes[length..<total]))
          }
          guard let plaintext else {
            throw EnvelopeError.segmentAuthenticationFailed(index: position)
          }
          if counter == position {
            try plaintext.withUnsafeBytes { (b) in try sink.write(b) }
          }
        }
        // The frame authenticates under its own counter (or there is no key to tell), so a
        // wrong counter here means whole segments were moved or removed: say which.
        if counter != position { throw try diagnoseDisorder(position: position, found: counter) }
        plaintextLength += length
        position += 1
        sawLast = last

      default:
        throw EnvelopeError.malformedSegment(index: position, reason: "unknown frame type \(type)")
      }
    }
  }

  /// Reads the remaining frames' counters to tell reordering from removal.
  private mutating func diagnoseDisorder(position: Int, found: Int) throws -> EnvelopeError {
    var counters = Array(0..<position) + [found]
    let tagSize = header.suite.tagSize
    // Bounded: a frame that is not well formed ends the scan, and so does a million frames, so a
    // crafted stream of tiny frames cannot make the diagnosis grow without limit.
    while counters.count < 1 << 20, let type = try input.readByte(),
      type == EnvelopeFormat.segmentFrame || type == EnvelopeFormat.lastSegmentFrame,
      let frame = try input.read(count: 8)
    {
      let length = Int(frame[4]) << 24 | Int(frame[5]) << 16 | Int(frame[6]) << 8 | Int(frame[7])
      let full = type == EnvelopeFormat.lastSegmentFrame || length == header.segmentSize
      guard length <= header.segmentSize, full else { break }
      counters.append(
        Int(frame[0]) << 24 | Int(frame[1]) << 16 | Int(frame[2]) << 8 | Int(frame[3]))
      guard try input.skip(count: length + tagSize) else { break }
    }
    let seen = Set(counters)
    if seen.count == counters.count, let highest = counters.max(),
      let missing = (0...highest).first(where: { !seen.contains($0) })
    {
      return .segmentDropped(missing: missing)
    }
    return .segmentsReordered(position: position, found: found)
  }
}

/// Reads a `ByteSource` through one fixed buffer; large reads go straight to the caller.
struct BufferedInput<Source: ByteSource> {
  private var source: Source
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0

  init(_ source: Source) {
    self.source = source
    self.buffer = [UInt8](repeating: 0, count: 16_384)
  }

  /// Fills `target` completely; false if the source ended first.
  mutating func read(into target: UnsafeMutableRawBufferPointer) throws -> Bool {
    var filled = min(end - start, target.count)
    buffer.withUnsafeBytes { b in
      target.baseAddress?.copyMemory(from: b.baseAddress! + start, byteCount: filled)
    }
    start += filled
    if filled < target.count {
      filled += try source.readFully(
        into: UnsafeMutableRawBufferPointer(rebasing: target[filled...]))
    }
    return filled == target.count
  }

  /// `count` bytes, or nil if the source ends first.
  mutating func read(count: Int) throws -> [UInt8]? {
    var out = [UInt8](repeating: 0, count: count)
    let complete = try out.withUnsafeMutableBytes { (b) in try read(into: b) }
    return complete ? out : nil
  }

  mutating func readByte() throws -> UInt8? {
    if start == end, try !refill() { return nil }
    defer { start += 1 }
    return buffer[start]
  }

  mutating func skip(count: Int) throws -> Bool {
    var remaining = count
    while remaining > 0 {
      if start == end, try !refill() { return false }
      let n = min(remaining, end - start)
      start += n
      remaining -= n
    }
    return true
  }

  mutating func isAtEnd() throws -> Bool {
    try start == end && !refill()
  }

  private mutating func refill() throws -> Bool {
    start = 0
    end = try buffer.withUnsafeMutableBytes { (b) in try source.read(into: b) }
    return end > 0
  }
}
