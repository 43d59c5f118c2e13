import ArgumentParser
import Foundation
import ZhaocaiCrypto
import ZhaocaiStore

/// The exit codes of every subcommand, documented in `--help`.
enum ExitStatus {
  static let refused = ExitCode(1)
  static let cannotOpen = ExitCode(2)
  static let fileProblem = ExitCode(3)
  /// A platform that cannot be reached (sysexits' EX_UNAVAILABLE).
  static let unreachable = ExitCode(69)

  /// The codes of the commands that seal, verify and open envelopes.
  static let help = """
    Exit codes:
      0   success
      1   envelope refused: malformed, altered, truncated, badly signed,
          or for another section, opening time or bidder (bid seal: the
          input is not a bid bundle of this section and bidder)
      2   cannot open with these keys: too few holder keys, a key that
          is not a holder's, a share that fails to decrypt or to match
      3   a file cannot be read or written, or a key file is invalid
      64  wrong command line (a missing or malformed option)
    """

  /// The codes of the commands that check or write files (keys, bundles, logs, open data).
  static let fileHelp = """
    Exit codes:
      0   success
      1   refused: what was checked does not hold (the message says what, and what to do)
      3   a file cannot be read or written, or a key file is invalid
      64  wrong command line (a missing or malformed option)
    """

  /// `serve`'s: it runs until stopped.
  static let serveHelp = """
    Exit codes:
      0   stopped by SIGINT or SIGTERM after serving (databases closed)
      1   could not start or stopped by a fault: a port in use, a database
          that cannot be reached or migrated, an invalid configuration
          (the message says which)
      64  wrong command line (a missing or malformed option)
    """

  /// `demo`'s: a whole tender run and checked.
  static let demoHelp = """
    Exit codes:
      0   every step ran and every check of the final state held
      1   a step was refused or a check failed (the step is printed)
      64  wrong command line (a missing or malformed option)
    """

  /// The root command's: each subcommand documents its own.
  static let rootHelp = """
    Exit codes: 0 success, 64 a wrong command line; each subcommand's --help lists the rest.
    """

  /// Prints one actionable line to stderr (English, then Chinese) and picks the exit code.
  static func fail(_ error: any Error) -> ExitCode {
    let (english, chinese, code): (String, String, ExitCode)
    switch error {
    case let error as EnvelopeError:
      english = error.english
      chinese = error.chinese
      switch error {
      case .io: code = fileProblem
      case .invalidParameters: code = .validationFailure
      case .notAHolder, .fewerThanThreshold, .shareDecryptionFailed, .shareCommitmentMismatch,
        .keyCommitmentMismatch, .suiteMismatch:
        code = cannotOpen
      default: code = refused
      }
    case let error as KeyFileError:
      english = error.description
      chinese = "密钥文件无效"
      code = fileProblem
    case let error as ValidationError:
      english = error.message
      chinese = "命令行参数错误"
      code = .validationFailure
    case let error as StoreUnavailable:
      english = error.description
      chinese = "无法连接数据库"
      code = .failure
    case let error as CommandFailure:
      english = error.english
      chinese = error.chinese
      code = error.code
    default:
      english = "\(error)"
      chinese = "操作失败"
      code = .failure
    }
    FileHandle.standardError.write(Data("zhaocai: error: \(english) (\(chinese))\n".utf8))
    return code
  }
}

/// A failure of the command itself, with its message in both languages.
struct CommandFailure: Error {
  let english: String
  let chinese: String
  let code: ExitCode
}

/// Reads a whole small file (a key, a manifest, a receipt), naming the file in the error.
func readData(_ path: String) throws -> Data {
  guard let data = FileManager.default.contents(atPath: path) else {
    throw CommandFailure(
      english: "cannot read \(path)", chinese: "无法读取文件 \(path)", code: ExitStatus.fileProblem)
  }
  return data
}

/// Writes a file with the given mode (600 for secrets), creating its directory.
func writeFile(_ data: Data, to path: String, mode: Int) throws {
  let url = URL(fileURLWithPath: path)
  try FileManager.default.createDirectory(
    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
  guard
    FileManager.default.createFile(
      atPath: path, contents: data, attributes: [.posixPermissions: mode])
  else {
    throw CommandFailure(
      english: "cannot write \(path)", chinese: "无法写入 \(path)", code: ExitStatus.fileProblem)
  }
}

/// Reads a key file as UTF-8 text.
func readText(_ path: String) throws -> String {
  guard let text = String(data: try readData(path), encoding: .utf8) else {
    throw CommandFailure(
      english: "\(path) is not UTF-8 text", chinese: "文件 \(path) 不是文本", code: ExitStatus.fileProblem
    )
  }
  return text
}

func writeStandardError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Prints `value` as one line of JSON with sorted keys (what `--json` options print).
func printJSON(_ value: some Encodable) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
