import FleetCore
import FleetJails
import FleetRun

/// Upgrades one host's skel the way `upgrade-skel` does, under the host lock.
///
/// It gathers facts and rolls back (or finishes) a half-done upgrade that an earlier run
/// left. It stops as unchanged when the skel is at the target. Otherwise it runs the
/// planner's skel upgrade plan (fetch, snapshot, install, read the version), checks that the
/// version moved to the target, restarts the running jails one at a time when requested, and
/// runs `freebsd-version -u` in one running jail. A failure after the snapshot rolls the skel
/// back to it and restarts the jails this run stopped. A lost connection ends the host as
/// failed with the last completed step and what it left on the host.
public struct SkelUpgradeWorkflow: Sendable {
    /// The host's shell.
    public let shell: any RemoteShell
    /// The run's context for this host.
    public let context: JobContext
    /// The target release and whether to restart jails.
    public let request: SkelUpgradeRequest

    /// Creates the workflow for one host.
    public init(shell: any RemoteShell, context: JobContext, request: SkelUpgradeRequest) {
        self.shell = shell
        self.context = context
        self.request = request
    }

    /// Runs the workflow and returns the host's outcome, failures included.
    public func run() async -> HostOutcome {
        let started = ContinuousClock.now
        var run = SkelUpgradeRun(
            runner: OperationRunner(shell: shell, context: context), request: request)
        var outcome = await run.run()
        outcome.steps = run.journal.records
        outcome.seconds = (ContinuousClock.now - started).seconds
        return outcome
    }
}

/// The mutable state of one host's skel upgrade: the journal, the details gathered so far
/// and the jails this run stopped.
struct SkelUpgradeRun {
    /// The problem a step that did not succeed left the workflow with.
    enum Problem: Error {
        /// The step failed on the host; the text is the one-line reason.
        case failed(String)
        /// The connection broke; the outcome names the step and what had changed.
        case lost(HostOutcome)
    }

    let runner: OperationRunner
    let request: SkelUpgradeRequest
    var journal: StepJournal
    var details: [String: String] = [:]
    /// Jails this run stopped, whether or not they run again, in the order it stopped them.
    var touchedJails: [JailName] = []
    /// Whether the recovery of a half-done upgrade changed the host.
    var recovered = false

    init(runner: OperationRunner, request: SkelUpgradeRequest) {
        self.runner = runner
        self.request = request
        self.journal = StepJournal(host: runner.context.host)
    }

    var context: JobContext { runner.context }

    mutating func run() async -> HostOutcome {
        let needsLock = !context.checkOnly
        if needsLock, let failure = await runner.acquireLock(journal: &journal) {
            return failure
        }
        var outcome = await runLocked()
        if needsLock {
            await runner.releaseLock(journal: &journal, outcome: &outcome)
        }
        return outcome
    }

    private mutating func runLocked() async -> HostOutcome {
        var facts: HostFacts
        switch await runner.gatherFacts(journal: &journal) {
        case .success(let gathered): facts = gathered
        case .failure(let failure): return failure.outcome
        }
        details[SkelUpgradeDetail.versionBefore] = facts.skelVersion ?? "none"

        if facts.skelUpdateState == .partiallyInstalled {
            if context.checkOnly {
                return planRecovery(facts)
            }
            switch await recoverHalfDone(facts) {
            case .success(let refreshed): facts = refreshed
            case .failure(let problem): return end(problem)
            }
        } else if facts.skelUpdateState == .staged, let snapshot = latestUpgradeSnapshot(facts),
            !snapshot.hasSuffix("@upgrade-" + context.runID)
        {
            // An earlier run fetched an update and may have taken its snapshot, but the install
            // never marked the skel as part-way, so fetching again is safe.
            details[SkelUpgradeDetail.recovery] =
                "an update fetched by an earlier run was still pending (last snapshot "
                + "\(snapshot)); it was fetched again"
        }

        let plan: Plan
        do {
            plan = try Planner.plan(
                .skelUpgrade(targetRelease: request.targetRelease), facts: facts,
                settings: context.settings, runID: context.runID)
        } catch {
            return finish(.failed, reason: error.description)
        }
        switch plan {
        case .unchanged(let note):
            return unchanged(note, facts: facts)
        case .steps(let steps):
            if context.checkOnly {
                return planned(steps, facts: facts)
            }
            return await upgrade(steps, facts: facts)
        }
    }

