import FleetCore
import FleetJails
import FleetRun

#if canImport(Glibc)
    import Glibc
#endif

/// The inputs of one host's run of an operation, besides the operation itself.
public struct JobContext: Sendable {
    /// The inventory name, for reports.
    public var host: String
    /// The host's settings from the inventory.
    public var settings: HostSettings
    /// The run's unique id, used in the lock and in snapshot names.
    public var runID: String
    /// This machine's host name, recorded in the lock.
    public var controller: String
    /// When true, plan and report the plan, change nothing, take no lock.
    public var checkOnly: Bool
    /// Age in seconds after which a lock taken from another machine counts as stale.
    public var staleLockAge: Int
    /// Called with a step's name just before the step's command is sent, for progress views.
    public var stepStarted: @Sendable (String) -> Void

    /// Creates a context; a lock from another machine is stale after 24 hours by default.
    public init(
        host: String, settings: HostSettings, runID: String, controller: String,
        checkOnly: Bool = false, staleLockAge: Int = 86_400,
        stepStarted: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.host = host
        self.settings = settings
        self.runID = runID
        self.controller = controller
        self.checkOnly = checkOnly
        self.staleLockAge = staleLockAge
        self.stepStarted = stepStarted
    }
}

/// Runs one jail operation on one host: lock, facts, plan, apply, unlock.
///
/// Every remote command becomes a `StepRecord`. A failed step runs the rollbacks of the
/// steps already done, newest first. A connection lost part-way ends the host as failed
/// with the last completed step named, because its state is then unknown.
public struct OperationRunner: Sendable {
    /// The host's shell.
    public let shell: any RemoteShell
    /// The run's context for this host.
    public let context: JobContext

    /// Creates a runner for one host.
    public init(shell: any RemoteShell, context: JobContext) {
        self.shell = shell
        self.context = context
    }

    /// Runs `operation` and returns the host's outcome; every failure ends up in the outcome.
    public func run(_ operation: FleetJails.Operation) async -> HostOutcome {
        let started = ContinuousClock.now
        var journal = StepJournal(host: context.host)
        var outcome = await runLocked(operation, journal: &journal)
        if !operation.changesHost && outcome.state == .changed {
            // A command run on request is not a change the run made to reach a state.
            outcome.state = .ok
        }
        outcome.steps = journal.records
        outcome.seconds = (ContinuousClock.now - started).seconds
        return outcome
    }

    private func runLocked(_ operation: FleetJails.Operation, journal: inout StepJournal) async
        -> HostOutcome
    {
        let needsLock = !context.checkOnly && operation.changesHost
        if needsLock {
            if let failure = await acquireLock(journal: &journal) {
                return failure
            }
        }
        var outcome = await planAndApply(operation, journal: &journal)
        if needsLock {
            await releaseLock(journal: &journal, outcome: &outcome)
        }
        return outcome
    }

    private func planAndApply(_ operation: FleetJails.Operation, journal: inout StepJournal) async
        -> HostOutcome
    {
        let facts: HostFacts
        switch await gatherFacts(journal: &journal) {
        case .success(let gathered): facts = gathered
        case .failure(let failure): return failure.outcome
        }

        let plan: Plan
        do {
            plan = try Planner.plan(
                operation, facts: facts, settings: context.settings, runID: context.runID)
        } catch {
            return failed(error.description)
        }

        switch plan {
        case .unchanged(let note):
            return HostOutcome(host: context.host, state: .ok, details: ["note": note])
        case .steps(let steps):
            if context.checkOnly {
                let planned = steps.map { PlannedStep(name: $0.name, command: $0.command) }
                let changes = steps.contains(where: \.changesHost)
                return HostOutcome(
                    host: context.host, state: changes ? .changed : .ok, plan: planned)
            }
            var outcome = await apply(steps, journal: &journal, keepOutput: !operation.changesHost)
            if case .skelUpgrade = operation, let version = facts.skelVersion {
                outcome.details["version before"] = version
            }
            return outcome
        }
    }

    /// Runs the facts probe and parses it.
    func gatherFacts(journal: inout StepJournal) async -> Result<HostFacts, Failure> {
        context.stepStarted("facts")
        let probe = await FactsGathering.gather(shell: shell, settings: context.settings)
        if let step = probe.step {
            journal.append(step)
        }
        switch probe.result {
        case .success(let facts):
            return .success(facts)
        case .failure(.connectionLost(let error)):
            journal.interruptedReadOnlyStep = CommandInterrupted.isInterruption(error)
            return .failure(Failure(outcome: lost(during: "facts", error: error, journal: journal)))
        case .failure(.unreadable(let message)):
            return .failure(Failure(outcome: failed(message)))
        }
    }

