import FleetCore
import FleetPlaybook
import FleetReport
import FleetRun
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs the prepared plays of a playbook in order and ends with the overall recap.
///
/// As in Ansible, a host that fails or is unreachable in one play is left out of the
/// plays after it. The playbook stops, so later plays do not run, when every host of a
/// play failed or when a play's failure budget (`max_fail_percentage`) is exceeded.
struct PlaybookRun: Sendable {
    /// The command's context.
    var context: CommandContext
    /// The playbook path as given.
    var path: String
    /// The plays with their hosts.
    var plays: [PreparedPlay]
    /// The fleet options; `--serial` and `--max-fail-percent`, when given, replace every
    /// play's own `serial` and `max_fail_percentage`.
    var options: FleetRunOptions
    /// When true, tasks are planned and nothing changes.
    var checkOnly: Bool
    /// The run's unique id.
    var runID = FleetRunner.makeRunID()

    /// Runs every play and returns the exit status: 0 when every host of every play that
    /// ran succeeded, 69 when no host was reachable, 1 otherwise (a stopped playbook too).
    func run() async -> ExitStatus {
        let console = context.console
        let directories: [ReportDirectory?]
        do {
            directories = try reportDirectories()
        } catch {
            console.error("cannot create the report folder: \(error); check --report-dir")
            return .config
        }

        var results: [PlayResult] = []
        var failedIn: [String: String] = [:]
        var stopReason: String?
        for (index, prepared) in plays.enumerated() {
            if stopReason != nil {
                results.append(PlayResult(name: prepared.play.name, ran: false))
                continue
            }
            let result = await runPlay(
                prepared, number: index + 1, failedIn: failedIn, reports: directories[index])
            for outcome in result.hosts where outcome.state.countsAsFailure {
                failedIn[outcome.host] = prepared.play.name
            }
            stopReason = result.stopReason
            results.append(result)
            if let stopReason, index + 1 < plays.count {
                let later = plays.count - index - 1
                console.error(
                    "\(stopReason); the playbook stops, and \(later) later "
                        + "play\(later == 1 ? " does" : "s do") not run")
            }
        }
        return finish(results, stopReason: stopReason)
    }

    private func runPlay(
        _ prepared: PreparedPlay, number: Int, failedIn: [String: String],
        reports: ReportDirectory?
    ) async -> PlayResult {
        let play = prepared.play
        let console = context.console
        let serial = context.parsed.value("serial") != nil ? options.serial : play.serial
        let budget =
            context.parsed.value("max-fail-percent") != nil ? options.budget : play.budget
        let runnable = prepared.hosts.filter { failedIn[$0.name] == nil }
        if !options.json && console.verbosity > .quiet {
            let count = prepared.hosts.count == 1 ? "1 host" : "\(prepared.hosts.count) hosts"
            console.result(
                "PLAY \(number)/\(plays.count) '\(play.name)' on \(play.hosts.text): \(count), "
                    + "serial \(serial), max_fail_percentage \(budget.maxFailPercent)"
                    + (checkOnly ? ", check only" : ""))
        }

        var outcomes: [String: HostOutcome] = [:]
        for host in prepared.hosts {
            if let earlier = failedIn[host.name] {
                outcomes[host.name] = HostOutcome(
                    host: host.name, state: .notAttempted,
                    reason: "left out: it failed in play '\(earlier)'")
            }
        }
        let job = PlayHostJob(
            tasks: play.tasks, runID: runID, checkOnly: checkOnly, verbosity: console.verbosity)
        let hostReports = SharedTable<HostReport>()
        let pass = RollingPass(
            console: console, hosts: runnable,
            rollout: Rollout(serial: serial, budget: budget, forks: options.forks),
            reports: reports, quietText: options.json)
        let (ran, interrupted) = await pass.run { host, connection in
            let result = await job.run(on: host, connection: connection)
            if let report = result.report {
                hostReports.set(host.name, report)
            }
            return (result.outcome, result.lines)
        }
        for outcome in ran {
            outcomes[outcome.host] = outcome
        }
        let hosts = prepared.hosts.compactMap { outcomes[$0.name] }
        do {
            try reports?.writeSummary(hosts, interrupted: interrupted)
        } catch {
            console.error("cannot write the summary of play '\(play.name)': \(error)")
        }
        if !options.json {
            if runnable.isEmpty {
                console.result("no host left to run play '\(play.name)' on")
            }
            for line in Recap(hosts).lines {
                console.result(line)
            }
        }

        let reportsInOrder = prepared.hosts.compactMap { hostReports.value($0.name) }
        return PlayResult(
            name: play.name, ran: true, hosts: hosts, reports: reportsInOrder,
            stopReason: Self.stopReason(
                play: play.name, outcomes: ran, budget: budget, interrupted: interrupted),
            interrupted: interrupted)
    }

