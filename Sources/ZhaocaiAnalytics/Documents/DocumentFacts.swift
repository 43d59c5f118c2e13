/// What the collusion signs compare in one opened file: its hash, its text, the properties its
/// application wrote (author, last modified by, application, company, producer) and the ids it
/// carries (a .docx's `w:rsidRoot`, `w:rsid` and `w14:docId`, a PDF's `/ID`).
public struct DocumentFacts: Sendable, Equatable {
  /// How the file was read; `unread` says why in `unreadReason`.
  public enum Format: String, Sendable, Equatable {
    case docx, xlsx, pdf, text, unread
  }

  public var name: String
  /// `sha256:` and the hex digest of the file's bytes.
  public var sha256: String
  public var format: Format
  public var unreadReason: String?
  public var text: String
  /// `author`, `lastModifiedBy`, `application`, `company`, `producer`, `creator`, where written.
  public var properties: [String: String]
  /// By kind (`w:rsidRoot`, `w:rsid`, `w14:docId`, `pdf:ID`), the ids the file carries.
  public var identifiers: [String: [String]]

  public init(
    name: String, sha256: String, format: Format, unreadReason: String? = nil, text: String = "",
    properties: [String: String] = [:], identifiers: [String: [String]] = [:]
  ) {
    self.name = name
    self.sha256 = sha256
    self.format = format
    self.unreadReason = unreadReason
    self.text = text
    self.properties = properties
    self.identifiers = identifiers
  }
}

/// The limits every reader keeps, whatever a file claims.
public struct DocumentLimits: Sendable, Equatable {
  /// Bytes of one file read at all; a larger one is listed, hashed, and not read.
  public var fileBytes: Int
  /// Bytes of one part inflated out of a ZIP or one PDF stream.
  public var partBytes: Int
  /// Characters of text kept from one file.
  public var characters: Int
  /// Ids of one kind kept from one file.
  public var identifiers: Int

  public init(
    fileBytes: Int = 64 << 20, partBytes: Int = 64 << 20, characters: Int = 1_000_000,
    identifiers: Int = 5_000
  ) {
    self.fileBytes = fileBytes
    self.partBytes = partBytes
    self.characters = characters
    self.identifiers = identifiers
  }
}
