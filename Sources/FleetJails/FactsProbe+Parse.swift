extension FactsProbe {
    /// Parses the output of `script(settings:)` into facts.
    ///
    /// Throws when the output is cut short or malformed, or when a probe the planner depends
    /// on failed, so a failed command is never mistaken for an empty result.
    public static func parse(_ output: String) throws(FactsError) -> HostFacts {
        let reader = try ProbeOutputReader(output)
        let uname = try parseUname(reader.requiredOutput("uname"))
        var facts = HostFacts(
            release: uname.release, machine: uname.machine, processor: uname.processor)

        // freebsd-version -k fails on hosts without a kernel file, such as in a jail.
        if let versions = try reader.section("freebsd-version").successfulOutput,
            versions.count == 2
        {
            facts.kernelVersion = versions[0]
            facts.userlandVersion = versions[1]
        }
        facts.clock = try reader.section("clock").successfulOutput?.first.flatMap { Int($0) }

        try parseRoot(reader, into: &facts)
        try parseZFS(reader, into: &facts)
        try parseSkel(reader, into: &facts)

        facts.runningJails = try parseJails(
            names: reader.requiredOutput("jls-names"), paths: reader.requiredOutput("jls-paths"))
        facts.mounts = try reader.requiredOutput("mounts").map { line throws(FactsError) in
            try parseMount(line)
        }
        if case .ran(_, _, _, let files) = try reader.section("jail-conf") {
            _ = try reader.requiredOutput("jail-conf")
            facts.configFiles = files
        }

        facts.lock = try parseLock(reader.section("lock"))
        let updateLines = try reader.requiredOutput("update-state")
        if updateLines.contains("partial") {
            facts.skelUpdateState = .partiallyInstalled
        } else if updateLines.contains("staged") {
            facts.skelUpdateState = .staged
        }
        return facts
    }

    private static func parseUname(
        _ lines: [String]
    ) throws(FactsError) -> (release: String, machine: String, processor: String) {
        let words = lines.first?.split(separator: " ").map(String.init) ?? []
        guard lines.count == 1, words.count == 3 else {
            throw FactsError.badFormat(
                section: "uname", line: lines.joined(separator: "\\n"),
                expected: "one line: release machine processor")
        }
        return (words[0], words[1], words[2])
    }

    private static func parseRoot(_ reader: ProbeOutputReader, into facts: inout HostFacts)
        throws(FactsError)
    {
        if case .skipped = try reader.section("df") {
            facts.rootExists = false
            return
        }
        let df = try reader.requiredOutput("df")
        let columns = df.last?.split(whereSeparator: { $0 == " " || $0 == "\t" }) ?? []
        guard df.count >= 2, columns.count >= 2 else {
            throw FactsError.badFormat(
                section: "df", line: df.last ?? "", expected: "a header and a filesystem line")
        }
        facts.rootFilesystem = String(columns[1])
        facts.directories = try reader.requiredOutput("directories").map { path in
            String(path.split(separator: "/").last ?? "")
        }.sorted()
    }

    private static func parseZFS(_ reader: ProbeOutputReader, into facts: inout HostFacts)
        throws(FactsError)
    {
        if case .ran = try reader.section("root-dataset") {
            let lines = try reader.requiredOutput("root-dataset")
            facts.rootDataset = try lines.first.map { line throws(FactsError) in
                try parseDataset(line, section: "root-dataset")
            }
        }
        if case .ran = try reader.section("datasets") {
            facts.datasets = try reader.requiredOutput("datasets").map { line throws(FactsError) in
                try parseDataset(line, section: "datasets")
            }
        }
        if case .ran = try reader.section("skel-snapshots") {
            facts.skelSnapshots = try reader.requiredOutput("skel-snapshots").map {
                line throws(FactsError) in try parseDataset(line, section: "skel-snapshots")
            }
        }
        if case .ran = try reader.section("zpool") {
            facts.pools = try reader.requiredOutput("zpool").map { line throws(FactsError) in
                try parsePool(line)
            }
        }
    }

    private static func parseSkel(_ reader: ProbeOutputReader, into facts: inout HostFacts)
        throws(FactsError)
    {
        if case .ran = try reader.section("skel-version") {
            facts.skelVersion = try reader.requiredOutput("skel-version").first
        }
        switch try reader.section("skel-template") {
        case .ran(0, _, _, _): facts.skelTemplateExists = true
        case .ran(1, _, _, _): facts.skelTemplateExists = false
        case .ran(let status, _, let stderr, _):
            throw FactsError.probeFailed(section: "skel-template", status: status, stderr: stderr)
        case .skipped(let reason):
            throw FactsError.probeSkipped(section: "skel-template", reason: reason)
        }
    }

    /// Parses one TAB-separated `zfs list -Hp -o name,used,avail,mountpoint` line.
    static func parseDataset(_ line: String, section: String) throws(FactsError) -> Dataset {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, !fields[0].isEmpty else {
            throw FactsError.badFormat(
                section: section, line: line, expected: "name, used, avail, mountpoint")
        }
        return Dataset(
            name: fields[0], used: fields[1], available: fields[2], mountPoint: fields[3])
    }

    /// Parses one TAB-separated `zpool list -Hp -o name,size,alloc,free,cap,health` line, whose
    /// `cap` is a bare number (a `%` suffix, as without `-p`, is accepted too).
    static func parsePool(_ line: String) throws(FactsError) -> Pool {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6,
            let capacity = Int(fields[4].dropLast(fields[4].hasSuffix("%") ? 1 : 0))
        else {
            throw FactsError.badFormat(
                section: "zpool", line: line, expected: "name, size, alloc, free, cap, health")
        }
        return Pool(
            name: fields[0], size: fields[1], allocated: fields[2], free: fields[3],
            capacityPercent: capacity, health: fields[5])
    }

    /// Parses one `mount -p` line, whose fields are separated by runs of TABs or spaces.
    static func parseMount(_ line: String) throws(FactsError) -> MountEntry {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 6 else {
            throw FactsError.badFormat(
                section: "mounts", line: line,
                expected: "device, mountpoint, type, options, dump pass")
        }
        return MountEntry(
            device: fields[0], mountPoint: fields[1], type: fields[2], options: fields[3])
    }

    /// Joins `jls jid name` and `jls jid path` lines by jail id.
    static func parseJails(names: [String], paths: [String]) throws(FactsError) -> [RunningJail] {
        var pathByJID: [Int: String] = [:]
        for line in paths {
            let (jid, path) = try splitJIDLine(line, section: "jls-paths")
            pathByJID[jid] = path
        }
        var jails: [RunningJail] = []
        for line in names {
            let (jid, name) = try splitJIDLine(line, section: "jls-names")
            jails.append(RunningJail(jid: jid, name: name, path: pathByJID[jid] ?? ""))
        }
        return jails
    }

    private static func splitJIDLine(
        _ line: String, section: String
    ) throws(FactsError) -> (Int, String) {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, let jid = Int(parts[0]) else {
            throw FactsError.badFormat(
                section: section, line: line, expected: "a jail id and a value")
        }
        return (jid, parts[1])
    }

    private static func parseLock(_ section: ProbeSection) -> LockState {
        switch section {
        case .skipped:
            return .absent
        case .ran(0, let stdout, _, _):
            let text = stdout.joined(separator: "\n")
            return LockRecord(ownerFile: text).map(LockState.held) ?? .unreadable(text)
        case .ran(_, _, let stderr, _):
            return .unreadable(stderr.joined(separator: "\n"))
        }
    }
}
