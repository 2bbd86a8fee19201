import FleetInventory
import FleetJails
import FleetOps
import FleetPlaybook
import FleetReport
import FleetRun
import FleetSSH

/// Runs the tasks of one play on one connected host, in order, stopping at the first task
/// that fails, and folds the tasks' outcomes into the host's outcome for the play.
struct PlayHostJob: Sendable {
    /// The result of one host's run of a play.
    struct Result: Sendable {
        /// The host's outcome over every task of the play.
        var outcome: HostOutcome
        /// The lines the host prints, one group per task.
        var lines: HostLines
        /// The nightly report entry, when a `report` task ran.
        var report: HostReport?
    }

    /// The play's tasks.
    var tasks: [PlaybookTask]
    /// The run's id, used in locks and snapshot names.
    var runID: String
    /// When true, tasks are planned and nothing changes.
    var checkOnly: Bool
    /// The verbosity, for the lines of each task.
    var verbosity: Verbosity

    /// Runs every task on `host` over `connection`.
    func run(on host: FleetHost, connection: SSHConnection) async -> Result {
        var result = Result(outcome: HostOutcome(host: host.name, state: .ok), lines: HostLines())
        for (index, task) in tasks.enumerated() {
            let label = Self.label(task)
            let started = ContinuousClock.now
            var taskOutcome: HostOutcome
            var taskLines: HostLines
            switch task.action {
            case .report:
                let gathered = await report(host: host, connection: connection)
                taskOutcome = gathered.outcome
                taskLines = gathered.lines
                result.report = gathered.report ?? result.report
            case .skelInstall, .skelUpgrade, .jailCreate, .jailStart, .jailStop, .jailRestart,
                .jailDelete, .jailExec, .hostExec:
                taskOutcome = await operations(task.action, host: host, connection: connection)
                taskOutcome.seconds = (ContinuousClock.now - started).seconds
                taskLines = OperationJob.lines(taskOutcome, verbosity: verbosity)
            }
            taskLines.output = taskLines.output.map { "\(label): \($0)" }
            taskLines.error = taskLines.error.map { "\(label): \($0)" }
            Self.fold(taskOutcome, label: label, into: &result)
            result.lines.output += taskLines.output
            result.lines.error += taskLines.error

            if !taskOutcome.state.succeeded {
                let skipped = tasks.count - index - 1
                if skipped > 0 {
                    result.lines.error.append(
                        "\(skipped) later task\(skipped == 1 ? "" : "s") not run on this host")
                }
                return result
            }
            if checkOnly && taskOutcome.state == .changed && index + 1 < tasks.count {
                // Later tasks would be planned against facts this task changes, so a check
                // names them only.
                for later in tasks[(index + 1)...] {
                    result.outcome.plan.append(
                        PlannedStep(
                            name: "then \(Self.label(later))",
                            command: "# planned on the host once the tasks above have run"))
                    result.lines.output.append(
                        "\(Self.label(later)): planned once the tasks above have run")
                }
                return result
            }
        }
        return result
    }

    /// Returns the task's name in quotes, or its operation and jail when it has none.
    static func label(_ task: PlaybookTask) -> String {
        if let name = task.name {
            return "task '\(name)'"
        }
        switch task.action {
        case .skelInstall: return "skel_install"
        case .skelUpgrade: return "skel_upgrade"
        case .jailCreate(let name, _), .jailStart(let name), .jailStop(let name),
            .jailRestart(let name), .jailDelete(let name, _), .jailExec(let name, _):
            return "\(task.action.operation.key) \(name)"
        case .hostExec: return "host_exec"
        case .report: return "report"
        }
    }

    /// Returns the jail operations a task runs, in order; `jail_create` with `start` is a
    /// create, then a start.
    static func operations(_ action: TaskAction) throws(JailNameError) -> [FleetJails.Operation] {
        switch action {
        case .skelInstall: return [.skelInstall]
        case .skelUpgrade(let release): return [.skelUpgrade(targetRelease: release)]
        case .jailCreate(let name, let start):
            let jail = try JailName(name)
            return start ? [.jailCreate(jail), .jailStart(jail)] : [.jailCreate(jail)]
        case .jailStart(let name): return [.jailStart(try JailName(name))]
        case .jailStop(let name): return [.jailStop(try JailName(name))]
        case .jailRestart(let name): return [.jailRestart(try JailName(name))]
        case .jailDelete(let name, let stop):
            // `confirm: true` is required by the playbook loader, so the deletion is confirmed.
            return [.jailDelete(try JailName(name), stopFirst: stop, confirmed: true)]
        case .jailExec(let name, let command): return [.jailExec(try JailName(name), argv: command)]
        case .hostExec(let command): return [.hostExec(argv: command)]
        case .report: return []
        }
    }

    /// Returns `host` with the settings a task overrides: `skel_install`'s `source` replaces
    /// the host's `install_source`.
    static func host(_ host: FleetHost, for action: TaskAction) throws(SettingsError) -> FleetHost {
        guard case .skelInstall(let source?) = action else { return host }
        let settings = host.settings
        var changed = host
        changed.settings = try HostSettings(
            jailsRoot: settings.jailsRoot, skelName: settings.skelName,
            zfsDataset: settings.zfsDataset,
            installSource: source == .sources ? .sources : .binaries,
            releaseMirror: settings.releaseMirror, unameR: settings.unameR,
            jailConfDir: settings.jailConfDir, stateDir: settings.stateDir,
            freebsdUpdateConfig: settings.freebsdUpdateConfig)
        return changed
    }

    private func operations(
        _ action: TaskAction, host: FleetHost, connection: SSHConnection
    ) async -> HostOutcome {
        let operations: [FleetJails.Operation]
        let taskHost: FleetHost
        do {
            operations = try Self.operations(action)
            taskHost = try Self.host(host, for: action)
        } catch {
            return HostOutcome(host: host.name, state: .failed, reason: "\(error)")
        }
        return await OperationJob.run(
            operations, on: taskHost, connection: connection, runID: runID, checkOnly: checkOnly)
    }

    private func report(
        host: FleetHost, connection: SSHConnection
    ) async -> (outcome: HostOutcome, lines: HostLines, report: HostReport?) {
        switch await RemoteFacts.gather(
            host: host.name, settings: host.settings, connection: connection)
        {
        case .success(let (facts, step)):
            let report = ReportBuilder.report(
                host: host.name, facts: facts, settings: host.settings)
            let summary = PlayReportLine.summary(report)
            let outcome = HostOutcome(
                host: host.name, state: .ok, steps: [step], details: ["report": summary])
            return (outcome, HostLines(output: [summary]), report)
        case .failure(let failure):
            let outcome = HostOutcome(
                host: host.name, state: .failed, reason: failure.reason,
                steps: failure.step.map { [$0] } ?? [])
            return (outcome, HostLines(error: ["failed: \(failure.reason)"]), nil)
        }
    }

    /// Adds one task's outcome to the host's: steps, plan and details in order, the
    /// state raised to changed or failed, and the reason prefixed with the task.
    private static func fold(_ task: HostOutcome, label: String, into result: inout Result) {
        result.outcome.steps += task.steps
        result.outcome.plan += task.plan
        for (key, value) in task.details {
            result.outcome.details["\(label): \(key)"] = value
        }
        switch task.state {
        case .ok:
            break
        case .changed:
            result.outcome.state = .changed
        case .failed, .unreachable, .timedOut, .notAttempted:
            result.outcome.state = task.state
            result.outcome.reason = "\(label): \(task.reason ?? "failed")"
        }
    }
}