    /// Returns why the playbook stops after a play, or nil when it goes on.
    static func stopReason(
        play: String, outcomes: [HostOutcome], budget: FailureBudget, interrupted: Bool
    ) -> String? {
        if interrupted {
            return "interrupted during play '\(play)'"
        }
        let failures = outcomes.filter(\.state.countsAsFailure).count
        if !outcomes.isEmpty && failures == outcomes.count {
            return "every host of play '\(play)' failed or was unreachable"
        }
        if budget.isExceeded(failed: failures, total: outcomes.count) {
            return "play '\(play)' exceeded its failure budget: \(failures) of "
                + "\(outcomes.count) hosts failed or unreachable, max_fail_percentage "
                + "\(budget.maxFailPercent)"
        }
        return nil
    }

    private func finish(_ results: [PlayResult], stopReason: String?) -> ExitStatus {
        let console = context.console
        let outcomes = results.flatMap(\.hosts)
        let recap = Recap(outcomes)
        var status: ExitStatus
        switch recap.exitStatus {
        case _ where results.contains(where: \.interrupted): status = .interrupted
        case 0: status = stopReason == nil ? .ok : .someFailed
        case 69: status = .unavailable
        default: status = .someFailed
        }

        if let junitPath = options.junitPath {
            let cases = results.flatMap { result in
                result.hosts.map { outcome in
                    var junitCase = FleetRunner.junitCase(outcome)
                    junitCase.name = "\(result.name): \(outcome.host)"
                    return junitCase
                }
            }
            let xml = JUnitReport.render(suiteName: "run \(path)", cases: cases)
            do {
                try AtomicFile.write(xml, to: junitPath)
            } catch {
                console.error("cannot write the JUnit report: \(error); check --junit")
            }
        }
        if options.json {
            let document = PlaybookDocument(
                command: "run", playbook: path, runID: runID, check: checkOnly,
                exitStatus: status.rawValue, stopped: stopReason, plays: results)
            console.result(JSONOutput.encode(document))
            return status
        }

        let ran = results.filter(\.ran).count
        let counts = HostState.allCases.map { state in
            "\(recap.count(state)) \(String(state.rawValue.map { $0 == "-" ? " " : $0 }))"
        }
        var line = "PLAYBOOK \(path): \(ran) of \(results.count) plays run"
        if let stopReason {
            line += " (stopped: \(stopReason))"
        }
        line += "; \(outcomes.count) host runs: " + counts.joined(separator: ", ")
        console.result(line)
        return status
    }

    private func reportDirectories() throws(AtomicFileError) -> [ReportDirectory?] {
        guard let base = options.reportDirectory else {
            return plays.map { _ in nil }
        }
        var directories: [ReportDirectory?] = []
        for index in plays.indices {
            directories.append(
                try ReportDirectory(
                    path: "\(base)/play-\(index + 1)", command: "run", runID: runID))
        }
        return directories
    }
}

/// One play's part of the run, for the recap and `--json`.
struct PlayResult: Encodable, Sendable {
    /// The play's name.
    var name: String
    /// False when the playbook stopped before this play.
    var ran: Bool
    /// Every selected host's outcome, in inventory order.
    var hosts: [HostOutcome] = []
    /// The nightly report entries its `report` tasks gathered, in inventory order.
    var reports: [HostReport] = []
    /// The reason the playbook stops after this play, when it does.
    var stopReason: String?
    /// Whether Ctrl-C stopped this play.
    var interrupted = false
}

/// The `--json` document of `run`.
struct PlaybookDocument: Encodable {
    var command: String
    var playbook: String
    var runID: String
    var check: Bool
    var exitStatus: Int32
    /// The reason the playbook stopped early; absent when every play ran.
    var stopped: String?
    var plays: [PlayResult]
}
