import Foundation
import SQLKit
import ZhaocaiCrypto

/// The platform's Merkle log (RFC 9162) kept in its database: entries, the hashes of every
/// complete subtree, and the size, all changed inside the caller's transaction.
///
/// Each operation reads just the O(log n) nodes it needs (`MerkleOperation.nodesRead`) in one
/// query and runs the in-memory algorithm over them.
public enum PersistentLog {
  /// The log's size; under PostgreSQL the row is locked until the transaction ends, so appends
  /// are serialised (SQLite's BEGIN IMMEDIATE already serialises writers).
  public static func size(on database: any SQLDatabase, forUpdate: Bool = false) async throws
    -> UInt64
  {
    let lock = forUpdate && database.dialect.name == "postgresql" ? " FOR UPDATE" : ""
    let row = try await database.raw(
      SQLQueryString("SELECT size FROM log_head WHERE id = 1" + lock)
    ).first()
    return UInt64(try row?.decode(column: "size", as: Int64.self) ?? 0)
  }

  /// Appends entries; returns the index of each.
  public static func append(
    _ entries: [[UInt8]], at now: Int64, on database: any SQLDatabase
  ) async throws -> [UInt64] {
    guard !entries.isEmpty else { return [] }
    let size = try await size(on: database, forUpdate: true)
    var log = try await prefetched(.append(count: entries.count), size: size, on: database)
    var indices: [UInt64] = []
    for entry in entries { indices.append(try log.append(entry)) }
    // Many rows per statement: a statement's round trip costs more than its rows.
    for chunk in stride(from: 0, to: entries.count, by: 200) {
      var sql: SQLQueryString = "INSERT INTO log_entries (idx, entry, recorded_at) VALUES "
      for offset in chunk..<min(chunk + 200, entries.count) {
        if offset > chunk { sql += ", " }
        sql += "(\(bind: Int64(indices[offset])), \(bind: Data(entries[offset])), \(bind: now))"
      }
      try await database.raw(sql).run()
    }
    let nodes = Array(log.store.appended)
    for chunk in stride(from: 0, to: nodes.count, by: 200) {
      var sql: SQLQueryString = "INSERT INTO log_nodes (level, idx, hash) VALUES "
      for offset in chunk..<min(chunk + 200, nodes.count) {
        let (key, hash) = nodes[offset]
        if offset > chunk { sql += ", " }
        sql += "(\(bind: key.level), \(bind: Int64(key.index)), \(bind: Data(hash.array)))"
      }
      try await database.raw(sql).run()
    }
    try await database.raw("UPDATE log_head SET size = \(bind: Int64(log.size)) WHERE id = 1").run()
    return indices
  }

  /// The root of the first `size` entries (all of them by default).
  public static func root(size: UInt64? = nil, on database: any SQLDatabase) async throws -> (
    size: UInt64, root: TreeHash
  ) {
    let current = try await self.size(on: database)
    let n = size ?? current
    let log = try await prefetched(.root(size: n), size: current, on: database)
    return (n, try log.root(size: n))
  }

  public static func inclusionProof(
    index: UInt64, size: UInt64, on database: any SQLDatabase
  ) async throws -> [TreeHash] {
    let current = try await self.size(on: database)
    let log = try await prefetched(
      .inclusion(index: index, size: size), size: current, on: database)
    return try log.inclusionProof(index: index, treeSize: size)
  }

  public static func consistencyProof(
    from old: UInt64, to new: UInt64, on database: any SQLDatabase
  ) async throws -> [TreeHash] {
    let current = try await self.size(on: database)
    let log = try await prefetched(.consistency(from: old, to: new), size: current, on: database)
    return try log.consistencyProof(from: old, to: new)
  }

  /// The entry at `index`, as appended.
  public static func entry(_ index: UInt64, on database: any SQLDatabase) async throws -> [UInt8]? {
    let row = try await database.raw(
      "SELECT entry FROM log_entries WHERE idx = \(bind: Int64(index))"
    ).first()
    return try row.map { Array(try $0.decode(column: "entry", as: Data.self)) }
  }

  /// A log over exactly the nodes `operation` reads, fetched in one query.
  private static func prefetched(
    _ operation: MerkleOperation, size: UInt64, on database: any SQLDatabase
  ) async throws -> MerkleLog<PrefetchedNodeStore> {
    let keys = operation.nodesRead(logSize: size)
    var nodes: [NodeKey: TreeHash] = [:]
    if !keys.isEmpty {
      let rows = try await database.select()
        .columns("level", "idx", "hash")
        .from("log_nodes")
        .where { group in
          for key in keys {
            group.orWhere { pair in
              pair.where("level", .equal, key.level).where("idx", .equal, Int64(key.index))
            }
          }
          return group
        }
        .all()
      for row in rows {
        let key = NodeKey(
          level: try row.decode(column: "level", as: Int.self),
          index: UInt64(try row.decode(column: "idx", as: Int64.self)))
        guard let hash = TreeHash(Array(try row.decode(column: "hash", as: Data.self))) else {
          throw MerkleError.nodeMissing(level: key.level, index: key.index)
        }
        nodes[key] = hash
      }
    }
    return MerkleLog(store: PrefetchedNodeStore(leafCount: size, nodes: nodes))
  }
}
