import OpenAPIRuntime

extension Configuration {
  /// How every platform's generated handlers write JSON: keys sorted, indented, and slashes
  /// left as they are, so the links in a notice read `https://…` rather than `https:\/\/…`.
  public static let zhaocai = Configuration(
    jsonEncodingOptions: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
}
