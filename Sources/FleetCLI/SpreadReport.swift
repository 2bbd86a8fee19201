import FleetCore
import FleetReport
import FleetRun

/// The end of `jail create --spread`: the placement table and the recap, or the JSON
/// document, and the JUnit and summary files.
struct SpreadReport: Sendable {
    /// The command's name for reports.
    var command: String
    /// The run's id.
    var runID: String
    /// The host of each new jail.
    var assignments: [JailAssignment]
    /// The outcome of each host that received jails.
    var outcomes: [HostOutcome]
    /// Whether the run only planned.
    var check: Bool
    /// Whether Ctrl-C stopped the creation pass.
    var interrupted = false

    /// The exit status: 0 when every host succeeded, 130 when Ctrl-C stopped the pass before
    /// that, 69 when no host was reachable, 1 otherwise.
    var exitStatus: ExitStatus {
        FleetRunner.status(of: Recap(outcomes), interrupted: interrupted)
    }

    /// Prints the result and writes the report files; returns `exitStatus`.
    func finish(console: Console, options: FleetRunOptions, reports: ReportDirectory?)
        -> ExitStatus
    {
        let recap = Recap(outcomes)
        do {
            try reports?.writeSummary(outcomes, interrupted: interrupted)
        } catch {
            console.error("cannot write the run summary: \(error)")
        }
        if let path = options.junitPath {
            let xml = JUnitReport.render(
                suiteName: command, cases: outcomes.map(FleetRunner.junitCase))
            do {
                try AtomicFile.write(xml, to: path)
            } catch {
                console.error("cannot write the JUnit report: \(error); check --junit")
            }
        }

        if options.json {
            let document = SpreadDocument(
                command: command, runID: runID, check: check, placement: assignments,
                hosts: outcomes)
            console.result(JSONOutput.encode(document))
        } else {
            for line in placementLines() + recap.lines {
                console.result(line)
            }
        }
        return exitStatus
    }

    /// Returns the placement table: one line per jail with its host and that host's state.
    func placementLines() -> [String] {
        let states = Dictionary(
            outcomes.map { ($0.host, $0.state.rawValue) }, uniquingKeysWith: { first, _ in first })
        let rows =
            [("JAIL", "HOST", "HOST STATE")]
            + assignments.map { ($0.jail, $0.host, states[$0.host] ?? "not attempted") }
        let jailWidth = rows.map(\.0.count).max() ?? 0
        let hostWidth = rows.map(\.1.count).max() ?? 0
        let title = check ? "PLACEMENT (check only, nothing created)" : "PLACEMENT"
        return [title]
            + rows.map { jail, host, state in
                "  " + pad(jail, jailWidth) + "  " + pad(host, hostWidth) + "  " + state
            }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}

/// The `--json` document of `jail create --spread`.
struct SpreadDocument: Encodable {
    var command: String
    var runID: String
    var check: Bool
    /// The host of each new jail, in the order the names were given.
    var placement: [JailAssignment]
    var hosts: [HostOutcome]
}
