/// The bounds of a page a client asks for: a `limit` between 1 and a maximum (a negative LIMIT is
/// "no limit" to SQLite and an error to PostgreSQL), and a position (`after`, `offset`) that is
/// not negative and small enough that the next page's position cannot overflow.
public enum Paging {
  /// The furthest position a page may start at (2^53, beyond any log or table here).
  public static let maxPosition = 1 << 53

  public static func limit(_ asked: Int?, default fallback: Int, max most: Int) -> Int {
    min(max(asked ?? fallback, 1), most)
  }

  public static func position(_ asked: Int?) -> Int {
    min(max(asked ?? 0, 0), maxPosition)
  }

  public static func position(_ asked: Int64?) -> Int64 {
    min(max(asked ?? 0, 0), Int64(maxPosition))
  }
}
