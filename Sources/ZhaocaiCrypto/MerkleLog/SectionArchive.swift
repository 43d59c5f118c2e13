import Foundation

/// 电子档案: one file holding a section's logged events with their inclusion proofs against one
/// signed checkpoint, and every file those events name (documents, envelopes), so that the whole
/// record can be checked offline (docs/ARCHIVE.md).
public struct SectionArchive: Codable, Sendable, Equatable {
  public static let currentFormat = "zhaocai-archive v1"

  public var format: String
  public var section: String
  /// The C2SP signed note every entry is proven against.
  public var checkpoint: String
  public var entries: [Entry]
  public var files: [File]

  /// A log entry of the section and its inclusion proof.
  public struct Entry: Codable, Sendable, Equatable {
    public var index: UInt64
    public var entry: Data
    public var proof: [String]

    public init(index: UInt64, entry: [UInt8], proof: [TreeHash]) {
      self.index = index
      self.entry = Data(entry)
      self.proof = proof.map(\.base64)
    }
  }

  /// The hash a file is named by: a sealed envelope's is its envelope hash (docs/ENVELOPE.md),
  /// given only if its signature verifies; any other file's is the SHA-256 of its bytes.
  static func contentHash(of file: File) -> String? {
    if file.name.hasPrefix("envelopes/") {
      guard var reader = try? EnvelopeReader(MemorySource(Array(file.content))),
        let summary = try? reader.verify()
      else { return nil }
      return "\(summary.header.suite.hashFunction):\(summary.envelopeHash.hex)"
    }
    var hash = StreamingHash(.sha256)
    hash.update(Array(file.content))
    return "sha256:\(hash.finalize().hex)"
  }

  /// A file kept with the record: a document (`hash` is `sha256:` and the hex digest of its
  /// bytes) or a sealed envelope under `envelopes/` (`hash` is its envelope hash).
  public struct File: Codable, Sendable, Equatable {
    public var name: String
    public var hash: String
    public var content: Data

    public init(name: String, hash: String, content: Data) {
      self.name = name
      self.hash = hash
      self.content = content
    }
  }

  public init(section: String, checkpoint: String, entries: [Entry], files: [File]) {
    format = Self.currentFormat
    self.section = section
    self.checkpoint = checkpoint
    self.entries = entries
    self.files = files
  }

  /// Why an archive was refused.
  public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
    case format(String)
    case entry(index: UInt64, Receipt.Failure)
    case otherSection(index: UInt64)
    case fileAltered(name: String)
    case fileNotLogged(name: String)

    public var description: String {
      switch self {
      case .format(let what): "not a Zhaocai archive: \(what)"
      case .entry(let index, let failure): "log entry \(index) does not verify: \(failure)"
      case .otherSection(let index): "log entry \(index) belongs to another section"
      case .fileAltered(let name): "file \(name) does not match its hash"
      case .fileNotLogged(let name): "file \(name) is named by no logged entry"
      }
    }
  }

  /// What a verified archive holds.
  public struct Summary: Sendable, Equatable {
    public let checkpoint: Checkpoint
    public let entries: Int
    public let files: Int
  }

  /// Checks the checkpoint's signature, every entry's inclusion proof and section, every file's
  /// hash, and that each file is named by a logged entry (so no file can be swapped or added).
  public func verify(with verifier: NoteVerifier) throws(Failure) -> Summary {
    guard format == Self.currentFormat else { throw .format("format \(format)") }
    guard !entries.isEmpty else { throw .format("no log entries") }
    var checked: Checkpoint?
    var logged = ""
    for item in entries {
      var receipt = Receipt(
        checkpoint: checkpoint, index: item.index, entry: Array(item.entry), proof: [])
      receipt.proof = item.proof
      do {
        checked = try receipt.verify(with: verifier)
      } catch {
        throw .entry(index: item.index, error)
      }
      guard (try? JSONDecoder().decode(SectionOfEntry.self, from: item.entry))?.section == section
      else {
        throw .otherSection(index: item.index)
      }
      logged += String(decoding: item.entry, as: UTF8.self)
    }
    for file in files {
      guard file.hash == Self.contentHash(of: file) else { throw .fileAltered(name: file.name) }
      guard logged.contains(file.hash) else { throw .fileNotLogged(name: file.name) }
    }
    return Summary(checkpoint: checked!, entries: entries.count, files: files.count)
  }
}

/// The one field of a log entry the archive check reads: which section it belongs to.
private struct SectionOfEntry: Decodable {
  let section: String
}
