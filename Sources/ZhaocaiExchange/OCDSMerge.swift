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
  public static func compile(_ releases: [JSONObject]) -> JSONObject {
    let ordered = releases.enumerated().sorted {
      let (a, b) = ($0.element["date"]?.string ?? "", $1.element["date"]?.string ?? "")
      return a == b ? $0.offset < $1.offset : a < b
    }
    var compiled: JSONObject = ["tag": .array([.string("compiled")])]
    for (_, release) in ordered { append(release, to: &compiled) }
    return compiled
  }

  /// Merges one more release (the latest by date) into a compiled release.
  public static func append(_ release: JSONObject, to compiled: inout JSONObject) {
    let ocid = release["ocid"]?.string ?? ""
    let date = release["date"]?.string ?? ""
    compiled["id"] = .string("\(ocid)-\(date)")
    compiled["date"] = .string(date)
    compiled["ocid"] = .string(ocid)
    merge(release, into: &compiled, path: [], skipping: releaseOnly)
  }

  /// A release's own fields, which the compiled release sets itself rather than merges.
  private static let releaseOnly: Set<String> = ["id", "date", "tag", "ocid"]

  private static func merge(
    _ source: JSONObject, into target: inout JSONObject, path: [String],
    skipping omitted: Set<String> = []
  ) {
    for member in source.members where omitted.isEmpty || !omitted.contains(member.key) {
      let key = member.key
      switch member.value {
      case .object(let object):
        guard !object.isEmpty else { continue }
        target.update(key) { value in
          var nested = value?.object ?? JSONObject()
          value = nil  // so `nested` is not copied on write
          merge(object, into: &nested, path: path + [key])
          value = .object(nested)
        }
      case .array(let array):
        guard !array.isEmpty else { continue }
        let here = path + [key]
        let objects = array.compactMap(\.object)
        if objects.count != array.count || wholeListMerge.contains(here) {
          target[key] = member.value
          continue
        }
        target.update(key) { value in
          // What is there is merged into only if it is a list of objects too.
          var merged: [JSONObject] = []
          if case .array(let existing) = value {
            let objects = existing.compactMap(\.object)
            if objects.count == existing.count { merged = objects }
          }
          value = nil  // so `merged` is not copied on write
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
              var fresh = JSONObject()
              merge(object, into: &fresh, path: here)
              if let id = object["id"] { fresh["id"] = id }
              merged.append(fresh)
            }
          }
          value = .array(merged.map(JSONValue.object))
        }
      case .null:
        target[key] = nil
      default:
        target[key] = member.value
      }
    }
  }

  /// ocdsmerge compares ids as text, so 1 and "1" are one object.
  private static func identifier(_ value: JSONValue) -> String {
    switch value {
    case .string(let text): text
    case .integer(let number): String(number)
    case .number(let number): "\(number)"
    default: JSONText.string(value)
    }
  }
}
