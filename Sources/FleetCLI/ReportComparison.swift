import FleetReport

/// The previous run's time from the history and the changes since that run; both are empty
/// on the first run.
struct ReportComparison: Sendable {
    /// The history file.
    var file: String
    /// When the previous run was taken, ISO 8601 in UTC; nil on the first run.
    var previousRun: String?
    /// The changes from the previous run to this one; empty on the first run.
    var changes: [ReportChange]

    /// Compares `current` with `previous`, the newest stored run before this one.
    ///
    /// NOTE: runs are compared whole, so a report of a narrower host pattern than the
    /// previous one lists the hosts left out as no longer reported.
    init(file: String, previous: StoredRun?, current: [HostReport]) {
        self.file = file
        previousRun = previous?.takenAt
        changes = previous.map { ReportChange.changes(from: $0.reports, to: current) } ?? []
    }
}

/// The `report --json` document.
struct ReportDocument: Encodable {
    /// The changes part, present with `--history`.
    struct History: Encodable {
        var file: String
        /// Absent on the first run.
        var previousRun: String?
        var changes: [Change]

        init(_ comparison: ReportComparison) {
            file = comparison.file
            previousRun = comparison.previousRun
            changes = comparison.changes.map {
                Change(host: $0.host, kind: $0.kind, message: $0.description)
            }
        }
    }

    /// One change, with its host and kind for scripts.
    struct Change: Encodable {
        var host: String
        var kind: String
        var message: String
    }

    var command = "report"
    var takenAt: String
    var exitStatus: Int32
    var hosts: [HostReport]
    var problems: [ReportProblem]
    var history: History?
}
