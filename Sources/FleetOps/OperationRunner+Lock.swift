import FleetJails
import FleetRun

#if canImport(Glibc)
    import Glibc
#endif

extension OperationRunner {
    /// Takes the host lock, breaking it once when its owner is gone; returns the failure
    /// outcome when the lock cannot be had.
    func acquireLock(journal: inout StepJournal) async -> HostOutcome? {
        let record = LockRecord(
            runID: context.runID, controller: context.controller, pid: Int(getpid()), started: 0)
        let command: String
        do {
            command = try HostLock.acquireCommand(settings: context.settings, record: record)
        } catch {
            return failed(error.description)
        }
        for attempt in 1...2 {
            let result: RemoteResult
            context.stepStarted("lock")
            do {
                result = try await shell.run(command)
            } catch {
                var outcome = lost(during: "lock", error: error, journal: journal)
                if CommandInterrupted.isInterruption(error) {
                    // Ctrl-C may have cut the lock step off after its mkdir.
                    journal.interruptedReadOnlyStep = true
                    await releaseLock(journal: &journal, outcome: &outcome)
                }
                return outcome
            }
            // Taking and releasing the lock leave the host as it was, so they are not changes.
            journal.record(name: "lock", command: command, result: result, changed: false)
            switch result.outcome {
            case .exited(0):
                return nil
            case .exited(75) where attempt == 1:
                if let failure = await breakStaleLock(journal: &journal) {
                    return failure
                }
            default:
                return failed("cannot take the host lock: \(StepVerdict.reason(result))")
            }
        }
        return failed("cannot take the host lock: another run took it again")
    }

    /// Removes the lock when its owner is gone; returns the failure outcome otherwise.
    private func breakStaleLock(journal: inout StepJournal) async -> HostOutcome? {
        let facts: HostFacts
        switch await gatherFacts(journal: &journal) {
        case .success(let gathered): facts = gathered
        case .failure(let failure): return failure.outcome
        }
        let assessment = HostLock.assess(
            facts.lock, runID: context.runID, controller: context.controller, now: facts.clock,
            maximumAge: context.staleLockAge,
            isProcessAlive: { kill(pid_t($0), 0) == 0 || errno == EPERM })
        switch assessment {
        case .free, .ownedByThisRun:
            // The lock went away between the attempt and the probe: try again.
            return nil
        case .heldByLiveRun(let owner):
            let lock = HostLock.directory(context.settings)
            let staleRule =
                owner.controller == context.controller
                ? "it counts as stale once that process is gone"
                : "a lock from another machine counts as stale after \(context.staleLockAge) s"
            return failed(
                "host is locked by run \(owner.runID) (pid \(owner.pid) on \(owner.controller)) "
                    + "in \(lock); wait for it to finish, or remove \(lock) if that run is gone "
                    + "(\(staleRule))")
        case .unreadable(let text):
            return failed(
                "host lock \(HostLock.directory(context.settings)) has no readable owner "
                    + "(\(text)); remove it by hand once no run is working on the host")
        case .stale(let owner, let reason):
            let command: String
            do {
                command = try HostLock.breakStaleCommand(settings: context.settings, record: owner)
            } catch {
                return failed(error.description)
            }
            do {
                let result = try await shell.run(command)
                journal.record(
                    name: "break stale lock (\(reason))", command: command, result: result,
                    changed: true)
                return result.outcome == .exited(0)
                    ? nil : failed("cannot remove the stale lock: \(StepVerdict.reason(result))")
            } catch {
                return lost(during: "break stale lock", error: error, journal: journal)
            }
        }
    }

    /// Releases the lock; a failure to release turns a success into a failure, since the
    /// next run would find the host locked. After Ctrl-C it releases the lock over a new
    /// connection when no change can still be running, and otherwise adds to the reason why
    /// the lock stays.
    func releaseLock(journal: inout StepJournal, outcome: inout HostOutcome) async {
        let command: String
        do {
            command = try HostLock.releaseCommand(settings: context.settings, runID: context.runID)
        } catch {
            return
        }
        if Task.isCancelled {
            await releaseLockAfterInterrupt(command, journal: &journal, outcome: &outcome)
            return
        }
        if let step = journal.stepStillRunning {
            outcome.reason =
                (outcome.reason ?? "step \(step) may still run")
                + "; the host lock \(HostLock.directory(context.settings)) stays because step "
                + "\(step) may still run on the host" + Self.stillRunningAdvice
            return
        }
        context.stepStarted("unlock")
        do {
            let result = try await shell.run(command)
            journal.record(name: "unlock", command: command, result: result, changed: false)
            if result.outcome != .exited(0) && outcome.state.succeeded {
                outcome.state = .failed
                outcome.reason = "cannot release the host lock: \(StepVerdict.reason(result))"
            }
        } catch {
            if outcome.state.succeeded {
                outcome = lost(during: "unlock", error: error, journal: journal)
            }
            if CommandInterrupted.isInterruption(error) {
                journal.interruptedReadOnlyStep = true
                await releaseLockAfterInterrupt(command, journal: &journal, outcome: &outcome)
            } else {
                outcome.reason =
                    (outcome.reason ?? "connection lost")
                    + "; the host lock \(HostLock.directory(context.settings)) stays because "
                    + "the connection was lost, and the next run from this machine removes it "
                    + "once this process has ended"
            }
        }
    }

    /// The end of a kept lock's reason when its step may still run: the next run from this
    /// machine finds the controller gone and removes the lock, so it cannot wait for the
    /// step by itself.
    static let stillRunningAdvice =
        "; make sure it has ended before the next run from this machine, which removes the "
        + "lock once this process has ended"

    /// Runs the release `command` once Ctrl-C closed the connection, or, when a step that
    /// changes the host was cut off and may still run there, keeps the lock and adds that to
    /// the host's reason.
    private func releaseLockAfterInterrupt(
        _ command: String, journal: inout StepJournal, outcome: inout HostOutcome
    ) async {
        let lock = HostLock.directory(context.settings)
        guard journal.interruptedReadOnlyStep else {
            outcome.reason =
                (outcome.reason ?? "interrupted")
                + "; the host lock \(lock) stays because "
                + (journal.interruptedStepStopped
                    ? "that step may have left the host part-way, and the next run from this "
                        + "machine removes it once this process has ended"
                    : "that step may still run on the host" + Self.stillRunningAdvice)
            return
        }
        do {
            let result = try await shell.runAfterInterrupt(command)
            journal.record(name: "unlock", command: command, result: result, changed: false)
            if result.outcome != .exited(0) {
                outcome.reason =
                    (outcome.reason ?? "interrupted")
                    + "; cannot release the host lock \(lock): \(StepVerdict.reason(result))"
            }
        } catch {
            // The default shell has no second connection, so it may throw the interrupt again.
            let cause = CommandInterrupted.isInterruption(error) ? "interrupted" : "\(error)"
            outcome.reason =
                (outcome.reason ?? "interrupted")
                + "; cannot release the host lock \(lock): \(cause)"
        }
    }
}
