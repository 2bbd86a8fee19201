import FleetCore

extension PlanContext {
    /// Plans a start: unmount what an earlier failed start or stop left behind, then
    /// `jail -c`, checked with `jls -j`.
    func planStart(_ name: JailName) throws(PlanError) -> Plan {
        let file = layout.configFile(name)
        guard configFile(name) != nil else {
            throw PlanError.notConfigured(name.value, configFile: file)
        }
        if let jail = facts.runningJail(named: name.value) {
            return .unchanged("jail \(name) is already running (jid \(jail.jid))")
        }
        return .steps(startSteps(name))
    }

    /// Plans a stop: `jail -r`, checked with `jls -j`, then the unmount of what it left.
    func planStop(_ name: JailName) -> Plan {
        if facts.runningJail(named: name.value) != nil { return .steps(stopSteps(name)) }
        if !facts.mounts(below: layout.path(name)).isEmpty {
            return .steps([unmountLeftoversStep(name)])
        }
        // A typo in the name must not read like a jail that exists and is stopped.
        guard configFile(name) != nil else {
            return .unchanged(
                "jail \(name) is not running, and no jail of that name is configured in "
                    + layout.configFile(name))
        }
        return .unchanged("jail \(name) is not running")
    }

    /// Plans a restart: the stop steps when the jail runs, then the start steps.
    func planRestart(_ name: JailName) throws(PlanError) -> Plan {
        guard configFile(name) != nil else {
            throw PlanError.notConfigured(name.value, configFile: layout.configFile(name))
        }
        guard facts.runningJail(named: name.value) != nil else { return .steps(startSteps(name)) }
        return .steps(stopSteps(name) + startCoreSteps(name))
    }

    /// Plans a delete of a jail or of the skel, after every safety check.
    func planDelete(_ name: JailName, stopFirst: Bool, confirmed: Bool) throws(PlanError) -> Plan {
        guard confirmed else { throw PlanError.deleteNotConfirmed(name.value) }
        if name == settings.skelName { return try planSkelDelete() }
        let hasConfig = configFile(name) != nil
        let running = facts.runningJail(named: name.value)
        if !storageExists(name) && !hasConfig && running == nil {
            return .unchanged("no jail named \(name) on this host")
        }
        var steps: [Step] = []
        if let running {
            guard stopFirst else { throw PlanError.jailRunning(name.value, jid: running.jid) }
            steps += stopSteps(name)
        } else {
            let left = facts.mounts(below: layout.path(name)).map(\.mountPoint)
            if !left.isEmpty { throw PlanError.mountsRemain(name.value, mountPoints: left) }
        }
        steps.append(
            Step(
                name: "check-no-mounts", command: Self.checkNoMountsCommand(layout.path(name)),
                changesHost: false))
        steps += removeStorageSteps(
            path: layout.path(name), dataset: layout.dataset(name),
            privateDirectory: layout.usesZFS ? nil : layout.privateDirectory(name))
        if hasConfig {
            steps.append(
                Step(
                    name: "remove-config",
                    command: ShellQuote.join(["rm", "-f", layout.configFile(name)])))
        }
        return .steps(steps)
    }

    /// Plans `jexec -l NAME argv...`.
    func planJailExec(_ name: JailName, argv: [String]) throws(PlanError) -> Plan {
        guard !argv.isEmpty else { throw PlanError.emptyCommand }
        guard facts.runningJail(named: name.value) != nil else {
            throw PlanError.jailNotRunning(name.value)
        }
        return .steps([
            Step(name: "jail-exec", command: ShellQuote.join(["jexec", "-l", name.value] + argv))
        ])
    }

    private func planSkelDelete() throws(PlanError) -> Plan {
        let skel = settings.skelName.value
        var users = Set(facts.directories.filter { $0 != skel && JailName.problem(in: $0) == nil })
        if let parent = layout.parentDataset {
            for dataset in facts.datasets where dataset.name.hasPrefix(parent + "/") {
                let child = dataset.name.dropFirst(parent.count + 1)
                if child != skel && !child.contains("/") { users.insert(String(child)) }
            }
        }
        for file in facts.configFiles where file.path.hasPrefix(settings.jailConfDir + "/") {
            let base = file.path.dropFirst(settings.jailConfDir.count + 1)
            if base.hasSuffix(".conf") { users.insert(String(base.dropLast(5))) }
        }
        if !users.isEmpty { throw PlanError.skelInUse(users.sorted()) }
        if skelState == .absent { return .unchanged("skel \(layout.skelPath) is not installed") }
        let left = facts.mounts(below: layout.skelPath).map(\.mountPoint)
        if !left.isEmpty { throw PlanError.mountsRemain(skel, mountPoints: left) }
        return .steps(
            [
                Step(
                    name: "check-no-mounts",
                    command: Self.checkNoMountsCommand(layout.skelPath), changesHost: false)
            ]
                + removeStorageSteps(
                    path: layout.skelPath, dataset: layout.skelDataset,
                    privateDirectory: layout.usesZFS ? nil : layout.skelPath))
    }

    private func removeStorageSteps(
        path: String, dataset: String?, privateDirectory: String?
    ) -> [Step] {
        var steps: [Step] = []
        if let dataset, facts.dataset(named: dataset) != nil {
            steps.append(
                Step(
                    name: "destroy-dataset",
                    command: ShellQuote.join(["zfs", "destroy", "-r", dataset])))
        }
        if let privateDirectory {
            steps.append(Step(name: "remove-files", command: removeTreeCommand(privateDirectory)))
        }
        let p = ShellQuote.quote(path)
        steps.append(
            Step(name: "remove-mountpoint", command: "if [ -d \(p) ]; then rmdir \(p); fi"))
        return steps
    }

    private func startSteps(_ name: JailName) -> [Step] {
        var steps: [Step] = []
        if !facts.mounts(below: layout.path(name)).isEmpty {
            steps.append(unmountLeftoversStep(name))
        }
        return steps + startCoreSteps(name)
    }

    private func startCoreSteps(_ name: JailName) -> [Step] {
        let jail = ShellQuote.join(["jail", "-f", layout.configFile(name), "-c", name.value])
        let check = ShellQuote.join(["jls", "-j", name.value, "jid"])
        return [Step(name: "start", command: "\(jail) && \(check)")]
    }

    private func stopSteps(_ name: JailName) -> [Step] {
        let jail: String
        if configFile(name) != nil {
            jail = ShellQuote.join(["jail", "-f", layout.configFile(name), "-r", name.value])
        } else {
            jail = ShellQuote.join(["jail", "-r", name.value])
        }
        let check = ShellQuote.join(["jls", "-j", name.value, "jid"])
        let stop = """
            \(jail) || exit 1
            if \(check) >/dev/null 2>&1; then echo "jail \(name) is still running" >&2; exit 1; fi
            """
        return [Step(name: "stop", command: stop), unmountLeftoversStep(name)]
    }

    private func unmountLeftoversStep(_ name: JailName) -> Step {
        Step(name: "unmount-leftovers", command: Self.unmountBelowCommand(layout.path(name)))
    }
}
