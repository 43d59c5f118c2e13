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
    /// Another message is held at this sequence: the sender signed two messages for one place
    /// in its stream. The first stays held; this one is refused.
    public var conflicting = false
    /// Sequences to fetch again from the sender, when one arrives past a gap.
    public var missing: ClosedRange<UInt64>?
  }

  public mutating func receive(_ message: ExchangeMessage) -> Outcome {
    let sender = message.sender
    let last = applied[sender] ?? 0
    var outcome = Outcome()
    if let waiting = held[sender]?[message.sequence] {
      if waiting.carriesTheSameFact(as: message) {
        outcome.duplicate = true
      } else {
        outcome.conflicting = true
      }
      return outcome
    }
    if message.sequence <= last {
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

extension ExchangeMessage {
  /// The same fact at the same place of the same stream; the time of sending may differ, since a
  /// relay signs each message again when it sends it again.
  public func carriesTheSameFact(as other: ExchangeMessage) -> Bool {
    sender == other.sender && recipient == other.recipient && sequence == other.sequence
      && kind == other.kind && payload == other.payload
  }
}
