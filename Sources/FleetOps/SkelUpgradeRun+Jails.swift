import FleetCore
import FleetJails
import FleetRun

extension SkelUpgradeRun {
    /// Restarts each running jail in turn with the planner's restart steps. Their start step
    /// checks the jail with `jls -j NAME jid`. Returns the problem of the first that fails.
    mutating func restartJails(_ facts: HostFacts) async -> Problem? {
        var restarted: [String] = []
        for jail in Self.runningJails(facts: facts, settings: context.settings) {
            touchedJails.append(jail)
            if let problem = await restart(jail, facts: facts) {
                details[SkelUpgradeDetail.jailsRestarted] = restarted.joined(separator: ", ")
                return problem
            }
            restarted.append(jail.value)
        }
        details[SkelUpgradeDetail.jailsRestarted] =
            restarted.isEmpty ? "none (no jail was running)" : restarted.joined(separator: ", ")
        return nil
    }

    /// Runs `freebsd-version -u` in one running jail and checks that it prints `expected`.
    mutating func smokeCheck(_ facts: HostFacts, expected: String) async -> Problem? {
        guard let jail = Self.runningJails(facts: facts, settings: context.settings).first else {
            details[SkelUpgradeDetail.smokeCheck] = "skipped: no jail is running"
            return nil
        }
        let step = Step(
            name: "smoke-check \(jail)",
            command: ShellQuote.join(["jexec", "-l", jail.value, "freebsd-version", "-u"]),
            changesHost: false, outputCheck: .reportsVersion)
        let outcome = await runner.apply([step], journal: &journal, keepOutput: false)
        if outcome.state != .ok && outcome.state != .changed {
            guard outcome.details["rolled back"] != nil else { return .lost(outcome) }
            return .failed("smoke check in jail \(jail) failed: \(outcome.reason ?? "no reason")")
        }
        let printed = outcome.details["version after"] ?? ""
        guard printed == expected else {
            return .failed(
                "smoke check in jail \(jail): freebsd-version -u printed \"\(printed)\", "
                    + "expected \(expected)")
        }
        details[SkelUpgradeDetail.smokeCheck] = "jail \(jail) runs \(printed)"
        return nil
    }

    /// After a rollback, restarts every jail this run stopped, so each runs the restored skel;
    /// returns a problem only when the connection broke.
    mutating func restoreJails() async -> Problem? {
        guard !touchedJails.isEmpty else { return nil }
        let facts: HostFacts
        switch await runner.gatherFacts(journal: &journal) {
        case .success(let gathered):
            facts = gathered
        case .failure(let failure):
            switch Self.problem(from: failure) {
            case .lost(let outcome):
                return .lost(outcome)
            case .failed(let reason):
                details[SkelUpgradeDetail.jailsRestored] = "none: \(reason)"
                return nil
            }
        }
        var summary: [String] = []
        for jail in touchedJails {
            switch await restart(jail, facts: facts) {
            case nil: summary.append("\(jail) restarted")
            case .failed(let reason): summary.append("\(jail) FAILED: \(reason)")
            case .lost(let outcome): return .lost(outcome)
            }
        }
        details[SkelUpgradeDetail.jailsRestored] = summary.joined(separator: ", ")
        return nil
    }

    /// Stops `jail` when it runs and starts it, with step names that carry the jail's name.
    private mutating func restart(_ jail: JailName, facts: HostFacts) async -> Problem? {
        let plan: Plan
        do {
            plan = try Planner.plan(
                .jailRestart(jail), facts: facts, settings: context.settings,
                runID: context.runID)
        } catch {
            return .failed("cannot restart jail \(jail): \(error)")
        }
        guard case .steps(let steps) = plan else { return nil }
        let named = steps.map { step in
            var renamed = step
            renamed.name = "\(step.name) \(jail)"
            return renamed
        }
        let outcome = await runner.apply(named, journal: &journal, keepOutput: false)
        switch outcome.state {
        case .ok, .changed:
            return nil
        case .failed, .unreachable, .timedOut, .notAttempted:
            guard outcome.details["rolled back"] != nil else { return .lost(outcome) }
            return .failed("restart of jail \(jail) failed: \(outcome.reason ?? "no reason")")
        }
    }

    /// Returns the running jails this tool manages on the host, sorted by name: those under
    /// the jails root with a configuration file in the jail configuration folder, not the skel.
    static func runningJails(facts: HostFacts, settings: HostSettings) -> [JailName] {
        let configured = Set(facts.configFiles.map(\.path))
        return facts.runningJails.compactMap { running -> JailName? in
            guard running.path.hasPrefix(settings.jailsRoot + "/"),
                running.name != settings.skelName.value,
                configured.contains(RemotePath.join(settings.jailConfDir, running.name + ".conf")),
                let name = try? JailName(running.name)
            else { return nil }
            return name
        }.sorted { $0.value < $1.value }
    }
}
