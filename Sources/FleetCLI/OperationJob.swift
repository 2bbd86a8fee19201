import FleetJails
import FleetOps
import FleetRun
import FleetCore
import FleetSSH

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a sequence of jail operations on one connected host, stopping at the first failure,
/// and folds their outcomes into one.
enum OperationJob {
    /// Runs `operations` in order on `host` and returns the combined outcome.
    static func run(
        _ operations: [FleetJails.Operation], on host: FleetHost, connection: SSHConnection,
        runID: String, checkOnly: Bool
    ) async -> HostOutcome {
        let context = JobContext(
            host: host.name, settings: host.settings, runID: runID,
            controller: controllerName, checkOnly: checkOnly)
        let runner = OperationRunner(shell: SSHShell(connection: connection), context: context)
        var combined = HostOutcome(host: host.name, state: .ok)
        var notes: [String] = []
        for (index, operation) in operations.enumerated() {
            let outcome = await runner.run(operation)
            combined.steps += outcome.steps
            combined.plan += outcome.plan
            for (key, value) in outcome.details {
                combined.details[key] = value
            }
            if let note = outcome.details["note"] {
                notes.append("\(describe(operation)): \(note)")
            }
            switch outcome.state {
            case .ok:
                break
            case .changed:
                combined.state = .changed
                if checkOnly {
                    // Later operations would be planned against facts this one changes, so
                    // a check shows them by name only.
                    for later in operations[(index + 1)...] {
                        combined.plan.append(
                            PlannedStep(
                                name: "then \(describe(later))",
                                command: "# planned on the host once the steps above have run"))
                    }
                    return combined
                }
            case .failed, .unreachable, .timedOut, .notAttempted:
                combined.state = outcome.state
                combined.reason = "\(describe(operation)): \(outcome.reason ?? "failed")"
                return combined
            }
        }
        if !notes.isEmpty {
            combined.details["note"] = notes.joined(separator: "; ")
        }
        return combined
    }

    /// Short words for an operation, such as `jail create web`.
    static func describe(_ operation: FleetJails.Operation) -> String {
        switch operation {
        case .skelInstall: return "skel install"
        case .jailCreate(let name): return "jail create \(name)"
        case .jailStart(let name): return "jail start \(name)"
        case .jailStop(let name): return "jail stop \(name)"
        case .jailRestart(let name): return "jail restart \(name)"
        case .jailDelete(let name, _, _): return "jail delete \(name)"
        case .skelUpgrade(let target): return "skel upgrade" + (target.map { " to \($0)" } ?? "")
        case .jailExec(let name, _): return "jail exec \(name)"
        case .hostExec: return "host exec"
        }
    }

    /// This machine's host name, recorded in host locks.
    static let controllerName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let name =
            gethostname(&buffer, buffer.count - 1) == 0
            ? String(
                decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : ""
        // The lock record accepts the characters of a run id only.
        let safe = name.unicodeScalars.filter {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                || $0 == "-" || $0 == "." || $0 == "_"
        }
        return safe.isEmpty ? "controller" : String(String.UnicodeScalarView(safe))
    }()

    /// Returns the lines a host prints when it finishes: its state, then its steps with `-v`, and
    /// the planned commands under `--check`.
    static func lines(_ outcome: HostOutcome, verbosity: Verbosity) -> HostLines {
        var lines = HostLines()
        if let stdout = outcome.details["stdout"] {
            lines.output += textLines(stdout)
        }
        if let stderr = outcome.details["stderr"] {
            lines.error += textLines(stderr)
        }
        let steps = outcome.steps.filter {
            $0.name != "facts" && $0.name != "lock" && $0.name != "unlock"
        }
        let seconds = DecimalText.format(outcome.seconds, digits: 1) + " s"
        switch outcome.state {
        case .ok where outcome.details["stdout"] != nil:
            // The command's own output is the result, so no status line follows it.
            break
        case .ok:
            lines.output.append(
                "ok: \(outcome.details["note"] ?? "nothing to change") (\(seconds))")
        case .changed where !outcome.plan.isEmpty:
            let count = outcome.plan.count
            lines.output.append("would change: \(count) \(count == 1 ? "step" : "steps")")
        case .changed:
            let count = steps.filter(\.changed).count
            var text = "changed: \(count) \(count == 1 ? "step" : "steps") in \(seconds)"
            if let version = outcome.details["version after"] {
                let before = outcome.details["version before"].map { "\($0) -> " } ?? ""
                text += ", skel \(before)\(version)"
            }
            lines.output.append(text)
        case .failed, .unreachable, .timedOut, .notAttempted:
            lines.error.append(
                "\(outcome.state.rawValue): \(outcome.reason ?? "no reason recorded")")
            if let rolledBack = outcome.details["rolled back"] {
                lines.error.append("  rolled back: \(rolledBack)")
            }
        }
        for step in outcome.plan {
            lines.output.append("  step \(step.name)")
            if verbosity >= .debug {
                lines.output += step.command.split(separator: "\n").map { "    " + $0 }
            }
        }
        if verbosity >= .verbose {
            for step in outcome.steps {
                lines.output.append(
                    "  \(step.name): \(step.result) (\(DecimalText.format(step.seconds, digits: 2)) s)"
                )
                if verbosity >= .debug {
                    lines.output += step.command.split(separator: "\n").map { "    $ " + $0 }
                    lines.output += step.outputTail.split(separator: "\n").map { "    | " + $0 }
                }
            }
        }
        return lines
    }

    /// Splits output into lines at each newline byte, without the empty line after a final
    /// newline. Splitting the UTF-8 view, not the characters, skips grapheme breaking, which
    /// took most of the CPU time on 1 MiB of output.
    static func textLines(_ text: String) -> [String] {
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
