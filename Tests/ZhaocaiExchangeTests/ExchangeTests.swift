import Crypto
import Foundation
import Testing

@testable import ZhaocaiExchange

@Suite struct SignedMessageTests {
  let key = Curve25519.Signing.PrivateKey()
  let message = ExchangeMessage(
    sender: "trading.fz", recipient: ExchangeMessage.hub, sequence: 7, kind: "section.event",
    sentAt: 1_795_743_000,
    payload: #"{"section":"S1","event":"招标公告"}"#)

  @Test func aSignedMessageVerifiesWithItsSendersKeyOnly() throws {
    let signed = try SignedMessage.sign(message, with: key)
    #expect(try signed.verified(with: key.publicKey, for: ExchangeMessage.hub) == message)
    #expect(try signed.claimedSender() == "trading.fz")
    #expect(throws: ExchangeError.badSignature) {
      try signed.verified(
        with: Curve25519.Signing.PrivateKey().publicKey, for: ExchangeMessage.hub)
    }
  }

  /// A signed sequence past Int64.max is refused before any store converts it (it trapped there).
  @Test func aSequenceBeyondWhatStoresHoldIsRefused() throws {
    var huge = message
    huge.sequence = UInt64(Int64.max) + 1
    let signed = try SignedMessage.sign(huge, with: key)
    #expect(throws: ExchangeError.self) {
      try signed.verified(with: key.publicKey, for: ExchangeMessage.hub)
    }
    huge.sequence = UInt64(Int64.max)
    #expect(
      try SignedMessage.sign(huge, with: key).verified(
        with: key.publicKey, for: ExchangeMessage.hub
      )
      .sequence == UInt64(Int64.max))
  }

  @Test func everyAlteredByteIsRefused() throws {
    let signed = try SignedMessage.sign(message, with: key)
    let bytes = Array(Data(base64Encoded: signed.message)!)
    for i in bytes.indices {
      var altered = bytes
      altered[i] ^= 0x01
      var forged = signed
      forged.message = Data(altered).base64EncodedString()
      #expect(throws: ExchangeError.self) {
        try forged.verified(with: key.publicKey, for: ExchangeMessage.hub)
      }
    }
    var noise = signed
    noise.signature = "not base64!"
    #expect(throws: ExchangeError.self) {
      try noise.verified(with: key.publicKey, for: ExchangeMessage.hub)
    }
  }

  @Test func theClaimedSenderIsTheMembersNotTextInsideAString() throws {
    var tricky = message
    tricky.payload = #"{"sender":"trading.xm","x":"\"sender\":\"y\""}"#
    let signed = try SignedMessage.sign(tricky, with: key)
    #expect(try signed.claimedSender() == "trading.fz")
    let (verified, bytes) = try signed.verifiedBytes(with: key.publicKey, for: ExchangeMessage.hub)
    #expect(verified == tricky)
    #expect(bytes == Data(base64Encoded: signed.message))
    #expect(throws: ExchangeError.malformed("no sender")) {
      try SignedMessage(message: Data("{}".utf8).base64EncodedString(), signature: "")
        .claimedSender()
    }
  }

  @Test func aMessageForAnotherReceiverIsRefused() throws {
    // The hub's copy of a log entry (public facts only) and the supervision platform's copy of
    // the same sequence are different messages: neither may stand in for the other.
    let signed = try SignedMessage.sign(message, with: key)
    #expect(throws: ExchangeError.misaddressed(ExchangeMessage.hub)) {
      try signed.verified(with: key.publicKey, for: "supervision.fj")
    }
    let broadcast = try SignedMessage.sign(
      ExchangeMessage(
        sender: "hub", recipient: ExchangeMessage.anyone, sequence: 1,
        kind: "registry.snapshot", sentAt: 0, payload: "{}"), with: key)
    #expect(throws: ExchangeError.misaddressed(ExchangeMessage.anyone)) {
      try broadcast.verified(with: key.publicKey, for: "trading.fz")
    }
  }

  @Test func aSignatureFromAnotherContextDoesNotCount() throws {
    // A key that signs checkpoints or notes must not be able to produce a message by accident:
    // the signature covers a context line first.
    let bytes = Data(base64Encoded: try SignedMessage.sign(message, with: key).message)!
    let bare = try key.signature(for: bytes)
    let replay = SignedMessage(
      message: bytes.base64EncodedString(), signature: Data(bare).base64EncodedString())
    #expect(throws: ExchangeError.badSignature) {
      try replay.verified(with: key.publicKey, for: ExchangeMessage.hub)
    }
  }
}

@Suite struct InboxTests {
  func message(_ sender: String, _ sequence: UInt64) -> ExchangeMessage {
    ExchangeMessage(
      sender: sender, recipient: ExchangeMessage.hub, sequence: sequence, kind: "k", sentAt: 0,
      payload: "{}")
  }

  @Test func messagesApplyOnceAndInOrderPerSender() {
    var inbox = Inbox()
    #expect(inbox.receive(message("A", 1)).apply.map(\.sequence) == [1])
    #expect(inbox.receive(message("A", 1)).duplicate)
    let ahead = inbox.receive(message("A", 4))
    #expect(ahead.apply.isEmpty && ahead.missing == 2...3)
    #expect(inbox.receive(message("A", 4)).duplicate)
    #expect(inbox.receive(message("B", 1)).apply.map(\.sender) == ["B"])
    let third = inbox.receive(message("A", 3))
    #expect(third.apply.isEmpty && third.missing == 2...2)
    #expect(inbox.receive(message("A", 2)).apply.map(\.sequence) == [2, 3, 4])
    #expect(inbox.applied == ["A": 4, "B": 1])
    #expect(inbox.held.isEmpty)
  }

  @Test func anyArrivalOrderAppliesEveryMessageExactlyOnce() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<200 {
      var arrivals = (1...20).map { message("A", UInt64($0)) }
      arrivals += arrivals.shuffled(using: &generator).prefix(8)  // redeliveries
      arrivals.shuffle(using: &generator)
      var inbox = Inbox()
      var applied: [UInt64] = []
      for arrival in arrivals { applied += inbox.receive(arrival).apply.map(\.sequence) }
      #expect(applied == Array(1...20))
    }
  }

  @Test func aSecondMessageForAHeldPlaceIsRefusedAndTheFirstStays() {
    var inbox = Inbox()
    _ = inbox.receive(message("A", 3))
    var resent = message("A", 3)
    resent.sentAt = 99  // the same fact signed again later is a duplicate
    #expect(inbox.receive(resent).duplicate)
    var other = message("A", 3)
    other.payload = #"{"forged":true}"#
    let outcome = inbox.receive(other)
    #expect(outcome.conflicting && !outcome.duplicate && outcome.apply.isEmpty)
    _ = inbox.receive(message("A", 1))
    #expect(inbox.receive(message("A", 2)).apply.map(\.payload) == ["{}", "{}"])
  }

  @Test func aReceiverResumesFromWhatItApplied() {
    var inbox = Inbox(applied: ["A": 41])
    #expect(inbox.receive(message("A", 41)).duplicate)
    #expect(inbox.receive(message("A", 42)).apply.count == 1)
  }
}
