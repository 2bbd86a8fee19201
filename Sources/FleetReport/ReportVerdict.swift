import FleetCore

/// Every problem of one nightly report and the exit status that follows from them, so that
/// cron can mail only on trouble.
///
/// Exit statuses: 0 when every host was reported and crosses no threshold; 69 (EX_UNAVAILABLE)
/// when no host could be reported; 1 when some hosts could not be reported or any host
/// crosses a threshold.
public struct ReportVerdict: Sendable, Equatable {
    /// The problems, host by host in the order of the reports.
    public var problems: [ReportProblem]
    /// The exit status of the report command.
    public var exitStatus: ExitStatus

    /// Judges `reports` against `thresholds`.
    public init(reports: [HostReport], thresholds: ReportThresholds) {
        var problems: [ReportProblem] = []
        for report in reports {
            if !report.reachable {
                problems.append(
                    ReportProblem(
                        host: report.host,
                        kind: report.wasInterrupted ? .interrupted : .unreachable,
                        message: report.problem ?? "no reason recorded"))
            }
            for warning in thresholds.warnings(for: report) {
                problems.append(ReportProblem(host: report.host, kind: .warning, message: warning))
            }
        }
        self.problems = problems
        if !reports.isEmpty && reports.allSatisfy({ !$0.reachable }) {
            exitStatus = .unavailable
        } else if !problems.isEmpty {
            exitStatus = .someFailed
        } else {
            exitStatus = .ok
        }
    }

    /// The number of warnings, unreachable and interrupted hosts excluded.
    public var warningCount: Int { problems.filter { $0.kind == .warning }.count }
}
