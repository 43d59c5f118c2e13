import ArgumentParser
import Foundation
import TradingPlatform
import ZhaocaiStore
import ZhaocaiWeb

extension Log {
  /// `zhaocai log check --config FILE`: a trading platform's database against the hub's
  /// checkpoints of its log, the check after a restore from backup (docs/DEPLOY.md).
  struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a trading platform's database against the checkpoints the hub holds.",
      discussion: "Reads the platform's configuration (as `serve trading --config`), asks the "
        + "hub for every checkpoint of the platform's log and compares: each must be signed "
        + "with the platform's log key and, where the database's log reaches it, have the same "
        + "root. Exit 0: consistent and complete; 1: entries the hub has seen are missing (a "
        + "restore to an earlier point) or the log is another history than the hub's.\n\n"
        + ExitStatus.fileHelp)

    @Option(help: "The trading platform's configuration file (deploy/trading.json).")
    var config: String

    func run() async throws {
      do {
        let settings = try await PlatformSettings.read(file: config, overrides: [:])
        let configuration = try settings.tradingConfiguration()
        let platform = try await TradingPlatform.build(configuration, clock: SystemClock())
        let audit: LogAudit
        do {
          audit = try await platform.auditLogAtHub()
        } catch {
          await platform.store.close()
          throw error
        }
        await platform.store.close()
        print(Self.report(audit, platform: configuration.platformID))
        guard audit.isConsistent, audit.isComplete else { throw ExitStatus.refused }
      } catch let code as ExitCode {
        throw code
      } catch {
        throw ExitStatus.fail(error)
      }
    }

    static func report(_ audit: LogAudit, platform: String) -> String {
      var lines = [
        "\(platform): the database's log has \(audit.localSize) entries; the hub holds "
          + "\(audit.findings.count) checkpoints, the largest of \(audit.heldSize)"
      ]
      let agreeing = audit.findings.filter { if case .agrees = $0 { true } else { false } }
      lines.append("  \(agreeing.count) agree (same size and root)")
      for finding in audit.findings {
        switch finding {
        case .agrees: continue
        case .missing(let size):
          lines.append(
            "  MISSING: the hub holds a checkpoint of \(size) entries; \(size - audit.localSize)"
              + " of them are not in this database (数据缺失：公共服务平台已收到的日志条目不在本库中)")
        case .differs(let size):
          lines.append(
            "  DIFFERS: at \(size) entries this log has another root than the hub's checkpoint"
              + " (日志与公共服务平台留存的检查点不一致)")
        case .altered(let index):
          lines.append(
            "  ALTERED: entry \(index) does not hash to the leaf stored for it, or is missing"
              + " (日志条目被篡改或缺失)")
        case .unsigned(let note):
          lines.append("  UNSIGNED: a checkpoint not signed with this platform's log key: \(note)")
        }
      }
      lines.append(
        audit.isConsistent && audit.isComplete
          ? "consistent and complete (一致且完整)"
          : audit.isConsistent
            ? "consistent but behind the hub: restore further (replay more WAL) before serving"
            : "not this platform's history as the hub holds it: do not serve from this database")
      return lines.joined(separator: "\n")
    }
  }
}
