import FleetCore
import FleetJails
import FleetOps
import FleetReport
import FleetRun

/// `jail create NAME... --spread`: places each new jail on one of the selected hosts and
/// creates it there in rolling batches.
///
/// Facts come first from every selected host at once. Every host must return its facts, so that no
/// name is placed next to a jail of the same name on a host that was not checked. A name
/// already in use on any selected host stops the command before anything is created.
enum JailSpread {
    /// Places and creates `names`, then starts each when `start` is true.
    static func run(_ context: CommandContext, names: [JailName], start: Bool) async -> ExitStatus {
        do {
            let pattern = try OperationCommands.hostPattern(context)
            let options = try FleetRunOptions(context)
            try checkDuplicates(names, context: context)
            let hosts = try FleetRunner.selectHosts(pattern, context: context)
            let candidates = try await gatherCandidates(
                hosts, names: names, forks: options.forks, context: context)
            let assignments = JailPlacement.place(names.map(\.value), on: candidates)
            return await create(
                assignments, names: names, start: start, hosts: hosts, options: options,
                context: context)
        } catch {
            return error.status
        }
    }

    private static func checkDuplicates(
        _ names: [JailName], context: CommandContext
    ) throws(CommandExit) {
        var seen = Set<String>()
        for name in names where !seen.insert(name.value).inserted {
            throw context.usageError("jail name '\(name.value)' is given twice; give each once")
        }
    }

    /// Gathers every host's facts at once and returns the placement candidates; throws
    /// after printing when a host returns no facts or a name is already in use.
    private static func gatherCandidates(
        _ hosts: [FleetHost], names: [JailName], forks: Int, context: CommandContext
    ) async throws(CommandExit) -> [PlacementCandidate] {
        let console = context.console
        let gathered = SharedTable<HostFacts>()
        let pass = RollingPass(
            console: console, hosts: hosts,
            rollout: Rollout(
                serial: .allAtOnce, budget: FailureBudget(maxFailPercent: 100), forks: forks),
            reports: nil, quietText: true)
        let (outcomes, interrupted) = await pass.run { host, connection in
            switch await RemoteFacts.gather(
                host: host.name, settings: host.settings, connection: connection)
            {
            case .success(let (facts, step)):
                gathered.set(host.name, facts)
                return (HostOutcome(host: host.name, state: .ok, steps: [step]), HostLines())
            case .failure(let failure):
                let outcome = HostOutcome(host: host.name, state: .failed, reason: failure.reason)
                return (outcome, HostLines())
            }
        }
        if interrupted {
            console.error("interrupted while gathering facts; no jail was created")
            throw CommandExit(.interrupted)
        }

        let silent = outcomes.filter { !$0.state.succeeded }
        for outcome in silent {
            console.error(
                "[\(outcome.host)] cannot gather its facts: \(outcome.reason ?? outcome.state.rawValue)"
            )
        }
        if !silent.isEmpty {
            console.error(
                "no jail was created: every selected host must answer so that each name is "
                    + "checked and placed; fix the hosts above or leave them out with --limit")
            let reached = silent.count < outcomes.count || silent.contains { $0.state == .failed }
            throw CommandExit(reached ? .someFailed : .unavailable)
        }

        var usedNames: [String: Set<String>] = [:]
        var candidates: [PlacementCandidate] = []
        for host in hosts {
            guard let facts = gathered.value(host.name) else { continue }
            let report = ReportBuilder.report(
                host: host.name, facts: facts, settings: host.settings)
            usedNames[host.name] = usedJailNames(
                facts: facts, report: report, settings: host.settings)
            candidates.append(
                PlacementCandidate(
                    host: host.name, jailCount: report.jails.count,
                    freeBytes: report.pool?.freeBytes))
        }
        let conflicts = JailPlacement.conflicts(
            names.map(\.value), usedNames: usedNames, hosts: hosts.map(\.name))
        for conflict in conflicts {
            console.error(
                "jail name '\(conflict.jail)' is already used on "
                    + "\(conflict.hosts.joined(separator: ", ")); choose another name")
        }
        if !conflicts.isEmpty {
            throw CommandExit(.dataError)
        }
        return candidates
    }

    /// Returns the names a new jail may not take on a host: its jails, its running jails, the
    /// folders under the jails root, and the skel.
    static func usedJailNames(
        facts: HostFacts, report: HostReport, settings: HostSettings
    ) -> Set<String> {
        var names = Set(report.jails.map(\.name))
        names.formUnion(facts.runningJails.map(\.name))
        names.formUnion(facts.directories)
        names.insert(settings.skelName.value)
        return names
    }

    private static func create(
        _ assignments: [JailAssignment], names: [JailName], start: Bool, hosts: [FleetHost],
        options: FleetRunOptions, context: CommandContext
    ) async -> ExitStatus {
        let console = context.console
        let byJail = Dictionary(uniqueKeysWithValues: names.map { ($0.value, $0) })
        var planned: [String: [FleetJails.Operation]] = [:]
        for assignment in assignments {
            // Every assignment's jail comes from `names`, so the lookup cannot fail.
            let name = byJail[assignment.jail]!
            planned[assignment.host, default: []] +=
                start ? [.jailCreate(name), .jailStart(name)] : [.jailCreate(name)]
        }
        let operations = planned
        let targets = hosts.filter { operations[$0.name] != nil }

        let runID = FleetRunner.makeRunID()
        let reports: ReportDirectory?
        do {
            reports = try options.reportDirectory.map { path throws(AtomicFileError) in
                try ReportDirectory(path: path, command: "jail create", runID: runID)
            }
        } catch {
            console.error("cannot create the report folder: \(error); check --report-dir")
            return .config
        }
        let check = context.parsed.count("check") > 0
        let verbosity = console.verbosity
        let pass = RollingPass(
            console: console, hosts: targets,
            rollout: Rollout(serial: options.serial, budget: options.budget, forks: options.forks),
            reports: reports, quietText: options.json)
        let (outcomes, interrupted) = await pass.run { host, connection in
            let started = ContinuousClock.now
            var outcome = await OperationJob.run(
                operations[host.name] ?? [], on: host, connection: connection, runID: runID,
                checkOnly: check)
            let jails = assignments.filter { $0.host == host.name }.map(\.jail)
            outcome.details["jails"] = jails.joined(separator: " ")
            outcome.seconds = (ContinuousClock.now - started).seconds
            var lines = OperationJob.lines(outcome, verbosity: verbosity)
            lines.output.insert("jails placed here: \(jails.joined(separator: ", "))", at: 0)
            return (outcome, lines)
        }
        return SpreadReport(
            command: "jail create", runID: runID, assignments: assignments, outcomes: outcomes,
            check: check, interrupted: interrupted
        ).finish(console: console, options: options, reports: reports)
    }
}
