import FleetCore
import FleetOps
import FleetReport
import FleetRun
import FleetSSH
import Synchronization

/// Reads every host's report over SSH, all hosts in flight up to `forks` at once and none
/// skipped for others' failures: a report changes nothing, so no failure budget applies.
enum ReportGathering {
    /// The reports, sorted by host, each host's wall time in seconds, and whether Ctrl-C
    /// stopped the gathering before every host was read.
    struct Result: Sendable {
        var reports: [HostReport]
        var seconds: [String: Double]
        var interrupted = false
    }

    /// Runs the facts probe on every host; an unreachable host gets a report with its reason.
    static func run(_ hosts: [FleetHost], forks: Int, console: Console) async -> Result {
        // A key that cannot be loaded shows up as each affected host's reason.
        let keys = SSHKeyRing(targets: hosts.map(\.target))
        let collected = Mutex<[String: HostReport]>([:])
        let byName = Dictionary(
            hosts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let rollout = Rollout(budget: FailureBudget(maxFailPercent: 100), forks: forks)
        let (outcomes, interrupted) = await InterruptibleRun.run(console: console) {
            await rollout.run(hosts: hosts.map(\.name)) { name in
                // Every name comes from `hosts`, so the lookup cannot fail.
                await FleetRunner.runHost(byName[name]!, keys: keys) { host, connection in
                    let report = await ReportBuilder.gather(
                        host: host.name, shell: SSHShell(connection: connection),
                        settings: host.settings)
                    collected.withLock { $0[host.name] = report }
                    return HostOutcome(
                        host: host.name, state: report.reachable ? .ok : .failed,
                        reason: report.problem)
                }
            } finished: { outcome in
                console.note(
                    "[\(outcome.host)] \(outcome.state.rawValue) in "
                        + DecimalText.format(outcome.seconds, digits: 2) + " s")
            }
        }

        let reports = collected.withLock { $0 }
        var result = Result(
            reports: [], seconds: [:],
            // A Ctrl-C after the last host was read cut nothing short: only hosts it left
            // unstarted or cut off count, not hosts that failed for reasons of their own.
            interrupted: interrupted
                && outcomes.contains {
                    $0.state == .notAttempted || $0.reason?.hasPrefix("interrupted") == true
                })
        for outcome in outcomes {
            result.reports.append(
                reports[outcome.host]
                    ?? HostReport(unreachableHost: outcome.host, problem: problem(outcome)))
            result.seconds[outcome.host] = outcome.seconds
        }
        result.reports.sort { $0.host < $1.host }
        return result
    }

    /// Describes in one line why a host produced no report.
    static func problem(_ outcome: HostOutcome) -> String {
        let reason = outcome.reason ?? "no reason recorded"
        switch outcome.state {
        case .unreachable, .failed:
            return reason
        case .notAttempted:
            // Only Ctrl-C leaves a report host unread, and its reason names the interrupt.
            return reason
        case .timedOut:
            return "\(outcome.state.rawValue): \(reason)"
        case .ok, .changed:
            return "no report was gathered"
        }
    }
}
