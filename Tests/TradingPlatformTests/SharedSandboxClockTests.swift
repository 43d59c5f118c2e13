import Foundation
import Testing
import ZhaocaiWeb

/// A sandbox deployment's processes share one clock through a file: moving it in one moves it in
/// all, and none goes back when the file is lost or holds nonsense.
@Suite struct SharedSandboxClockTests {
  private func temporaryFile() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "zhaocai-clock-\(UUID().uuidString)"
    ).path
  }

  @Test func movingOneProcessClockMovesTheOthers() throws {
    let file = temporaryFile()
    defer { try? FileManager.default.removeItem(atPath: file) }
    let base = ManualClock(1_800_000_000)
    let hub = SandboxClock(base: base, sharedFile: file)
    let node = SandboxClock(base: base, sharedFile: file)
    #expect(node.now() == 1_800_000_000)
    hub.advance(seconds: 86_400)
    #expect(node.now() == 1_800_086_400)
    node.advance(seconds: 60)
    #expect(hub.now() == 1_800_086_460)
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "86460\n")
  }

  @Test func aLostOrGarbledFileNeverMovesTheClockBack() throws {
    let file = temporaryFile()
    defer { try? FileManager.default.removeItem(atPath: file) }
    let base = ManualClock(1_800_000_000)
    let clock = SandboxClock(base: base, sharedFile: file)
    clock.advance(seconds: 3_600)
    try FileManager.default.removeItem(atPath: file)
    #expect(clock.now() == 1_800_003_600)
    for garbage in ["-5\n", "not a number", String(repeating: "9", count: 40), "999999999999\n"] {
      try Data(garbage.utf8).write(to: URL(fileURLWithPath: file))
      #expect(clock.now() == 1_800_003_600)
    }
    // Moving on from a garbled file starts from what this process knew.
    clock.advance(seconds: 1)
    #expect(clock.now() == 1_800_003_601)
  }
}
