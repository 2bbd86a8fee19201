import FleetJails
import FleetRun

/// Runs the facts probe on a host and parses its output: the one place every command
/// (operations, reports, jail placement) reads a host's facts.
public enum FactsGathering {
    /// The facts of one probe, or why there are none, with the probe's step when it ran.
    public struct Probe: Sendable {
        /// The facts, or the reason they could not be read.
        public var result: Result<HostFacts, FactsGatheringError>
        /// The probe's step record (name `facts`); nil when the connection broke first.
        public var step: StepRecord?
    }

    /// Runs the probe for `settings` through `shell` and parses its output.
    public static func gather(shell: some RemoteShell, settings: HostSettings) async -> Probe {
        let result: RemoteResult
        do {
            result = try await shell.run(FactsProbe.script(settings: settings))
        } catch {
            return Probe(result: .failure(.connectionLost(error)), step: nil)
        }
        let step = StepRecord(
            name: "facts", command: "facts probe", result: result.outcome.description,
            succeeded: result.outcome == .exited(0), changed: false, outputTail: result.tail(),
            seconds: result.seconds)
        do {
            return Probe(result: .success(try FactsProbe.parse(result.stdout)), step: step)
        } catch {
            if result.outcome == .noExitStatus {
                // The parse error would only describe where the output stops.
                return Probe(
                    result: .failure(
                        .unreadable(
                            "the facts probe was cut off: it ended without an exit status, "
                                + "as when the host's sshd or the connection is lost part-way; "
                                + "check the host and run again (\(error))")), step: step)
            }
            if case .timedOut = result.outcome {
                // The output stops wherever the timeout fell, so the parse error misleads.
                return Probe(
                    result: .failure(
                        .unreadable(
                            "the facts probe \(result.outcome); raise command_timeout in the "
                                + "inventory, or set it to 0 for no limit")), step: step)
            }
            var message = "cannot read the host's facts: \(error)"
            if result.outcome != .exited(0) {
                message += " (probe ended with \(result.outcome)"
                message += result.lastLine.map { ": \($0))" } ?? ")"
            }
            return Probe(result: .failure(.unreadable(message)), step: step)
        }
    }
}

/// Why a host's facts could not be read.
public enum FactsGatheringError: Error, Sendable, CustomStringConvertible {
    /// The shell threw: the connection broke or the run was interrupted.
    case connectionLost(any Error)
    /// The probe ran but its output could not be parsed; the message says why.
    case unreadable(String)

    /// One line, e.g. `connection lost while reading facts: channel closed`. An interrupt
    /// (the shell throws `CancellationError` or `CommandInterrupted`) starts with
    /// `interrupted`, which is how the
    /// runners tell a host that Ctrl-C cut off from one that failed on its own.
    public var description: String {
        switch self {
        case .connectionLost(let error) where CommandInterrupted.isInterruption(error):
            return "interrupted while reading facts"
        case .connectionLost(let error): return "connection lost while reading facts: \(error)"
        case .unreadable(let message): return message
        }
    }
}
