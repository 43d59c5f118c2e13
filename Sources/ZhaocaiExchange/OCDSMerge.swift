import Foundation

/// OCDS 1.1 merging (https://standard.open-contracting.org/1.1/en/schema/merging/): releases of
/// one contracting process compiled into its current state, as ocdsmerge does it — releases in
/// date order, objects merged field by field, arrays of objects merged by `id`, other arrays
/// and the few `wholeListMerge` fields replaced, empty values ignored, null removing a field.
public enum OCDSMerge {
  /// Arrays the release schema merges whole although their items are objects.
  static let wholeListMerge: Set<[String]> = [
    ["parties", "additionalIdentifiers"], ["buyer", "additionalIdentifiers"],
    ["tender", "items", "additionalClassifications"],
    ["awards", "items", "additionalClassifications"],
    ["contracts", "items", "additionalClassifications"],
  ]

  /// The compiled release of `releases` (all of one ocid).
  public static func compile(_ releases: [[String: Any]]) -> [String: Any] {
    let ordered = releases.enumerated().sorted {
      let (a, b) = ($0.element["date"] as? String ?? "", $1.element["date"] as? String ?? "")
      return a == b ? $0.offset < $1.offset : a < b
    }
    var compiled: [String: Any] = ["tag": ["compiled"]]
    for (_, release) in ordered { append(release, to: &compiled) }
    return compiled
  }

  /// Merges one more release (the latest by date) into a compiled release.
  public static func append(_ release: [String: Any], to compiled: inout [String: Any]) {
    let ocid = release["ocid"] as? String ?? ""
    let date = release["date"] as? String ?? ""
    compiled["id"] = "\(ocid)-\(date)"
    compiled["date"] = date
    compiled["ocid"] = ocid
    var fields = release
    for omitted in ["id", "date", "tag", "ocid"] { fields[omitted] = nil }
    merge(fields, into: &compiled, path: [])
  }

  private static func merge(
    _ source: [String: Any], into target: inout [String: Any], path: [String]
  ) {
    for (key, value) in source {
      let here = path + [key]
      // NSNull is tested last: testing a Swift dictionary or array against a class bridges it.
      switch value {
      case let object as [String: Any]:
        guard !object.isEmpty else { continue }
        var nested = target[key] as? [String: Any] ?? [:]
        target[key] = nil  // so `nested` is not copied on write
        merge(object, into: &nested, path: here)
        target[key] = nested
      case let array as [Any]:
        guard !array.isEmpty else { continue }
        let objects = array.compactMap { $0 as? [String: Any] }
        if objects.count != array.count || wholeListMerge.contains(here) {
          target[key] = array
          continue
        }
        var merged = target[key] as? [[String: Any]] ?? []
        target[key] = nil  // so the array below is not copied on write
        var positions: [String: Int] = [:]
        for (position, object) in merged.enumerated() {
          if let id = object["id"].map(identifier) { positions[id] = position }
        }
        for object in objects {
          // An object without an id is always a new one (ocdsmerge gives it a fresh key).
          if let id = object["id"].map(identifier), let found = positions[id] {
            merge(object, into: &merged[found], path: here)
          } else {
            if let id = object["id"].map(identifier) { positions[id] = merged.count }
            var fresh: [String: Any] = [:]
            merge(object, into: &fresh, path: here)
            if let id = object["id"] { fresh["id"] = id }
            merged.append(fresh)
          }
        }
        target[key] = merged
      case is String, is Int64, is Int, is Double, is Bool:
        target[key] = value
      case is NSNull:
        target[key] = nil
      default:
        target[key] = value
      }
    }
  }

  /// ocdsmerge compares ids as text, so 1 and "1" are one object.
  private static func identifier(_ value: Any) -> String {
    switch value {
    case let text as String: text
    case let number as Int64: String(number)
    case let number as Int: String(number)
    default: "\(value)"
    }
  }
}
