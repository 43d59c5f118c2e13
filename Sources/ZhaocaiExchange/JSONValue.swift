import Foundation

/// A JSON value of open data, typed: what `JSONText` reads and writes and `OCDSMerge` merges.
/// Compiling with `[String: Any]` spent most of its time casting and boxing; a typed value is
/// switched on, not cast.
public enum JSONValue: Sendable, Equatable {
  case object(JSONObject)
  case array([JSONValue])
  case string(String)
  case integer(Int64)
  case number(Double)
  case bool(Bool)
  case null

  /// The object, if this is one.
  public var object: JSONObject? {
    if case .object(let object) = self { return object }
    return nil
  }

  /// The text, if this is a string.
  public var string: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  /// A native value (`[String: Any]`, `[Any]`, String, Int, Int64, Double, Bool, NSNull) as
  /// JSON; what is none of these is null.
  public init(_ native: Any) {
    // Containers first: testing a Swift dictionary against a bridged type (Bool, NSNumber)
    // bridges the whole dictionary on Linux.
    switch native {
    case let value as JSONValue: self = value
    case let object as [String: Any]: self = .object(JSONObject(object))
    case let array as [Any]: self = .array(array.map(JSONValue.init))
    case let text as String: self = .string(text)
    case let number as Int64: self = .integer(number)
    case let number as Int: self = .integer(Int64(number))
    case let number as Double: self = .number(number)
    case let flag as Bool: self = .bool(flag)
    case let number as NSNumber:
      self = Int64(number.stringValue).map(JSONValue.integer) ?? .number(number.doubleValue)
    default: self = .null
    }
  }

  /// The native value (`[String: Any]`, `[Any]`, String, Int64, Double, Bool, NSNull).
  public var native: Any {
    switch self {
    case .object(let object): object.native
    case .array(let array): array.map(\.native)
    case .string(let text): text
    case .integer(let number): number
    case .number(let number): number
    case .bool(let flag): flag
    case .null: NSNull()
    }
  }
}

/// A JSON object whose members are kept sorted by key, the order they are written in, so
/// writing needs no sort; objects of open data have a few dozen keys at most.
public struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
  /// One member, a key and its value.
  public struct Member: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
  }

  public private(set) var members: [Member]

  public init() { members = [] }

  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(members: elements.map { Member(key: $0.0, value: $0.1) })
  }

  /// From members in any order; of a repeated key, the last one counts (as in a dictionary).
  public init(members: [Member]) {
    var sorted = true
    for index in members.indices.dropFirst() where !(members[index - 1].key < members[index].key) {
      sorted = false
      break
    }
    if sorted {
      self.members = members
      return
    }
    var unique: [Member] = []
    unique.reserveCapacity(members.count)
    for member in members.enumerated().sorted(by: {
      $0.element.key == $1.element.key ? $0.offset < $1.offset : $0.element.key < $1.element.key
    }).map(\.element) {
      if unique.last?.key == member.key {
        unique[unique.count - 1] = member
      } else {
        unique.append(member)
      }
    }
    self.members = unique
  }

  public init(_ native: [String: Any]) {
    self.init(members: native.map { Member(key: $0.key, value: JSONValue($0.value)) })
  }

  public var native: [String: Any] {
    Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value.native) })
  }

  public var isEmpty: Bool { members.isEmpty }
  public var count: Int { members.count }

  /// Where `key` is, or where it would go.
  private func position(of key: String) -> (index: Int, found: Bool) {
    var low = 0
    var high = members.count
    while low < high {
      let middle = (low + high) / 2
      let here = members[middle].key
      if here == key { return (middle, true) }
      if here < key { low = middle + 1 } else { high = middle }
    }
    return (low, false)
  }

  public subscript(key: String) -> JSONValue? {
    get {
      let (index, found) = position(of: key)
      return found ? members[index].value : nil
    }
    set {
      let (index, found) = position(of: key)
      switch (found, newValue) {
      case (true, let value?): members[index].value = value
      case (true, nil): members.remove(at: index)
      case (false, let value?): members.insert(Member(key: key, value: value), at: index)
      case (false, nil): break
      }
    }
  }

  /// Changes the value under `key` in place (nil: absent; set nil to remove it), without
  /// copying it on write.
  public mutating func update<T>(_ key: String, _ body: (inout JSONValue?) throws -> T) rethrows
    -> T
  {
    let (index, found) = position(of: key)
    var value: JSONValue? = nil
    if found {
      // Moved out, so the body's changes do not copy it.
      value = members[index].value
      members[index].value = .null
    }
    let result = try body(&value)
    switch (found, value) {
    case (true, let value?): members[index].value = value
    case (true, nil): members.remove(at: index)
    case (false, let value?): members.insert(Member(key: key, value: value), at: index)
    case (false, nil): break
    }
    return result
  }
}
