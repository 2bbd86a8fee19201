import FleetCore
import FleetJails
import FleetRun

extension SkelUpgradeRun {
    /// Recovers an install that an earlier run left part-way, which freebsd-update marks
    /// with `kerneldone`. On ZFS it rolls the skel back to its newest `@upgrade-` snapshot,
    /// the one taken just before that install, and drops the staged files, so the upgrade
    /// runs again from the start. Without a snapshot it finishes the install.
    ///
    /// Returns the facts gathered afterwards.
    mutating func recoverHalfDone(_ facts: HostFacts) async -> Result<HostFacts, Problem> {
        let step: Step
        let recovery: String
        if let snapshot = latestUpgradeSnapshot(facts) {
            step = Step(name: "recover-rollback-snapshot", command: rollbackCommand(snapshot))
            recovery =
                "rolled back the half-done upgrade an earlier run left to \(snapshot), "
                + "then upgraded again"
        } else {
            guard let resume = resumeCommand(facts) else {
                return .failure(
                    .failed(
                        "the skel has a partially completed upgrade pending and no snapshot; "
                            + "check it by hand"))
            }
            step = Step(
                name: "recover-finish-install", command: resume, outputCheck: .freebsdUpdate)
            recovery = "finished the half-done upgrade an earlier run left"
        }

        let outcome = await runner.apply(
            [noUpdateRunningStep, step], journal: &journal, keepOutput: false)
        switch outcome.state {
        case .ok, .changed:
            break
        case .failed, .unreachable, .timedOut, .notAttempted:
            guard outcome.details["rolled back"] != nil else { return .failure(.lost(outcome)) }
            return .failure(
                .failed(
                    "cannot recover the half-done upgrade an earlier run left: "
                        + (outcome.reason ?? "step \(step.name) failed")))
        }
        // Recorded only now, because a recovery that failed, such as while an earlier
        // install still runs, rolled back or finished nothing.
        details[SkelUpgradeDetail.recovery] = recovery
        recovered = true

        switch await runner.gatherFacts(journal: &journal) {
        case .success(let refreshed):
            return .success(refreshed)
        case .failure(let failure):
            return .failure(Self.problem(from: failure))
        }
    }

    /// The `--check` outcome of a host with a half-done upgrade: the recovery step, then the
    /// upgrade, which can only be planned once the skel is rolled back.
    func planRecovery(_ facts: HostFacts) -> HostOutcome {
        var plan: [PlannedStep] = []
        if let snapshot = latestUpgradeSnapshot(facts) {
            plan.append(
                PlannedStep(name: "recover-rollback-snapshot", command: rollbackCommand(snapshot)))
        } else if let resume = resumeCommand(facts) {
            plan.append(PlannedStep(name: "recover-finish-install", command: resume))
        }
        plan.append(
            PlannedStep(
                name: "then upgrade-skel",
                command: "# planned on the host once the half-done upgrade is recovered"))
        var outcome = finish(.changed)
        outcome.details[SkelUpgradeDetail.result] = SkelUpgradeResult.planned.rawValue
        outcome.details[SkelUpgradeDetail.recovery] = "a half-done upgrade is pending"
        outcome.plan = plan
        return outcome
    }

    /// A step that fails while a freebsd-update on the skel still runs, as it does when a
    /// killed controller's install goes on without it. The `[f]` keeps `pgrep -f` from
    /// matching the shell that runs this very check.
    private var noUpdateRunningStep: Step {
        let skel = RemotePath.join(context.settings.jailsRoot, context.settings.skelName.value)
        let pattern = ShellQuote.quote("[f]reebsd-update .*-b \(skel)( |$)")
        return Step(
            name: "check-no-update-running",
            command: """
                if pids=$(pgrep -f -- \(pattern)); then
                  echo "freebsd-update is still running on the skel (pid" $pids"); wait for it" >&2
                  exit 1
                fi
                """,
            changesHost: false)
    }

    /// Rolls the skel back to `snapshot` and removes the staged install it belongs to.
    private func rollbackCommand(_ snapshot: String) -> String {
        let staged =
            ShellQuote.quote(SkelUpgradePaths.workDirectory(context.settings)) + "/*-install"
        return ShellQuote.join(["zfs", "rollback", "-r", snapshot]) + " && rm -f " + staged
    }

    /// Runs the pending install until freebsd-update has nothing left, at most three passes,
    /// with the command the planner gives for resuming it.
    private func resumeCommand(_ facts: HostFacts) -> String? {
        let resume: String
        do {
            _ = try Planner.plan(
                .skelUpgrade(targetRelease: nil), facts: facts, settings: context.settings,
                runID: context.runID)
            return nil
        } catch .upgradePartiallyInstalled(_, let command, _) {
            resume = command
        } catch {
            return nil
        }
        return """
            i=0
            while [ "$i" -lt 3 ]; do
              out=$(\(resume) </dev/null 2>&1)
              rc=$?
              printf '%s\\n' "$out"
              case $out in
              *"No updates are available to install."*) exit 0 ;;
              esac
              [ "$rc" -eq 0 ] || exit "$rc"
              i=$((i + 1))
            done
            """
    }
}
