import FleetCore

extension PlanContext {
    /// Plans a jail create: its dataset (or directories without ZFS), its files copied from the
    /// skel's template, and its configuration file with a jail id unique on the host.
    func planCreate(_ name: JailName) throws(PlanError) -> Plan {
        if name == settings.skelName { throw PlanError.reservedName(name.value) }
        _ = try requireSkel()
        let usedBy = uses(of: name)
        if usedBy.isEmpty { return .steps(createSteps(name)) }
        if let file = configFile(name), let jid = file.pinnedJIDs.first,
            file.content == JailConf.render(name: name, jid: jid, layout: layout),
            storageExists(name)
        {
            return .unchanged("jail \(name) already exists as configured (jid \(jid))")
        }
        throw PlanError.nameInUse(name.value, usedBy: usedBy)
    }

    /// Returns a description of each thing on the host that already uses `name`.
    func uses(of name: JailName) -> [String] {
        var usedBy: [String] = []
        if let dataset = layout.dataset(name), facts.dataset(named: dataset) != nil {
            usedBy.append("dataset \(dataset)")
        }
        if facts.directories.contains(name.value) {
            usedBy.append("directory \(layout.path(name))")
        }
        if let jail = facts.runningJail(named: name.value) {
            usedBy.append("running jail \(jail.jid)")
        }
        if configFile(name) != nil {
            usedBy.append("configuration file \(layout.configFile(name))")
        }
        return usedBy
    }

    /// True when the jail's dataset exists, or its directory without ZFS.
    func storageExists(_ name: JailName) -> Bool {
        if let dataset = layout.dataset(name) { return facts.dataset(named: dataset) != nil }
        return facts.directories.contains(name.value)
    }

    private func createSteps(_ name: JailName) -> [Step] {
        let path = layout.path(name)
        var steps: [Step] = []
        let filesRoot: String
        if let dataset = layout.dataset(name) {
            filesRoot = path
            steps.append(
                Step(
                    name: "create-dataset",
                    command: ShellQuote.join(["zfs", "create", "-o", "mountpoint=" + path, dataset]
                    ),
                    rollback: Rollback(
                        name: "destroy-dataset",
                        command: ShellQuote.join(["zfs", "destroy", "-r", dataset]))))
        } else {
            filesRoot = layout.privateDirectory(name)
            steps.append(
                Step(
                    name: "create-directories",
                    command: ShellQuote.join(["mkdir", "-p", filesRoot, path]),
                    rollback: Rollback(
                        name: "remove-directories",
                        command: removeTreeCommand(filesRoot) + "\n"
                            + ShellQuote.join(["rmdir", path]))))
        }

        steps.append(Step(name: "copy-template", command: populateCommand(filesRoot)))
        let etc = RemotePath.join(filesRoot, "etc")
        steps.append(
            Step(
                name: "pwd_mkdb",
                command: ShellQuote.join([
                    "pwd_mkdb", "-d", etc, RemotePath.join(etc, "master.passwd"),
                ])))
        if let dataset = layout.dataset(name) {
            steps.append(
                Step(name: "unmount-dataset", command: ShellQuote.join(["zfs", "umount", dataset])))
            steps.append(
                Step(
                    name: "set-canmount",
                    command: ShellQuote.join(["zfs", "set", "canmount=noauto", dataset])))
        }

        let configFile = layout.configFile(name)
        let text = JailConf.render(name: name, jid: PlanChecks.freeJID(facts), layout: layout)
        steps.append(
            Step(
                name: "write-config",
                command: writeFileCommand(configFile, text: text),
                rollback: Rollback(
                    name: "remove-config", command: ShellQuote.join(["rm", "-f", configFile]))))
        return steps
    }

    private func populateCommand(_ filesRoot: String) -> String {
        let entries = MinijailLayout.templateEntries.joined(separator: " ")
        let created = MinijailLayout.createdDirectories.map { "\"$m/\($0)\"" }.joined(
            separator: " ")
        return """
            set -e
            t=\(ShellQuote.quote(layout.templatePath))
            m=\(ShellQuote.quote(filesRoot))
            mkdir -p "$m/etc" "$m/usr"
            for p in \(entries); do
              cp -Rp "$t/$p" "$m/$p"
            done
            chmod 1777 "$m/tmp"
            mkdir -p \(created)
            printf '%s\\n' '# make(1) settings of this jail' > "$m/etc/make.conf"
            """
    }

    /// Returns the `sh` text that writes `text` to `path` atomically: a temporary file in the
    /// same directory, then `mv`.
    func writeFileCommand(_ path: String, text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        // Every checked path starts with "/", so lastIndex always finds one.
        let directory = String(path[..<path.lastIndex(of: "/")!])
        let temporary = ShellQuote.quote(path + ".tmp")
        return """
            set -e
            mkdir -p \(ShellQuote.quote(directory))
            printf '%s\\n' \(lines.map(ShellQuote.quote).joined(separator: " ")) > \(temporary)
            mv \(temporary) \(ShellQuote.quote(path))
            """
    }
}
