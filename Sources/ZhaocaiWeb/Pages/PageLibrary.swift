import Foundation
import Mustache

/// The templates of one platform's pages together with the layout every platform shares, and
/// the English of their phrases. Templates are written in Chinese; a phrase marked
/// `{{#t}}…{{/t}}` is shown in English from the phrase book when the visitor reads English (a
/// phrase the book lacks stays Chinese, and a test finds any such phrase).
public struct PageLibrary: Sendable {
  let library: MustacheLibrary
  /// Chinese phrase (whitespace collapsed) → English.
  let english: [String: String]
  /// Each template's text, by name (to find phrases without English).
  let sources: [String: String]

  /// The shared templates with those in `directory` (a platform's `Templates` folder, with its
  /// own `en.json` phrase book).
  public init(platformTemplates directory: URL) throws {
    let shared = try Self.templatesDirectory()
    var templates: [String: MustacheTemplate] = [:]
    var english: [String: String] = [:]
    var sources: [String: String] = [:]
    for folder in [shared, directory] {
      for (name, text) in try Self.files(in: folder, ending: ".mustache") {
        templates[name] = try MustacheTemplate(string: text)
        sources[name] = text
      }
      for (phrase, translation) in try Self.phraseBook(in: folder) {
        english[Self.normalized(phrase)] = translation
      }
    }
    library = MustacheLibrary(templates: templates)
    self.english = english
    self.sources = sources
  }

  /// The shared templates' folder in this module's resources.
  static func templatesDirectory() throws -> URL {
    guard let url = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
      throw PageTemplateMissing(name: "ZhaocaiWeb/Templates")
    }
    return url
  }

  /// `name` rendered with `values` in `language`; the phrase lambda `t` and `lang` are added.
  public func render(_ name: String, _ values: [String: Any], in language: PageLanguage) throws
    -> String
  {
    var context = values
    let english = english
    context["t"] = MustacheLambda { (phrase: String) -> Any? in
      language == .en ? english[Self.normalized(phrase)] ?? phrase : phrase
    }
    context["lang"] = language.htmlTag
    context["english"] = language == .en
    guard let html = library.render(context, withTemplate: name) else {
      throw PageTemplateMissing(name: name)
    }
    return html
  }

  /// Every `{{#t}}` phrase of the templates that the phrase book has no English for.
  public func untranslated() -> [String] {
    var missing: Set<String> = []
    for text in sources.values {
      var rest = Substring(text)
      while let open = rest.range(of: "{{#t}}"),
        let close = rest[open.upperBound...].range(
          of: "{{/t}}")
      {
        let phrase = Self.normalized(String(rest[open.upperBound..<close.lowerBound]))
        if english[phrase] == nil { missing.insert(phrase) }
        rest = rest[close.upperBound...]
      }
    }
    return missing.sorted()
  }

  /// The phrase as the book keys it: runs of whitespace made one space, ends trimmed.
  static func normalized(_ phrase: String) -> String {
    phrase.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  static func files(in folder: URL, ending suffix: String) throws -> [(String, String)] {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    return try names.filter { $0.hasSuffix(suffix) }.sorted().map {
      (
        String($0.dropLast(suffix.count)),
        try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
      )
    }
  }

  static func phraseBook(in folder: URL) throws -> [String: String] {
    let url = folder.appendingPathComponent("en.json")
    guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
    return try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
  }
}

/// A page's template is not among the platform's resources (a packaging fault, never input's).
public struct PageTemplateMissing: Error, CustomStringConvertible {
  public let name: String
  public init(name: String) { self.name = name }
  public var description: String { "page template \(name) is missing" }
}
