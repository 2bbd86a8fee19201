import FleetCore
import FleetRun
import FleetSSH

#if canImport(Glibc)
    import Glibc
#endif

/// `exec`: runs one command on every selected host through the login shell, as `ssh`
/// does, and shows each host's output under its name.
enum ExecCommand {
    /// The command's table entry.
    static let spec = CommandSpec(
        name: "exec",
        summary: "run a command on every selected host in parallel",
        options: [
            OptionSpec(
                long: "all", short: "a", help: "select every host (same as the pattern all)"),
            OptionSpec(
                long: "group", short: "g",
                help: "print hosts whose output is identical once, with their names"),
            OptionSpec(
                long: "output-dir", valueName: "DIR",
                help: "also write each host's full output to DIR/HOST.out and DIR/HOST.err"),
            OptionSpec(
                long: "upload", valueName: "LOCAL:REMOTE",
                help: "first copy the file LOCAL to REMOTE on each host (SFTP, renamed into place)"
            ),
        ] + FleetRunOptions.specs,
        arguments: [
            ArgumentSpec(
                name: "PATTERN", help: "host pattern, such as web:&prod (or --all)",
                isOptional: true)
        ],
        trailing: ArgumentSpec(
            name: "COMMAND",
            help: "the command line to run; words are joined with spaces, as ssh does"),
        handler: run)

    @Sendable static func run(_ context: CommandContext) async -> ExitStatus {
        do throws(CommandExit) {
            let pattern = try hostPattern(context)
            let options = try FleetRunOptions(context)
            let command = context.parsed.trailing.joined(separator: " ")
            if command.allSatisfy(\.isWhitespace) {
                // sh -c '' exits 0 on every host, which would hide a variable that expanded
                // to nothing in the caller's script.
                throw context.usageError("the command after -- is empty; give the command to run")
            }
            let group = context.parsed.count("group") > 0
            if group && options.json {
                throw context.usageError(
                    "--group prints text and --json prints a document; give one of them")
            }
            let hosts = try FleetRunner.selectHosts(pattern, context: context)
            let outputDirectory = context.parsed.value("output-dir")
            if let outputDirectory {
                do {
                    try AtomicFile.makeDirectories(outputDirectory)
                } catch {
                    context.console.error("\(error); check --output-dir")
                    return .config
                }

                // makeDirectories ignores EEXIST, so an existing plain file passes it.
                if let error = AtomicFile.checkWritableFolder(outputDirectory) {
                    context.console.error("\(error); check --output-dir")
                    return .config
                }
            }
            let upload = try loadUpload(context)
            let runner = FleetRunner(
                command: "exec", context: context, hosts: hosts, options: options)
            let spools = SpoolTable()
            // JSON documents, JUnit files and report files carry each host's output, so they
            // keep it in the outcome. Text output is printed from the spools.
            let keepText =
                options.json || options.junitPath != nil || options.reportDirectory != nil
            let work: FleetRunner.Work = { host, connection in
                await execute(
                    command, on: host, connection: connection, outputDirectory: outputDirectory,
                    upload: upload, spools: spools, keepText: keepText)
            }
            let describeHost: FleetRunner.Describe = { outcome in
                // Under --group the output and the states print together at the end.
                group ? HostLines() : describe(outcome, spools: spools.take(outcome.host))
            }
            let console = context.console
            var atEnd: (@Sendable ([HostOutcome]) -> Void)?
            if group {
                atEnd = { @Sendable outcomes in
                    printGroups(outcomes, spools: spools, console: console)
                }
            }
            return await runner.run(work: work, describe: describeHost, atEnd: atEnd)
        } catch {
            return error.status
        }
    }

    /// Returns the pattern from `PATTERN` or `--all`, or prints a usage error.
    static func hostPattern(_ context: CommandContext) throws(CommandExit) -> String {
        let pattern = context.parsed.argument("PATTERN")
        let all = context.parsed.count("all") > 0
        switch (pattern, all) {
        case (let pattern?, false): return pattern
        case (nil, true): return "all"
        case (.some, true):
            throw context.usageError("give either a host pattern or --all, not both")
        case (nil, false):
            throw context.usageError("missing host pattern; give a PATTERN such as web, or --all")
        }
    }

    /// Reads the `--upload` file, or prints the problem and throws 64 (usage) or 78 (unreadable file).
    static func loadUpload(_ context: CommandContext) throws(CommandExit) -> ExecUpload? {
        guard let text = context.parsed.value("upload") else { return nil }
        let uploadCount = context.parsed.values["upload"]?.count ?? 0
        if uploadCount > 1 {
            // Taking the last value would drop the other files without a word.
            throw context.usageError(
                "--upload is given \(uploadCount) times, but exec copies one file; "
                    + "run exec --upload once per file, or copy an archive and unpack it")
        }
        switch ExecUpload.load(text) {
        case .success(let upload):
            return upload
        case .failure(.usage(let message)):
            throw context.usageError(message)
        case .failure(.file(let message)):
            context.console.error(message)
            throw CommandExit(.config)
        }
    }