    private mutating func upgrade(_ steps: [Step], facts: HostFacts) async -> HostOutcome {
        let applied = await runner.apply(steps, journal: &journal, keepOutput: false)
        let rollback = Self.skelRollback(in: steps)
        switch applied.state {
        case .ok:
            return unchanged(applied.details["note"] ?? "nothing to install", facts: facts)
        case .changed:
            break
        case .failed, .unreachable, .timedOut, .notAttempted:
            // apply records its rollbacks in "rolled back"; without them the connection broke.
            guard let rolledBack = applied.details["rolled back"] else {
                return end(.lost(applied))
            }
            details[SkelUpgradeDetail.rolledBack] = rolledBack
            details[SkelUpgradeDetail.result] = SkelUpgradeResult.rolledBack.rawValue
            await readVersion()
            return finish(.failed, reason: applied.reason)
        }

        guard let after = applied.details["version after"] else {
            return await fail("the skel printed no version after the install", rollback: rollback)
        }
        details[SkelUpgradeDetail.versionAfter] = after
        if let problem = verify(before: facts.skelVersion, after: after) {
            return await fail(problem, rollback: rollback)
        }
        if request.restartJails, let problem = await restartJails(facts) {
            return await fail(problem, rollback: rollback)
        }
        if let problem = await smokeCheck(facts, expected: after) {
            return await fail(problem, rollback: rollback)
        }
        details[SkelUpgradeDetail.result] = SkelUpgradeResult.upgraded.rawValue
        return finish(.changed)
    }

    /// Checks that the version read after the install moved forward, to the target release
    /// when one was requested; returns the reason when it did not.
    private func verify(before: String?, after: String) -> String? {
        guard let version = try? FreeBSDVersion(after) else {
            return "the skel reports the unreadable version \"\(after)\" after the install"
        }
        if let text = request.targetRelease, let target = try? FreeBSDVersion(text),
            version.releaseName != target.releaseName
        {
            return "the skel runs \(after) after the upgrade, not \(target.releaseName)"
        }
        if let before, let old = try? FreeBSDVersion(before), !(old < version) {
            return "the skel still runs \(after) after the install (it ran \(before) before)"
        }
        return nil
    }

    /// Rolls the skel back after a failure past the install, restarts the jails this run
    /// stopped, and returns the failed outcome.
    private mutating func fail(_ problem: Problem, rollback: Rollback?) async -> HostOutcome {
        switch problem {
        case .lost: return end(problem)
        case .failed(let reason): return await fail(reason, rollback: rollback)
        }
    }

    private mutating func fail(_ reason: String, rollback: Rollback?) async -> HostOutcome {
        var summary = "no rollback: the skel has no snapshot from before the install"
        if let rollback {
            do {
                let result = try await runStep(
                    name: rollback.name, command: rollback.command, changesHost: true)
                summary =
                    "\(rollback.name) "
                    + (result.outcome == .exited(0)
                        ? "done" : "FAILED: \(StepVerdict.reason(result))")
            } catch {
                return end(
                    .lost(runner.lost(during: rollback.name, error: error, journal: journal)))
            }
        }
        details[SkelUpgradeDetail.rolledBack] = summary
        details[SkelUpgradeDetail.result] = SkelUpgradeResult.rolledBack.rawValue
        if let problem = await restoreJails() {
            return end(problem)
        }
        await readVersion()
        return finish(.failed, reason: reason)
    }

    /// Ends the host on `problem` without running anything more on it.
    mutating func end(_ problem: Problem) -> HostOutcome {
        switch problem {
        case .failed(let reason):
            return finish(.failed, reason: reason)
        case .lost(let outcome):
            details[SkelUpgradeDetail.result] = SkelUpgradeResult.lost.rawValue
            details[SkelUpgradeDetail.stateLeft] = stateLeft()
            return finish(outcome.state, reason: outcome.reason)
        }
    }

