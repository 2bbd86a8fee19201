/// The nightly report as JUnit test cases: one case per host, passed when it was reported
/// and crosses no threshold, a failure per crossed threshold, an error when unreachable, and
/// skipped when Ctrl-C stopped the run before the host was read.
public enum ReportJUnit {
    /// Returns one case per report, in the order given. `seconds` maps each host name to the
    /// wall time spent on it.
    public static func cases(
        _ reports: [HostReport], thresholds: ReportThresholds, seconds: [String: Double]
    ) -> [JUnitCase] {
        reports.map { report in
            let time = seconds[report.host] ?? 0
            guard report.reachable else {
                let message = report.problem ?? "no reason recorded"
                return JUnitCase(
                    name: report.host,
                    outcome: report.wasInterrupted
                        ? .skipped(message: message) : .error(message: message),
                    seconds: time, output: "")
            }
            let warnings = thresholds.warnings(for: report)
            let outcome: JUnitCase.Outcome =
                warnings.isEmpty ? .passed : .failure(message: warnings.joined(separator: "; "))
            return JUnitCase(
                name: report.host, outcome: outcome, seconds: time, output: summary(report))
        }
    }

    /// Lists the facts of one reachable host, one per line, for `<system-out>`.
    static func summary(_ report: HostReport) -> String {
        var lines = [
            "version: \(report.hostVersion ?? "unknown")",
            "skel: \(report.skelVersion ?? "none")" + (report.skelBehind ? " (behind)" : ""),
        ]
        if let pool = report.pool {
            lines.append(
                "pool \(pool.name): \(ByteCount.format(pool.sizeBytes)), "
                    + "\(ByteCount.format(pool.freeBytes)) free, \(pool.health)")
        }
        for jail in report.jails {
            let state =
                jail.running ? "running, jid \(jail.jid.map(String.init) ?? "?")" : "stopped"
            let used = jail.usedBytes.map { ", \(ByteCount.format($0)) used" } ?? ""
            lines.append("jail \(jail.name): \(state)\(used)")
        }
        if let snapshot = report.lastSkelSnapshot {
            lines.append("last skel snapshot: \(snapshot)")
        }
        lines += report.leftoverMounts.map { "leftover mount: \($0)" }
        return lines.joined(separator: "\n")
    }
}
