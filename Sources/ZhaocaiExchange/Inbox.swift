/// A receiver's view of each sender's sequence: messages are applied exactly once and in order;
/// a message ahead of the next one is held and the missing ones are asked for again.
public struct Inbox: Sendable, Equatable {
  /// The last sequence applied, per sender.
  public private(set) var applied: [String: UInt64]
  /// Messages received ahead of their turn, per sender and sequence.
  public private(set) var held: [String: [UInt64: ExchangeMessage]]

  public init(
    applied: [String: UInt64] = [:], held: [String: [UInt64: ExchangeMessage]] = [:]
  ) {
    self.applied = applied
    self.held = held
  }

  /// What receiving a message means.
  public struct Outcome: Sendable, Equatable {
    /// The messages to apply now, in order (the received one and any it unblocked).
    public var apply: [ExchangeMessage] = []
    /// Already applied or already held: nothing to do (at-least-once delivery repeats).
    public var duplicate = false
    /// Sequences to fetch again from the sender, when one arrives past a gap.
    public var missing: ClosedRange<UInt64>?
  }

  public mutating func receive(_ message: ExchangeMessage) -> Outcome {
    let sender = message.sender
    let last = applied[sender] ?? 0
    var outcome = Outcome()
    if message.sequence <= last || held[sender]?[message.sequence] != nil {
      outcome.duplicate = true
      return outcome
    }
    if message.sequence > last + 1 {
      held[sender, default: [:]][message.sequence] = message
      let firstHeld = held[sender]!.keys.min()!
      if firstHeld > last + 1 { outcome.missing = (last + 1)...(firstHeld - 1) }
      return outcome
    }
    outcome.apply.append(message)
    var next = message.sequence + 1
    while let waiting = held[sender]?.removeValue(forKey: next) {
      outcome.apply.append(waiting)
      next += 1
    }
    if held[sender]?.isEmpty == true { held[sender] = nil }
    applied[sender] = next - 1
    return outcome
  }
}
