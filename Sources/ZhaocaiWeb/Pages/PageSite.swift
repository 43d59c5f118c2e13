import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One platform's pages: its templates, its name and menu, and how it states a refusal. Every
/// page is rendered inside the shared layout, and every page handler runs through `respond`, so
/// a refusal is a page saying why (with the rule's article) and never a stack trace or a 500.
public struct PageSite: Sendable {
  public let library: PageLibrary
  /// The platform's name in the header, in each language.
  public let chinese: String
  public let english: String
  /// A sandbox's pages say so on top of every page.
  public let sandboxed: Bool
  /// How the platform states an error (the same mapping its API uses).
  let answer: @Sendable (any Error) -> ProblemDetails

  public init(
    library: PageLibrary, chinese: String, english: String, sandboxed: Bool,
    answer: @escaping @Sendable (any Error) -> ProblemDetails
  ) {
    self.library = library
    self.chinese = chinese
    self.english = english
    self.sandboxed = sandboxed
    self.answer = answer
  }

  /// `template` rendered for `visit` inside the layout, with `values` and the menu `menu`.
  public func page(
    _ template: String, for visit: PageVisit, title: String, values: [String: Any] = [:],
    menu: [PageLink] = [], signedIn: String? = nil, status: HTTPResponse.Status = .ok
  ) throws -> Response {
    var context = visit.layoutValues
    context.merge(values) { $1 }
    context["title"] = title
    context["siteName"] = visit.language == .zh ? chinese : english
    context["sandboxed"] = sandboxed
    context["signedIn"] = signedIn ?? false
    context["menu"] = menu.map { link in
      [
        "href": link.href, "label": visit.language == .zh ? link.chinese : link.english,
        "current": link.href == "/" ? visit.path == "/" : visit.path.hasPrefix(link.href),
      ] as [String: Any]
    }
    return visit.html(try library.render(template, context, in: visit.language), status: status)
  }

  /// Runs a page handler; what it throws becomes the error page with the refusal's status (a
  /// server fault: 500, logged with a request id the person can quote, nothing else shown).
  public func respond(
    _ request: Request, menu: [PageLink] = [], signedIn: String? = nil,
    _ handler: (inout PageVisit) async throws -> Response
  ) async -> Response {
    var visit = PageVisit(request)
    do {
      return try await handler(&visit)
    } catch {
      let problem = (error as? PageFieldRefusal)?.problem ?? answer(error)
      return errorPage(problem, for: visit, menu: menu, signedIn: signedIn)
    }
  }

  /// The page that says why a request was refused.
  public func errorPage(
    _ problem: ProblemDetails, for visit: PageVisit, menu: [PageLink] = [],
    signedIn: String? = nil
  ) -> Response {
    let status = HTTPResponse.Status(code: problem.status)
    do {
      return try page(
        "error", for: visit, title: visit.language == .zh ? "无法完成" : "Could not be done",
        values: [
          "message": problem.message(in: visit.language), "code": problem.code,
          "status": problem.status, "signInNeeded": problem.status == 401,
        ], menu: menu, signedIn: signedIn, status: status)
    } catch {
      // The error template itself is missing: a packaging fault, said in plain text.
      pageLogger.error("error page not rendered", metadata: ["error": "\(error)"])
      return visit.html(
        "<!doctype html><title>\(problem.code)</title><p>\(problem.code)</p>", status: status)
    }
  }
}

extension PageSite {
  /// What a form's template needs to show refusals: the summary (each linking to its field)
  /// and each field's message, in the visitor's language.
  public static func errorValues(
    _ errors: [(field: String, problem: ProblemDetails)], _ language: PageLanguage
  ) -> [String: Any] {
    var fieldErrors: [String: Any] = [:]
    for error in errors where fieldErrors[error.field] == nil {
      fieldErrors[error.field] = error.problem.message(in: language)
    }
    let messages: [[String: Any]] = errors.map {
      ["field": $0.field, "message": $0.problem.message(in: language)]
    }
    return ["hasErrors": !errors.isEmpty, "errors": messages, "fieldErrors": fieldErrors]
  }
}

/// An entry of a page's menu.
public struct PageLink: Sendable {
  public let href: String
  public let chinese: String
  public let english: String

  public init(_ href: String, _ chinese: String, _ english: String) {
    self.href = href
    self.chinese = chinese
    self.english = english
  }
}

extension ProblemDetails {
  /// The refusal as a page says it: Chinese as stated (it carries the article), or the English
  /// with the article after it.
  public func message(in language: PageLanguage) -> String {
    switch language {
    case .zh: chinese
    case .en: article.map { "\(english) (\($0))" } ?? english
    }
  }
}

let pageLogger = Logger(label: "zhaocai.pages")
