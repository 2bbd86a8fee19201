import FleetCore
import FleetInventory
import FleetReport
import FleetRun
import FleetSSH
import Synchronization
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs one piece of work on every selected host over SSH: keys checked once, hosts in
/// rolling batches, each host's report written as it finishes, then the recap.
struct FleetRunner: Sendable {
    /// The command's name for reports, such as `exec` or `upgrade-skel`.
    var command: String
    var context: CommandContext
    var hosts: [FleetHost]
    var options: FleetRunOptions
    /// The run's unique id: UTC time and a random suffix.
    var runID: String
    /// The live view of each host's current step; nil prints only finished hosts.
    var progress: ProgressView?

    /// The work on one connected host.
    typealias Work = @Sendable (FleetHost, SSHConnection) async -> HostOutcome
    /// Lines printed for a host when it finishes, without the `[host]` prefix.
    typealias Describe = @Sendable (HostOutcome) -> HostLines

    init(command: String, context: CommandContext, hosts: [FleetHost], options: FleetRunOptions) {
        self.command = command
        self.context = context
        self.hosts = hosts
        self.options = options
        self.runID = Self.makeRunID()
    }

    /// Selects the hosts of `pattern` (after `--limit`) and builds each host's target and
    /// settings. When a host's variables are unusable it prints every problem and throws 65.
    static func selectHosts(_ pattern: String, context: CommandContext) throws(CommandExit)
        -> [FleetHost]
    {
        let inventory = try context.loadInventory()
        let selected = try context.select(pattern, in: inventory)
        var hosts: [FleetHost] = []
        hosts.reserveCapacity(selected.count)
        var failed = false
        for host in selected {
            switch FleetHost.make(host, environment: context.environment) {
            case .success(let fleetHost):
                hosts.append(fleetHost)
            case .failure(let problem):
                context.console.error("[\(problem.host)] \(problem.message)", at: host.location)
                failed = true
            }
        }
        if failed { throw CommandExit(.dataError) }
        return hosts
    }

