import Hummingbird

/// The language a page is written in: Simplified Chinese unless the visitor chose English (the
/// switch on every page, kept in a cookie) or their browser asks for English before Chinese.
public enum PageLanguage: String, Sendable {
  case zh
  case en

  /// The visitor's language: `?lang=` first (the switch), then the `lang` cookie, then
  /// `Accept-Language` (the first of zh or en it names), else Chinese.
  public init(_ request: Request) {
    if let chosen = request.uri.queryParameters["lang"].flatMap({ Self(rawValue: String($0)) }) {
      self = chosen
    } else if let kept = request.cookies["lang"].flatMap({ Self(rawValue: $0.value) }) {
      self = kept
    } else {
      self = Self.preferred(request.headers[.acceptLanguage] ?? "")
    }
  }

  /// The first of Chinese or English an `Accept-Language` header names (weights honoured).
  static func preferred(_ header: String) -> PageLanguage {
    let ranked = header.split(separator: ",").prefix(32).compactMap {
      item -> (tag: Substring, weight: Double)? in
      let parts = item.split(separator: ";")
      guard let tag = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() else {
        return nil
      }
      let weight =
        parts.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
        .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
      return (Substring(tag), weight)
    }
    for item in ranked.sorted(by: { $0.weight > $1.weight }) where item.weight > 0 {
      if item.tag.hasPrefix("zh") { return .zh }
      if item.tag.hasPrefix("en") { return .en }
    }
    return .zh
  }

  /// The `lang` attribute of the page's `<html>`.
  public var htmlTag: String { self == .zh ? "zh-CN" : "en" }
  /// The other language, which the switch offers.
  public var other: PageLanguage { self == .zh ? .en : .zh }
}