    /// Runs `steps` in order; `keepOutput` stores the last step's whole output in the
    /// details, for commands run on request whose output is the point.
    func apply(_ steps: [Step], journal: inout StepJournal, keepOutput: Bool) async
        -> HostOutcome
    {
        var done: [Step] = []
        var details: [String: String] = [:]
        var changed = false
        for step in steps {
            let result: RemoteResult
            context.stepStarted(step.name)
            do {
                result = try await shell.run(step.command)
            } catch {
                journal.interruptedStepStopped = (error as? CommandInterrupted)?.stopped == true
                return lost(during: step.name, error: error, journal: journal)
            }
            if keepOutput {
                details["stdout"] = result.stdout
                details["stderr"] = result.stderr
            }
            let verdict = StepVerdict(step: step, result: result)
            journal.record(
                name: step.name, command: step.command, result: result,
                changed: verdict.succeeded && step.changesHost, succeeded: verdict.succeeded)
            switch verdict.kind {
            case .succeeded:
                done.append(step)
                changed = changed || step.changesHost
                if let version = verdict.reportedVersion {
                    details["version after"] = version
                }
            case .nothingToDo(let note):
                // The steps before this one only prepare (such as rewriting the same
                // freebsd-update config), so the host counts as already as requested.
                details["note"] = note
                return HostOutcome(host: context.host, state: .ok, details: details)
            case .failed(let reason) where result.mayStillRun:
                // Rollbacks would race the step. The host is left as one lost part-way is,
                // which the next run's recovery handles.
                journal.stepStillRunning = step.name
                var outcome = failed(
                    "step \(step.name) failed: \(reason); nothing was rolled back while it may "
                        + "still run" + Self.timeoutAdvice(result))
                outcome.details = details
                return outcome
            case .failed(let reason):
                let undone = step.rollback?.undoesPartialFailure == true ? done + [step] : done
                let rolledBack = await rollBack(undone, journal: &journal)
                var outcome = failed(
                    "step \(step.name) failed: \(reason)" + Self.timeoutAdvice(result))
                outcome.details = details
                outcome.details["rolled back"] = rolledBack
                return outcome
            }
        }
        return HostOutcome(host: context.host, state: changed ? .changed : .ok, details: details)
    }

    /// Returns the advice that ends the reason of a step its timeout cut off, or an empty
    /// string for any other result.
    static func timeoutAdvice(_ result: RemoteResult) -> String {
        guard case .timedOut = result.outcome else { return "" }
        return "; raise command_timeout in the inventory, or set it to 0 for no limit"
    }

    /// Runs the rollbacks of `done`, newest first, and returns a one-line summary.
    func rollBack(_ done: [Step], journal: inout StepJournal) async -> String {
        var summary: [String] = []
        for step in done.reversed() {
            guard let rollback = step.rollback else { continue }
            context.stepStarted(rollback.name)
            do {
                let result = try await shell.run(rollback.command)
                let succeeded = result.outcome == .exited(0)
                journal.record(
                    name: rollback.name, command: rollback.command, result: result,
                    changed: succeeded, succeeded: succeeded)
                summary.append(
                    "\(rollback.name) \(succeeded ? "done" : "FAILED: \(result.outcome)")")
            } catch {
                summary.append("\(rollback.name) not run: connection lost")
                break
            }
        }
        return summary.isEmpty ? "nothing to roll back" : summary.joined(separator: ", ")
    }

    func failed(_ reason: String) -> HostOutcome {
        HostOutcome(host: context.host, state: .failed, reason: reason)
    }

    /// Returns the outcome of a host whose connection broke, or whose run was interrupted
    /// (the shell throws `CancellationError`), while `step` ran.
    func lost(during step: String, error: any Error, journal: StepJournal) -> HostOutcome {
        let last = journal.records.last(where: \.succeeded)?.name ?? "none"
        let changedSteps = journal.records.filter(\.changed).map(\.name)
        let state =
            changedSteps.isEmpty
            ? "nothing was changed before"
            : "changed by: " + changedSteps.joined(separator: ", ")
        if CommandInterrupted.isInterruption(error) {
            let stop = (error as? CommandInterrupted).map { "; \($0.stop)" } ?? ""
            return failed(
                "interrupted during step \(step) (last completed step: \(last); \(state))\(stop)")
        }
        return failed(
            "connection lost during step \(step) (last completed step: \(last); \(state)): \(error)"
        )
    }

    /// A failure that ends the host before any plan ran.
    struct Failure: Error {
        let outcome: HostOutcome
    }
}

extension FleetJails.Operation {
    /// Whether the operation may change the host, so it needs the host lock.
    var changesHost: Bool {
        switch self {
        case .skelInstall, .jailCreate, .jailStart, .jailStop, .jailRestart, .jailDelete,
            .skelUpgrade:
            return true
        case .jailExec, .hostExec:
            return false
        }
    }
}
