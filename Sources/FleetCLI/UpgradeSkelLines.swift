import FleetOps
import FleetCore
import FleetRun

/// The lines `upgrade-skel` prints for each host as it finishes.
enum UpgradeSkelLines {
    /// Returns the state line with the skel versions before and after, then what recovery,
    /// restarts, smoke check and rollback did. `-v` adds the steps and `-vv` their commands.
    static func lines(_ outcome: HostOutcome, verbosity: Verbosity) -> HostLines {
        let details = outcome.details
        let before = details[SkelUpgradeDetail.versionBefore] ?? "unknown"
        let after = details[SkelUpgradeDetail.versionAfter] ?? before
        let seconds = DecimalText.format(outcome.seconds, digits: 1) + " s"
        var lines = HostLines()

        switch outcome.state {
        case .ok:
            let note = details[SkelUpgradeDetail.note] ?? "the skel is at the target"
            lines.output.append("ok (unchanged): \(note) (\(seconds))")
        case .changed where !outcome.plan.isEmpty:
            lines.output.append(
                "would upgrade the skel from \(before): \(outcome.plan.count) steps")
        case .changed:
            let result = details[SkelUpgradeDetail.result]
            let verb = result == SkelUpgradeResult.finished.rawValue ? "finished" : "upgraded"
            lines.output.append("\(verb): skel \(before) -> \(after) (\(seconds))")
        case .failed, .unreachable, .timedOut, .notAttempted:
            lines.error.append(
                "\(outcome.state.rawValue): \(outcome.reason ?? "no reason recorded")")
        }

        let labels = [
            (SkelUpgradeDetail.recovery, "recovery"),
            (SkelUpgradeDetail.jailsRestarted, "jails restarted"),
            (SkelUpgradeDetail.smokeCheck, "smoke check"),
            (SkelUpgradeDetail.rolledBack, "rolled back"),
            (SkelUpgradeDetail.jailsRestored, "jails restored"),
            (SkelUpgradeDetail.stateLeft, "state left"),
        ]
        var extra = labels.compactMap { key, label in details[key].map { "  \(label): \($0)" } }
        if !outcome.state.succeeded && details[SkelUpgradeDetail.versionBefore] != nil {
            extra.append("  skel version: \(before) before, \(after) now")
        }
        if outcome.state.succeeded {
            lines.output += extra
        } else {
            lines.error += extra
        }

        for step in outcome.plan {
            lines.output.append("  step \(step.name)")
            if verbosity >= .debug {
                lines.output += step.command.split(separator: "\n").map { "    " + $0 }
            }
        }
        if verbosity >= .verbose {
            for step in outcome.steps {
                lines.output.append(
                    "  \(step.name): \(step.result) (\(DecimalText.format(step.seconds, digits: 2)) s)"
                )
                if verbosity >= .debug {
                    lines.output += step.command.split(separator: "\n").map { "    $ " + $0 }
                    lines.output += step.outputTail.split(separator: "\n").map { "    | " + $0 }
                }
            }
        }
        return lines
    }
}
