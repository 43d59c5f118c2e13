/// The constants of sealed-envelope format v1 (docs/ENVELOPE.md).
public enum EnvelopeFormat {
  public static let magic: [UInt8] = Array("ZCSEAL".utf8)
  public static let version: UInt8 = 1
  /// Plaintext bytes in every segment but the last.
  public static let segmentSize = 65_536
  /// The most holders an envelope may name, and the largest header accepted.
  public static let maximumHolders = 16
  public static let maximumHeaderLength = 65_536
  public static let maximumIDLength = 256
  public static let contentKeySize = 32

  /// Frame types after the header.
  static let segmentFrame: UInt8 = 0x00
  static let lastSegmentFrame: UInt8 = 0x01
  static let signatureFrame: UInt8 = 0x53

  static let holderKeyLabel = "zhaocai-envelope-v1 holder-key"
  static let keyCommitmentLabel = "zhaocai-envelope-v1 key-commitment"
  static let shareCommitmentLabel = "zhaocai-envelope-v1 share-commitment"
  static let shareInfoLabel = "zhaocai-envelope-v1 share"
  static let signatureLabel = "zhaocai-envelope-v1 signature"
  static let sm4KeyLabel = "zhaocai-envelope-v1 sm4-key"
  static let sm3MacKeyLabel = "zhaocai-envelope-v1 sm3-mac-key"
}
