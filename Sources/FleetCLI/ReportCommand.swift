import FleetCore
import FleetReport

/// `report`: reads every selected host's facts over SSH, changes nothing, and prints the
/// nightly report as text tables, JSON or JUnit, optionally keeping a history.
enum ReportCommand {
    /// The command's table entry.
    static let spec = CommandSpec(
        name: "report",
        summary: "report versions, jails, pool space and leftover mounts of every selected host",
        options: [
            OptionSpec(
                long: "all", short: "a", help: "report every host (same as the pattern all)"),
            OptionSpec(
                long: "history", valueName: "FILE",
                help: "store the report in the SQLite file FILE and print what changed since "
                    + "the previous one"),
            OptionSpec(
                long: "max-pool-capacity", valueName: "PERCENT",
                help: "warn when a pool is fuller than PERCENT "
                    + "(default \(ReportThresholds().maxPoolCapacityPercent))"),
            OptionSpec(long: "json", help: "print the report as one JSON document instead of text"),
            OptionSpec(
                long: "junit", valueName: "FILE",
                help: "also write a JUnit XML file with one test case per host"),
        ] + FleetRunOptions.specs.filter { $0.long == "forks" },
        arguments: [
            ArgumentSpec(
                name: "PATTERN", help: "host pattern, such as web:&prod (or --all)",
                isOptional: true)
        ],
        handler: run)

    @Sendable static func run(_ context: CommandContext) async -> ExitStatus {
        do {
            let pattern = try ExecCommand.hostPattern(context)
            let options = try FleetRunOptions(context)
            let thresholds = try readThresholds(context)
            let hosts = try FleetRunner.selectHosts(pattern, context: context)
            if let path = options.junitPath, let problem = AtomicFile.checkWritable(path) {
                context.console.error("\(problem); check --junit")
                return .config
            }
            let historyPath = context.parsed.value("history")
            let history = try historyPath.map { path throws(CommandExit) in
                try openHistory(path, console: context.console)
            }

            let takenAt = UTCTime.now()
            let gathered = await ReportGathering.run(
                hosts, forks: options.forks, console: context.console)
            let verdict = ReportVerdict(reports: gathered.reports, thresholds: thresholds)
            var status = gathered.interrupted ? .interrupted : verdict.exitStatus

            var comparison: ReportComparison?
            if gathered.interrupted, historyPath != nil {
                // The hosts Ctrl-C cut off would enter the history as unreachable, and the
                // next run would report them back up.
                context.console.error("interrupted: the history is not updated")
            } else if let history, let historyPath {
                do {
                    let previous = try history.run(before: nil)
                    try history.record(
                        gathered.reports, at: takenAt, toolVersion: minijailFleetVersion)
                    comparison = ReportComparison(
                        file: historyPath, previous: previous, current: gathered.reports)
                } catch {
                    context.console.error("\(error); check --history")
                    status = .config
                }
            }

            if let path = options.junitPath {
                let cases = ReportJUnit.cases(
                    gathered.reports, thresholds: thresholds, seconds: gathered.seconds)
                do {
                    try AtomicFile.write(
                        JUnitReport.render(suiteName: "report", cases: cases), to: path)
                } catch {
                    context.console.error("cannot write the JUnit report: \(error); check --junit")
                    // An interrupted run keeps 130, so the caller learns that the report is incomplete.
                    if status != .interrupted {
                        status = .config
                    }
                }
            }

            if options.json {
                let document = ReportDocument(
                    takenAt: takenAt.iso8601, exitStatus: status.rawValue,
                    hosts: gathered.reports, problems: verdict.problems,
                    history: comparison.map(ReportDocument.History.init))
                context.console.result(JSONOutput.encode(document))
            } else {
                let lines = textLines(
                    gathered.reports, verdict: verdict, comparison: comparison,
                    quiet: context.console.verbosity == .quiet)
                if !lines.isEmpty {
                    context.console.result(lines.joined(separator: "\n"))
                }
            }
            return status
        } catch {
            return error.status
        }
    }

    /// Returns the text report: the tables, the changes, the problems and the summary line.
    /// Under `-q` only the changes and the problems remain, so a quiet night prints nothing.
    static func textLines(
        _ reports: [HostReport], verdict: ReportVerdict, comparison: ReportComparison?,
        quiet: Bool
    ) -> [String] {
        var sections: [[String]] = []
        if !quiet {
            sections.append(ReportText.tables(reports))
        }
        if let comparison {
            if let previousRun = comparison.previousRun {
                if !(quiet && comparison.changes.isEmpty) {
                    sections.append(ReportText.changes(comparison.changes, since: previousRun))
                }
            } else if !quiet {
                sections.append(["first report in \(comparison.file); nothing to compare yet"])
            }
        }
        let problems = ReportText.problems(verdict.problems)
        if !problems.isEmpty {
            sections.append(problems)
        }
        if !quiet {
            sections.append([ReportText.summary(reports, verdict: verdict)])
        }
        return Array(sections.joined(separator: [""]))
    }

    private static func readThresholds(_ context: CommandContext) throws(CommandExit)
        -> ReportThresholds
    {
        var thresholds = ReportThresholds()
        if let text = context.parsed.value("max-pool-capacity") {
            guard let value = Int(text), (0...100).contains(value) else {
                throw context.usageError(
                    "invalid value '\(text)' for --max-pool-capacity: "
                        + "use a whole number from 0 to 100")
            }
            thresholds.maxPoolCapacityPercent = value
        }
        return thresholds
    }

    /// Opens the history before any host is contacted, creating its folder, so that a bad
    /// path fails fast with exit 78.
    private static func openHistory(_ path: String, console: Console) throws(CommandExit)
        -> ReportHistory
    {
        do {
            let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
            if !folder.isEmpty {
                try AtomicFile.makeDirectories(folder)
            }
            return try ReportHistory(path: path)
        } catch {
            console.error("\(error); check --history")
            throw CommandExit(.config)
        }
    }
}