    /// Runs `work` on every host and returns the exit status: 0 when every host succeeded,
    /// 69 when none was reachable, 1 otherwise.
    ///
    /// `describe` gives each host's lines as it finishes; `atEnd`, when given, prints
    /// whatever needs every outcome (such as `--group`) just before the recap.
    func run(
        work: @escaping Work, describe: @escaping Describe,
        atEnd: (@Sendable ([HostOutcome]) -> Void)? = nil
    ) async -> ExitStatus {
        let console = context.console
        let keys = SSHKeyRing(targets: hosts.map(\.target))
        for problem in keys.problems {
            console.error(SSHErrorRenderer.message(for: problem))
        }

        if let path = options.junitPath, let problem = AtomicFile.checkWritable(path) {
            console.error("\(problem); check --junit")
            return .config
        }

        let reports: ReportDirectory?
        if let path = options.reportDirectory {
            do {
                reports = try ReportDirectory(path: path, command: command, runID: runID)
            } catch {
                console.error("cannot create the report folder: \(error); check --report-dir")
                return .config
            }
        } else {
            reports = nil
        }

        let printer = HostPrinter(
            console: console, width: hosts.map(\.name.count).max() ?? 0, quietText: options.json)
        let byName = Dictionary(
            hosts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let rollout = Rollout(serial: options.serial, budget: options.budget, forks: options.forks)
        let progress = self.progress
        progress?.start()
        // Each host formats its own text in its task, so hosts format in parallel and the
        // serial `finished` step only writes. Spooled exec output is the exception: it is
        // rendered while it is written, so it never sits in memory whole.
        let rendered = RenderedHosts()
        let (outcomes, interrupted) = await InterruptibleRun.run(console: console) {
            await rollout.run(hosts: hosts.map(\.name)) { name in
                progress?.stepStarted(host: name, step: "connect")
                // The rollout passes only names taken from `hosts`, so the lookup cannot fail.
                let outcome = await Self.runHost(byName[name]!, keys: keys, work: work)
                rendered.store(printer.render(outcome, lines: describe(outcome)), for: name)
                return outcome
            } finished: { outcome in
                if let reports {
                    do {
                        try reports.write(outcome)
                    } catch {
                        console.error("[\(outcome.host)] cannot write its report: \(error)")
                    }
                }
                let text =
                    rendered.take(outcome.host) ?? printer.render(outcome, lines: describe(outcome))
                if let progress {
                    progress.hostFinished(outcome.host) {
                        printer.write(text)
                    }
                } else {
                    printer.write(text)
                }
            }
        }
        progress?.stop()
        if !options.json {
            atEnd?(outcomes)
        }

        return finish(
            outcomes, reports: reports,
            interrupted: interrupted)
    }

    /// Returns the exit status of a run with `recap`: `interrupted` when Ctrl-C stopped it
    /// before every host succeeded, else the recap's status.
    static func status(of recap: Recap, interrupted: Bool) -> ExitStatus {
        switch recap.exitStatus {
        case 0: return .ok
        case _ where interrupted: return .interrupted
        case 69: return .unavailable
        default: return .someFailed
        }
    }

    private func finish(_ outcomes: [HostOutcome], reports: ReportDirectory?, interrupted: Bool)
        -> ExitStatus
    {
        let console = context.console
        let recap = Recap(outcomes)
        let status = Self.status(of: recap, interrupted: interrupted)
        if let reports {
            do {
                try reports.writeSummary(outcomes, interrupted: interrupted)
            } catch {
                console.error("cannot write the run summary: \(error)")
            }
        }
        if let path = options.junitPath {
            let xml = JUnitReport.render(suiteName: command, cases: outcomes.map(Self.junitCase))
            do {
                try AtomicFile.write(xml, to: path)
            } catch {
                console.error("cannot write the JUnit report: \(error); check --junit")
            }
        }
        if options.json {
            console.result(
                JSONOutput.encode(
                    RunDocument(
                        command: command, runID: runID, exitStatus: status.rawValue,
                        counts: Dictionary(
                            uniqueKeysWithValues: HostState.allCases.map {
                                ($0.rawValue, recap.count($0))
                            }),
                        hosts: outcomes)))
        } else if console.verbosity > .quiet || outcomes.contains(where: { $0.state != .ok }) {
            // Under -q a run in which every host was ok and unchanged prints nothing, so
            // cron sends no mail for it. A changed host is news, so the recap is printed.
            for line in recap.lines {
                console.result(line)
            }
        }
        return status
    }

    /// Connects to one host, runs `work`, closes the connection, and sorts SSH failures;
    /// all on one thread (`SSHConnection.onHostThread`).
    static func runHost(_ host: FleetHost, keys: SSHKeyRing, work: Work) async -> HostOutcome {
        await SSHConnection.onHostThread { await runHostHere(host, keys: keys, work: work) }
    }

    private static func runHostHere(_ host: FleetHost, keys: SSHKeyRing, work: Work) async
        -> HostOutcome
    {
        let started = ContinuousClock.now
        func elapsed() -> Double { (ContinuousClock.now - started).seconds }

        if let problem = keys.problem(for: host.target) {
            // The full message was printed once before any host; the recap names the key only.
            return HostOutcome(
                host: host.name, state: .unreachable,
                reason: "authentication: private key \(problem.path) cannot be used; not contacted")
        }
        let key = host.target.identityFile.flatMap { keys.keys[$0] }
        let connection: SSHConnection
        do {
            connection = try await SSHConnection.open(host.target, key: key)
        } catch {
            var outcome = outcome(for: error, host: host.name)
            outcome.seconds = elapsed()
            return outcome
        }
        var outcome = await work(host, connection)
        await connection.close()
        outcome.seconds = elapsed()
        return outcome
    }

    /// Returns the outcome of a host whose connection could not be opened, or whose
    /// command or upload ended with an error.
    ///
    /// An error before a working session (connect, handshake, host key, authentication)
    /// makes the host unreachable, a passed deadline included, so a run in which no host
    /// completes a handshake exits 69. An interrupt before a working session leaves the
    /// host not attempted, and one after it fails the host, because its work had started.
    static func outcome(for error: any Error, host: String) -> HostOutcome {
        guard let error = error as? SSHError else {
            if error is CancellationError {
                return HostOutcome(host: host, state: .notAttempted, reason: "interrupted")
            }
            return HostOutcome(host: host, state: .failed, reason: "\(error)")
        }
        let message = SSHErrorRenderer.message(for: error)
        let unreachable = error.unreachableReason
        if error.reason == .cancelled {
            let state: FleetRun.HostState = unreachable == nil ? .failed : .notAttempted
            return HostOutcome(host: host, state: state, reason: "interrupted: \(message)")
        }
        if let unreachable {
            return HostOutcome(
                host: host, state: .unreachable, reason: "\(unreachable.rawValue): \(message)")
        }
        return HostOutcome(
            host: host, state: error.reason.isTimeout ? .timedOut : .failed, reason: message)
    }

    /// Returns the JUnit test case of one host's outcome.
    static func junitCase(_ outcome: HostOutcome) -> JUnitCase {
        let reason = outcome.reason ?? outcome.state.rawValue
        let junitOutcome: JUnitCase.Outcome
        switch outcome.state {
        case .ok, .changed: junitOutcome = .passed
        case .failed, .timedOut: junitOutcome = .failure(message: reason)
        case .unreachable: junitOutcome = .error(message: reason)
        case .notAttempted: junitOutcome = .skipped(message: reason)
        }
        var lines = ["state: \(outcome.state.rawValue)"]
        lines += outcome.steps.map { "\($0.name): \($0.result)" }
        // exec keeps a host's output in its details for JUnit, JSON and report files.
        for stream in ["stdout", "stderr"] {
            if let text = outcome.details[stream], !text.isEmpty {
                let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
                lines.append("\(stream):\n\(body)")
            }
        }
        return JUnitCase(
            name: outcome.host, outcome: junitOutcome, seconds: outcome.seconds,
            output: lines.joined(separator: "\n"))
    }

    /// Returns a new run id: the UTC time and a random suffix.
    static func makeRunID() -> String {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return UTCTime.now().compact + "-" + suffix
    }
}

/// The `--json` document of a fleet command.
struct RunDocument: Encodable {
    var command: String
    var runID: String
    /// The exit status the run ends with, as the recap gives it.
    var exitStatus: Int32
    /// Hosts per end state, every state present.
    var counts: [String: Int]
    var hosts: [HostOutcome]
}

/// The lines one host prints: its results on standard output and its diagnostics (such
/// as a remote command's standard error) on standard error.
struct HostLines: Sendable {
    /// Lines for standard output.
    var output: [String] = []
    /// Lines for standard error.
    var error: [String] = []
    /// Output kept on disk, printed line by line before `output`.
    var outputSpool: OutputSpool?
    /// Output kept on disk, printed line by line before `error`.
    var errorSpool: OutputSpool?
}
