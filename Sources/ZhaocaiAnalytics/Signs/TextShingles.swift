/// A text as the set of its overlapping runs of `width` letters and digits (shingles), hashed:
/// punctuation, spaces and case are dropped first, so reflowing or repunctuating a copied
/// passage does not hide it. Chinese needs no word splitting: 8 characters are about 4 words.
struct TextShingles {
  static let width = 8
  /// The text's letters and digits, lower-cased, in order.
  let characters: [Unicode.Scalar]
  /// The hash of the shingle starting at each position.
  let hashes: [UInt64]

  init(_ text: String) {
    var characters: [Unicode.Scalar] = []
    characters.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars
    where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
      characters.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
    }
    self.characters = characters
    guard characters.count >= Self.width else {
      hashes = []
      return
    }
    var hashes: [UInt64] = []
    hashes.reserveCapacity(characters.count - Self.width + 1)
    for start in 0...(characters.count - Self.width) {
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for scalar in characters[start..<(start + Self.width)] {
        hash = (hash ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01b3
      }
      hashes.append(hash)
    }
    self.hashes = hashes
  }

  /// The passages of this text whose every shingle is in `other`, longest first.
  func sharedPassages(with other: Set<UInt64>, minimumShingles: Int = 3) -> [String] {
    var runs: [(start: Int, count: Int)] = []
    var start: Int?
    for (index, hash) in hashes.enumerated() {
      if other.contains(hash) {
        if start == nil { start = index }
      } else if let begun = start {
        runs.append((begun, index - begun))
        start = nil
      }
    }
    if let begun = start { runs.append((begun, hashes.count - begun)) }
    return runs.filter { $0.count >= minimumShingles }.sorted { $0.count > $1.count }.map {
      var text = String.UnicodeScalarView()
      text.append(contentsOf: characters[$0.start..<($0.start + $0.count + Self.width - 1)])
      return String(text)
    }
  }
}

/// MinHash signatures and locality-sensitive hashing: which pairs of many sets may be alike,
/// found without comparing every pair. 128 hashes in 64 bands of 2 find a pair with Jaccard
/// similarity 0.2 with probability 0.93 and 0.3 with 0.998; candidates are then compared exactly.
enum MinHash {
  static let hashes = 128
  static let rowsPerBand = 2

  static func signature(_ set: Set<UInt64>) -> [UInt64] {
    var minimum = [UInt64](repeating: .max, count: hashes)
    for value in set {
      for index in 0..<hashes {
        let mixed = mix(value ^ seeds[index])
        if mixed < minimum[index] { minimum[index] = mixed }
      }
    }
    return minimum
  }

  /// Index pairs (i < j) that share at least one band.
  static func candidates(_ signatures: [[UInt64]]) -> Set<Pair> {
    var found: Set<Pair> = []
    for band in stride(from: 0, to: hashes, by: rowsPerBand) {
      var buckets: [[UInt64]: [Int]] = [:]
      for (index, signature) in signatures.enumerated() where signature.first != .max {
        buckets[Array(signature[band..<(band + rowsPerBand)]), default: []].append(index)
      }
      for members in buckets.values where members.count > 1 {
        for i in 0..<members.count {
          for j in (i + 1)..<members.count { found.insert(Pair(members[i], members[j])) }
        }
      }
    }
    return found
  }

  struct Pair: Hashable {
    let first: Int
    let second: Int
    init(_ a: Int, _ b: Int) {
      first = min(a, b)
      second = max(a, b)
    }
  }

  private static let seeds: [UInt64] = {
    var state: UInt64 = 0x5a43_5349_474e_5331  // fixed: signatures are comparable across runs
    return (0..<hashes).map { _ in
      state = state &+ 0x9e37_79b9_7f4a_7c15
      return mix(state)
    }
  }()

  /// splitmix64's finaliser.
  private static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
