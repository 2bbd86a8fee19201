import FleetCore
import FleetRun
import FleetSSH

/// One rolling pass of per-host work over SSH, for commands that print more than one
/// recap or their own JSON document (`run`, `jail create --spread`): keys checked once,
/// hosts in batches under the budget, each host's lines and report written as it finishes.
///
/// Unlike `FleetRunner.run`, it prints no recap and no JSON; the caller does.
struct RollingPass: Sendable {
    /// The work on one connected host: its outcome and the lines it prints.
    typealias Work = @Sendable (FleetHost, SSHConnection) async -> (HostOutcome, HostLines)

    /// The command's console.
    var console: Console
    /// The hosts, in order.
    var hosts: [FleetHost]
    /// Batches, budget and forks.
    var rollout: Rollout
    /// The `--report-dir` folder that receives each host's report as it finishes, when given.
    var reports: ReportDirectory?
    /// True under `--json`, where the hosts' text lines are not printed.
    var quietText: Bool
    /// The width of the `[host]` prefix; defaults to the longest name of `hosts`.
    var prefixWidth: Int?

    /// Runs `work` on every host and returns the outcomes in host order, with whether the
    /// run was interrupted (SIGINT).
    func run(work: @escaping Work) async -> (outcomes: [HostOutcome], interrupted: Bool) {
        let keys = SSHKeyRing(targets: hosts.map(\.target))
        for problem in keys.problems {
            console.error(SSHErrorRenderer.message(for: problem))
        }
        let printer = HostPrinter(
            console: console, width: prefixWidth ?? hosts.map(\.name.count).max() ?? 0,
            quietText: quietText)
        let verbosity = console.verbosity
        let console = console
        let reports = reports
        let byName = Dictionary(
            hosts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let printed = SharedTable<HostLines>()
        let rollout = rollout
        let (outcomes, interrupted) = await InterruptibleRun.run(console: console) {
            await rollout.run(hosts: hosts.map(\.name)) { name in
                // Every name comes from `hosts`, so the lookup cannot fail.
                await FleetRunner.runHost(byName[name]!, keys: keys) { host, connection in
                    let (outcome, lines) = await work(host, connection)
                    printed.set(host.name, lines)
                    return outcome
                }
            } finished: { outcome in
                if let reports {
                    do {
                        try reports.write(outcome)
                    } catch {
                        console.error("[\(outcome.host)] cannot write its report: \(error)")
                    }
                }
                // A host that never connected prints its state line only.
                let lines =
                    printed.value(outcome.host) ?? OperationJob.lines(outcome, verbosity: verbosity)
                printer.print(outcome, lines: lines)
            }
        }
        return (outcomes, interrupted)
    }
}
