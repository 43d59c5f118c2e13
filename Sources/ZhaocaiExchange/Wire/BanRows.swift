import SQLKit
import ZhaocaiDomain

extension Ban {
  /// A ban from a row of `party, reason, starts_at, ends_at` (the hub's and each copy's).
  public init(row: any SQLRow) throws {
    self.init(
      party: try row.decode(column: "party", as: String.self),
      reason: try row.decode(column: "reason", as: String.self),
      startsAt: try row.decode(column: "starts_at", as: Int64.self),
      endsAt: try row.decode(column: "ends_at", as: Int64.self))
  }
}