    static func execute(
        _ command: String, on host: FleetHost, connection: SSHConnection, outputDirectory: String?,
        upload: ExecUpload? = nil, spools: SpoolTable, keepText: Bool
    ) async -> HostOutcome {
        if let upload {
            do {
                try await connection.upload(upload.bytes, to: upload.remotePath, mode: upload.mode)
            } catch {
                return FleetRunner.outcome(for: error, host: host.name)
            }
        }
        let copies = outputDirectory.map { directory in
            let base = directory + "/" + host.name
            return (out: OutputCopy(path: base + ".out"), err: OutputCopy(path: base + ".err"))
        }
        let output = (
            out: OutputSpool(limit: host.target.outputLimit, copy: copies?.out),
            err: OutputSpool(limit: host.target.outputLimit, copy: copies?.err)
        )
        spools.store(output, for: host.name)
        let sink = OutputSink { stream, bytes in
            (stream == .stdout ? output.out : output.err).append(bytes)
            (stream == .stdout ? copies?.out : copies?.err)?.write(bytes)
        }

        // The reasons some output is missing from the screen or the files, nil when none is.
        var notKept: String? {
            let failures = [
                output.out.failure, output.err.failure, copies?.out.failure, copies?.err.failure,
            ].compactMap { $0 }
            return failures.isEmpty ? nil : failures.joined(separator: "; ")
        }

        let result: CommandResult
        do {
            // The spools keep the output; the result only needs enough for `become` checks.
            result = try await connection.run(command, sink: sink, captureLimit: 4096)
        } catch {
            copies?.out.close()
            copies?.err.close()
            // A command cut short, such as by Ctrl-C, still reports a file it could not write.
            var outcome = FleetRunner.outcome(for: error, host: host.name)
            outcome.details["output not kept"] = notKept
            return outcome
        }
        // The spools keep the copies until the output is printed, at the end under --group,
        // so the files are closed here and not when the copies are freed.
        copies?.out.close()
        copies?.err.close()
        var details = [
            "stdout bytes": String(output.out.totalBytes),
            "stderr bytes": String(output.err.totalBytes),
        ]
        if keepText {
            details["stdout"] = output.out.text
            details["stderr"] = output.err.text
        }
        details["output not kept"] = notKept
        let step = StepRecord(
            name: "exec", command: command, result: SSHShell.outcome(result).description,
            succeeded: result.outcome.succeeded, changed: false,
            outputTail: "", seconds: result.duration.seconds)
        switch result.outcome {
        case .exited(0) where copies?.out.failure != nil || copies?.err.failure != nil:
            // --output-dir asked for the whole output in files, so a host whose file lacks
            // some of it did not deliver what the run was for.
            return HostOutcome(
                host: host.name, state: .failed,
                reason: "the command succeeded, but its output file is incomplete",
                steps: [step], details: details)
        case .exited(0):
            return HostOutcome(host: host.name, state: .ok, steps: [step], details: details)
        case .exited(let status):
            // SSH sends the status as a uint32 (RFC 4254 section 6.10), and libssh2 1.10 keeps
            // it in an int, so a status above 2^31 - 1 arrives negative.
            let text = String(UInt32(bitPattern: status))
            details["exit status"] = text
            return HostOutcome(
                host: host.name, state: .failed, reason: "exit status \(text)", steps: [step],
                details: details)
        case .signaled(let name):
            details["signal"] = name
            return HostOutcome(
                host: host.name, state: .failed, reason: "killed by signal \(name)", steps: [step],
                details: details)
        case .noExitStatus:
            let reason =
                result.lostConnection.map { SSHErrorRenderer.message(for: $0) }
                ?? "the channel closed without an exit status"
            return HostOutcome(
                host: host.name, state: .failed, reason: reason, steps: [step], details: details)
        case .timedOut(let after):
            // The run passes no timeout of its own, so the limit is the host's command_timeout.
            return HostOutcome(
                host: host.name, state: .timedOut,
                reason: "command timed out after \(Int(after.seconds)) s; "
                    + (result.stop.map { "\($0.description); " } ?? "")
                    + "raise command_timeout in the inventory, or set it to 0 for no limit",
                steps: [step], details: details)
        }
    }

    /// Returns the host's spooled output, then its state when it did not succeed.
    static func describe(_ outcome: HostOutcome, spools: SpoolTable.Pair?) -> HostLines {
        var lines = HostLines()
        lines.outputSpool = spools?.out
        lines.errorSpool = spools?.err
        if let failure = outcome.details["output not kept"] {
            lines.error.append("warning: \(failure)")
        }
        lines.error += describeState(outcome).error
        return lines
    }

    /// Only the state line of a host that did not succeed.
    static func describeState(_ outcome: HostOutcome) -> HostLines {
        guard !outcome.state.succeeded else { return HostLines() }
        return HostLines(error: [
            "\(outcome.state.rawValue): \(outcome.reason ?? "no reason recorded")"
        ])
    }

    /// Prints hosts with identical output and state once, under the list of their names.
    static func printGroups(_ outcomes: [HostOutcome], spools: SpoolTable, console: Console) {
        var groups: [(key: OutputKey, members: [HostOutcome], output: SpoolTable.Pair?)] = []
        for outcome in outcomes where outcome.state != .notAttempted {
            let output = spools.take(outcome.host)
            let ending =
                outcome.details["exit status"].map { "exit status \($0)" }
                ?? outcome.details["signal"].map { "killed by signal \($0)" }
            let key = OutputKey(state: outcome.state, ending: ending, output: output)
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].members.append(outcome)
            } else {
                groups.append((key, [outcome], output))
            }
        }
        for group in groups {
            guard let first = group.members.first else { continue }
            let names = group.members.map(\.host).joined(separator: ", ")
            let count = group.members.count == 1 ? "1 host" : "\(group.members.count) hosts"
            for member in group.members {
                if let failure = member.details["output not kept"] {
                    console.warning("[\(member.host)] \(failure)")
                }
            }
            console.outputBlocks { emit in
                let ending = group.key.ending.map { ", \($0)" } ?? ""
                emit("=== \(names) (\(count), \(first.state.rawValue)\(ending))\n")
                guard let output = group.output else { return }
                var out = LineRenderer(prefix: "")
                out.render(output.out, emit: emit)
                out.finish(emit: emit)
                var err = LineRenderer(prefix: "stderr: ")
                err.render(output.err, emit: emit)
                err.finish(emit: emit)
            }
        }
    }
}
