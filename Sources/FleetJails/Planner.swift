import FleetCore

/// Turns an operation and a host's facts into the exact commands to run, or into a note that
/// the host is already as requested. Pure code: it never touches the network.
public enum Planner {
    /// Plans `op` for a host with `facts` and `settings`; `runID` names the run in snapshots.
    public static func plan(
        _ op: Operation, facts: HostFacts, settings: HostSettings, runID: String
    ) throws(PlanError) -> Plan {
        try PlanChecks.checkRunID(runID)
        if case .hostExec(let argv) = op { return try planHostExec(argv) }
        guard facts.rootExists else { throw PlanError.rootMissing(settings.jailsRoot) }
        let context = try PlanContext(facts: facts, settings: settings, runID: runID)
        switch op {
        case .skelInstall: return try context.planSkelInstall()
        case .jailCreate(let name): return try context.planCreate(name)
        case .jailStart(let name): return try context.planStart(name)
        case .jailStop(let name): return context.planStop(name)
        case .jailRestart(let name): return try context.planRestart(name)
        case .jailDelete(let name, let stopFirst, let confirmed):
            return try context.planDelete(name, stopFirst: stopFirst, confirmed: confirmed)
        case .skelUpgrade(let target): return try context.planSkelUpgrade(target: target)
        case .jailExec(let name, let argv): return try context.planJailExec(name, argv: argv)
        case .hostExec(let argv): return try planHostExec(argv)
        }
    }

    private static func planHostExec(_ argv: [String]) throws(PlanError) -> Plan {
        guard !argv.isEmpty else { throw PlanError.emptyCommand }
        return .steps([Step(name: "host-exec", command: ShellQuote.join(argv))])
    }
}

/// What every planning function reads: the facts, the settings and the derived layout.
struct PlanContext {
    let facts: HostFacts
    let settings: HostSettings
    let layout: JailLayout
    let runID: String

    init(facts: HostFacts, settings: HostSettings, runID: String) throws(PlanError) {
        self.facts = facts
        self.settings = settings
        self.layout = try JailLayout(settings: settings, facts: facts)
        self.runID = runID
    }

    /// The skel's state on the host.
    enum SkelState: Equatable {
        case absent
        case installed(version: String)
        case incomplete(missing: [String])
    }

    var skelState: SkelState {
        let datasetExists = layout.skelDataset.map { facts.dataset(named: $0) != nil } ?? false
        let directoryExists = facts.directories.contains(settings.skelName.value)
        if !datasetExists && !directoryExists { return .absent }
        var missing: [String] = []
        if layout.usesZFS && !datasetExists { missing.append("dataset \(layout.skelDataset!)") }
        if facts.skelVersion == nil { missing.append("bin/freebsd-version") }
        if !facts.skelTemplateExists { missing.append("template folder skel") }
        if let dataset = layout.skelDataset,
            !facts.skelSnapshots.contains(where: { $0.name == dataset + "@created" })
        {
            missing.append("snapshot \(dataset)@created")
        }
        guard missing.isEmpty, let version = facts.skelVersion else {
            return .incomplete(missing: missing)
        }
        return .installed(version: version)
    }

    /// Throws unless the skel is fully installed, and returns its version.
    func requireSkel() throws(PlanError) -> String {
        switch skelState {
        case .absent: throw PlanError.skelNotInstalled(path: layout.skelPath)
        case .incomplete(let missing):
            throw PlanError.skelIncomplete(path: layout.skelPath, missing: missing)
        case .installed(let version): return version
        }
    }

    /// Returns the jail's configuration file as the probe read it, if it exists.
    func configFile(_ name: JailName) -> JailConfigFile? {
        facts.configFiles.first { $0.path == layout.configFile(name) }
    }

    /// Returns the `sh` text that unmounts every mount at or below `path`, children first,
    /// prints each one it unmounted, and fails listing the ones that stayed busy.
    static func unmountBelowCommand(_ path: String) -> String {
        let p = ShellQuote.quote(path)
        return """
            left=$(mount -p | awk -v p=\(p) '$2 == p || index($2, p "/") == 1 { print $2 }' | sort -r)
            busy=
            for m in $left; do
              if umount "$m"; then echo "unmounted $m"; else busy="$busy $m"; fi
            done
            if [ -n "$busy" ]; then echo "mounts still busy:$busy" >&2; exit 1; fi
            """
    }

    /// Returns the `sh` text that fails, listing them, when mounts remain at or below `path`.
    static func checkNoMountsCommand(_ path: String) -> String {
        let p = ShellQuote.quote(path)
        return """
            left=$(mount -p | awk -v p=\(p) '$2 == p || index($2, p "/") == 1 { print $2 }')
            if [ -n "$left" ]; then echo "mounts remain:" $left >&2; exit 1; fi
            """
    }
}
