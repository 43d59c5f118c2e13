import Crypto
import Foundation
import Testing

@testable import ZhaocaiExchange

@Suite struct SignedMessageTests {
  let key = Curve25519.Signing.PrivateKey()
  let message = ExchangeMessage(
    sender: "trading.fz", sequence: 7, kind: "section.event", sentAt: 1_795_743_000,
    payload: #"{"section":"S1","event":"招标公告"}"#)

  @Test func aSignedMessageVerifiesWithItsSendersKeyOnly() throws {
    let signed = try SignedMessage.sign(message, with: key)
    #expect(try signed.verified(with: key.publicKey) == message)
    #expect(try signed.claimedSender() == "trading.fz")
    #expect(throws: ExchangeError.badSignature) {
      try signed.verified(with: Curve25519.Signing.PrivateKey().publicKey)
    }
  }

  @Test func everyAlteredByteIsRefused() throws {
    let signed = try SignedMessage.sign(message, with: key)
    let bytes = Array(Data(base64Encoded: signed.message)!)
    for i in bytes.indices {
      var altered = bytes
      altered[i] ^= 0x01
      var forged = signed
      forged.message = Data(altered).base64EncodedString()
      #expect(throws: ExchangeError.self) { try forged.verified(with: key.publicKey) }
    }
    var noise = signed
    noise.signature = "not base64!"
    #expect(throws: ExchangeError.self) { try noise.verified(with: key.publicKey) }
  }

  @Test func aSignatureFromAnotherContextDoesNotCount() throws {
    // A key that signs checkpoints or notes must not be able to produce a message by accident:
    // the signature covers a context line first.
    let bytes = Data(base64Encoded: try SignedMessage.sign(message, with: key).message)!
    let bare = try key.signature(for: bytes)
    let replay = SignedMessage(
      message: bytes.base64EncodedString(), signature: Data(bare).base64EncodedString())
    #expect(throws: ExchangeError.badSignature) { try replay.verified(with: key.publicKey) }
  }
}

@Suite struct InboxTests {
  func message(_ sender: String, _ sequence: UInt64) -> ExchangeMessage {
    ExchangeMessage(sender: sender, sequence: sequence, kind: "k", sentAt: 0, payload: "{}")
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

  @Test func aReceiverResumesFromWhatItApplied() {
    var inbox = Inbox(applied: ["A": 41])
    #expect(inbox.receive(message("A", 41)).duplicate)
    #expect(inbox.receive(message("A", 42)).apply.count == 1)
  }
}
