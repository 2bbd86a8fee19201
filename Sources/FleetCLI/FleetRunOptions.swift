import FleetCore

/// The options every fleet command shares, read and checked from the command line.
struct FleetRunOptions: Sendable {
    /// Hosts in flight at once when `--forks` is not given: Ansible's default is 5, and
    /// OpenSSH's default MaxStartups starts refusing at 10 unauthenticated connections.
    static let defaultForks = 10

    /// The options' table entries, for commands to include.
    static let specs = [
        OptionSpec(
            long: "forks", short: "f", valueName: "N",
            help: "hosts in flight at once (default \(defaultForks))"),
        OptionSpec(
            long: "serial", valueName: "SIZES",
            help: "batch sizes, counts or percentages, e.g. 1,25%,100% (default: all at once)"),
        OptionSpec(
            long: "max-fail-percent", valueName: "N",
            help: "share of hosts that may fail or be unreachable before no new batch starts "
                + "(default 0)"),
        OptionSpec(long: "json", help: "print every host's outcome as JSON instead of text"),
        OptionSpec(long: "junit", valueName: "FILE", help: "write a JUnit XML report to FILE"),
        OptionSpec(
            long: "report-dir", valueName: "DIR",
            help:
                "write each host's JSON report to DIR/hosts/ as it finishes, then DIR/summary.json"),
    ]

    var forks = defaultForks
    var serial = SerialPlan.allAtOnce
    var budget = FailureBudget(maxFailPercent: 0)
    var json = false
    var junitPath: String?
    var reportDirectory: String?

    /// Reads the options, or prints the usage error and throws exit status 64.
    init(_ context: CommandContext, defaultSerial: SerialPlan = .allAtOnce) throws(CommandExit) {
        let parsed = context.parsed
        if let text = parsed.value("forks") {
            guard let value = Int(text), value >= 1, value <= 10_000 else {
                throw context.usageError(
                    "invalid value '\(text)' for --forks: use a whole number from 1 to 10000")
            }
            forks = value
        }
        serial = defaultSerial
        if let text = parsed.value("serial") {
            do {
                serial = try SerialPlan.parse(text)
            } catch {
                throw context.usageError("\(error.description) in --serial")
            }
        }
        if let text = parsed.value("max-fail-percent") {
            guard let value = Int(text), (0...100).contains(value) else {
                throw context.usageError(
                    "invalid value '\(text)' for --max-fail-percent: use a whole number from 0 to 100"
                )
            }
            budget = FailureBudget(maxFailPercent: value)
        }
        json = parsed.count("json") > 0
        junitPath = parsed.value("junit")
        reportDirectory = parsed.value("report-dir")
    }
}

extension CommandContext {
    /// Prints `message` as a usage error with the command's usage line and returns exit 64.
    func usageError(_ message: String) -> CommandExit {
        console.error(message)
        console.errorOutput(HelpText.afterError(parsed.path))
        return CommandExit(.usage)
    }
}
