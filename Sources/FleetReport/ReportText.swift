/// The nightly report as text for a terminal or a mail: tables with one row per host or
/// jail, then the changes and the problems. With host names of up to 8 characters the table
/// lines fit 80 columns, except long snapshot names and an unreachable host's reason.
public enum ReportText {
    /// Returns the hosts table, the jails table and the skel snapshots table, separated by
    /// blank lines; `reports` are shown in the order given.
    ///
    /// The hosts table has the userland version, the skel's version, the number of jails
    /// and of running jails, and the pool's size, free space, capacity and health. An
    /// unreachable host takes one line with its reason.
    public static func tables(_ reports: [HostReport]) -> [String] {
        var hosts = TextTable(
            headers: ["HOST", "VERSION", "SKEL", "JAILS", "UP", "SIZE", "FREE", "CAP", "HEALTH"],
            alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .left])
        var jails = TextTable(
            headers: ["HOST", "JAIL", "STATE", "JID", "USED"],
            alignments: [.left, .left, .left, .right, .right])
        var snapshots = TextTable(
            headers: ["HOST", "LAST SKEL SNAPSHOT"], alignments: [.left, .left])

        for report in reports {
            guard report.reachable else {
                // An interrupted host's reason stands alone: whether it can be reached is
                // not known.
                let problem = report.problem ?? "no reason recorded"
                let text = report.wasInterrupted ? problem : "unreachable: \(problem)"
                hosts.rows.append(.note(first: report.host, text: text))
                continue
            }
            hosts.rows.append(.cells(hostCells(report)))
            for jail in report.jails {
                jails.rows.append(
                    .cells([
                        report.host, jail.name, jail.running ? "running" : "stopped",
                        jail.jid.map(String.init) ?? "-",
                        jail.usedBytes.map(ByteCount.format) ?? "-",
                    ]))
            }
            snapshots.rows.append(.cells([report.host, report.lastSkelSnapshot ?? "-"]))
        }

        var lines = hosts.lines()
        if !jails.rows.isEmpty {
            lines += [""] + jails.lines()
        }
        if !snapshots.rows.isEmpty {
            lines += [""] + snapshots.lines()
        }
        return lines
    }

    /// Returns the changes since the run taken at `previousRun` (ISO 8601) under a heading,
    /// or a single line stating that nothing changed.
    public static func changes(_ changes: [ReportChange], since previousRun: String) -> [String] {
        guard !changes.isEmpty else {
            return ["no changes since \(previousRun)"]
        }
        return ["CHANGES SINCE \(previousRun)"] + changes.map(\.description)
    }

    /// Returns the problems under a heading; empty when there are none.
    public static func problems(_ problems: [ReportProblem]) -> [String] {
        guard !problems.isEmpty else { return [] }
        return ["PROBLEMS"] + problems.map(\.description)
    }

    /// Returns the closing line, such as
    /// `REPORT 3 hosts: 2 reachable, 1 unreachable, 2 warnings`. Hosts that Ctrl-C cut off
    /// or left unstarted are counted apart, as `1 interrupted`, when there are any.
    public static func summary(_ reports: [HostReport], verdict: ReportVerdict) -> String {
        let reachable = reports.filter(\.reachable).count
        let interrupted = reports.filter(\.wasInterrupted).count
        var line = "REPORT \(count(reports.count, "host")): \(reachable) reachable, "
        line += "\(reports.count - reachable - interrupted) unreachable, "
        if interrupted > 0 {
            line += "\(interrupted) interrupted, "
        }
        return line + count(verdict.warningCount, "warning")
    }

    private static func hostCells(_ report: HostReport) -> [String] {
        let running = report.jails.filter(\.running).count
        var cells = [
            report.host, report.hostVersion ?? "-", report.skelVersion ?? "none",
            String(report.jails.count), String(running),
        ]
        if let pool = report.pool {
            cells += [
                ByteCount.format(pool.sizeBytes), ByteCount.format(pool.freeBytes),
                "\(pool.capacityPercent)%", pool.health,
            ]
        } else {
            cells += ["-", "-", "-", "-"]
        }
        return cells
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        number == 1 ? "1 \(noun)" : "\(number) \(noun)s"
    }
}
