import Foundation
import Testing

/// Runs the built `zhaocai` off the concurrency pool, so the server in this process keeps serving.
public func runZhaocai(_ arguments: [String]) async throws -> (status: Int32, stderr: String) {
  let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let binary = [bundle, bundle.deletingLastPathComponent()].map {
    $0.appendingPathComponent("zhaocai")
  }
  .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  let executable = try #require(binary)
  return try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async {
      do {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        continuation.resume(
          returning: (process.terminationStatus, String(decoding: stderr, as: UTF8.self)))
      } catch {
        continuation.resume(throwing: error)
      }
    }
  }
}
