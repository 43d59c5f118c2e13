import Foundation

/// A JSON value of open data, typed: what `JSONText` reads and writes and `OCDSMerge` merges.
/// A typed value is switched on, not cast: no dictionary of `Any` is bridged or boxed.
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

  /// The elements, if this is an array.
  public var array: [JSONValue]? {
    if case .array(let elements) = self { return elements }
    return nil
  }

  /// The whole number, if this is one.
  public var integer: Int64? {
    if case .integer(let number) = self { return number }
    return nil
  }

  /// The flag, if this is a Boolean.
  public var bool: Bool? {
    if case .bool(let flag) = self { return flag }
    return nil
  }

  /// The member under `key`, if this is an object that has one.
  public subscript(key: String) -> JSONValue? { object?[key] }

  /// Text as JSON: `.string`, or `.null` for none.
  public init(_ text: String?) { self = text.map(JSONValue.string) ?? .null }

  /// Strings as a JSON array.
  public init(_ texts: [String]) { self = .array(texts.map(JSONValue.string)) }
}

extension JSONValue: CustomStringConvertible {
  /// A string's own text; anything else as compact JSON.
  public var description: String { string ?? JSONText.string(self) }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral text: String) { self = .string(text) }
  public init(integerLiteral number: Int64) { self = .integer(number) }
  public init(floatLiteral number: Double) { self = .number(number) }
  public init(booleanLiteral flag: Bool) { self = .bool(flag) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(members: elements.map { .init(key: $0.0, value: $0.1) }))
  }
  public init(nilLiteral: ()) { self = .null }
}

/// A JSON object whose members are kept sorted by key, the order they are written in, so
/// writing needs no sort; objects of open data have a few dozen keys at most.
public struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
  /// One member, a key and its value.
  public struct Member: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
      self.key = key
      self.value = value
    }
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