    /// Describes what a broken connection left on the host, from the steps that completed.
    private func stateLeft() -> String {
        let completed = Set(journal.records.filter(\.succeeded).map(\.name))
        let started = journal.records.map(\.name)
        if !completed.contains("snapshot-before-install") && !started.contains("install") {
            return "the skel was not changed"
        }
        guard let after = details[SkelUpgradeDetail.versionAfter] else {
            return "the skel may be part-way through the install; the next run rolls it back "
                + "to its last @upgrade- snapshot (or finishes the install) before upgrading"
        }
        if let jail = touchedJails.last {
            return "the skel runs \(after); jail \(jail) may be stopped; run "
                + "'jail start \(jail)' or this command again"
        }
        return "the skel runs \(after); the check after the install did not finish"
    }

    private mutating func unchanged(_ note: String, facts: HostFacts) -> HostOutcome {
        // NOTE: an install that an interrupted run left running on the host can finish after
        // the controller is gone. A re-run then finds nothing to install and ends here, so
        // the jail restarts and the smoke check of that upgrade never run. Detecting it needs
        // a marker on the host, written before install and removed after the checks.
        details[SkelUpgradeDetail.note] = note
        details[SkelUpgradeDetail.versionAfter] = facts.skelVersion ?? "none"
        if recovered {
            details[SkelUpgradeDetail.result] = SkelUpgradeResult.finished.rawValue
            return finish(.changed)
        }
        details[SkelUpgradeDetail.result] = SkelUpgradeResult.unchanged.rawValue
        return finish(.ok)
    }

    private mutating func planned(_ steps: [Step], facts: HostFacts) -> HostOutcome {
        var plan = steps.map { PlannedStep(name: $0.name, command: $0.command) }
        let jails = Self.runningJails(facts: facts, settings: context.settings)
        if request.restartJails {
            for jail in jails {
                plan.append(
                    PlannedStep(
                        name: "restart \(jail)",
                        command: "# jail restart \(jail), planned once the skel is upgraded"))
            }
        }
        if let jail = jails.first {
            plan.append(
                PlannedStep(
                    name: "smoke-check \(jail)",
                    command: ShellQuote.join(["jexec", "-l", jail.value, "freebsd-version", "-u"])))
        }
        details[SkelUpgradeDetail.result] = SkelUpgradeResult.planned.rawValue
        var outcome = finish(steps.contains(where: \.changesHost) ? .changed : .ok)
        outcome.plan = plan
        return outcome
    }

    func finish(_ state: HostState, reason: String? = nil) -> HostOutcome {
        HostOutcome(host: context.host, state: state, reason: reason, details: details)
    }

    /// Reads the skel's version into the details, after a rollback; a failure leaves it out.
    private mutating func readVersion() async {
        let layout = RemotePath.join(context.settings.jailsRoot, context.settings.skelName.value)
        let command = ShellQuote.quote(layout + "/bin/freebsd-version") + " -u"
        guard let result = try? await runStep(name: "read-version", command: command),
            result.outcome == .exited(0),
            let line = result.stdout.split(separator: "\n").first
        else { return }
        details[SkelUpgradeDetail.versionAfter] = String(line)
    }

    /// Runs one command as a named step and records it; throws only when the connection broke.
    mutating func runStep(name: String, command: String, changesHost: Bool = false) async throws
        -> RemoteResult
    {
        context.stepStarted(name)
        let result = try await runner.shell.run(command)
        let succeeded = result.outcome == .exited(0)
        journal.record(
            name: name, command: command, result: result, changed: changesHost && succeeded,
            succeeded: succeeded)
        return result
    }

    /// The rollback that returns the skel to its state before the install: the snapshot's,
    /// or freebsd-update's own without ZFS.
    static func skelRollback(in steps: [Step]) -> Rollback? {
        steps.lazy.compactMap(\.rollback).first {
            $0.name == "rollback-snapshot" || $0.name == "freebsd-update-rollback"
        }
    }

    /// Returns the problem of a facts probe that failed. It is lost when `OperationRunner.lost`
    /// wrote the reason, the only reason that starts with "connection lost".
    static func problem(from failure: OperationRunner.Failure) -> Problem {
        let reason = failure.outcome.reason ?? "the facts probe failed"
        return reason.hasPrefix("connection lost") ? .lost(failure.outcome) : .failed(reason)
    }

    /// Returns the newest `@upgrade-` snapshot of the skel, the state before the last install.
    func latestUpgradeSnapshot(_ facts: HostFacts) -> String? {
        facts.skelSnapshots.last { $0.name.contains("@upgrade-") }?.name
    }
}
