/// A host that runs POSIX `sh` scripts: the seam between the apply engine and the SSH
/// transport, so the engine can be tested with a local shell.
public protocol RemoteShell: Sendable {
    /// Runs `script` under `/bin/sh` on the host and returns how it ended.
    ///
    /// A non-zero exit, a signal, a missing exit status and a timeout are results; only a
    /// lost or cancelled connection throws, and then the script's effect is unknown.
    func run(_ script: String) async throws -> RemoteResult

    /// Runs `script` like `run`, also once the run was interrupted, such as to release the
    /// host lock after Ctrl-C. A shell whose connection the interrupt closed opens another.
    func runAfterInterrupt(_ script: String) async throws -> RemoteResult
}

extension RemoteShell {
    /// Runs `script` with `run`, for shells that an interrupt does not close.
    public func runAfterInterrupt(_ script: String) async throws -> RemoteResult {
        try await run(script)
    }
}

/// How a remote script ended and what it printed.
public struct RemoteResult: Sendable, Equatable {
    /// The end of the script.
    public var outcome: RemoteOutcome
    /// Standard output, decoded as UTF-8 with invalid bytes replaced.
    public var stdout: String
    /// Standard error, decoded the same way.
    public var stderr: String
    /// Wall time in seconds.
    public var seconds: Double

    /// Creates a result.
    public init(outcome: RemoteOutcome, stdout: String, stderr: String, seconds: Double) {
        self.outcome = outcome
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
    }

    /// Whether the script may still run on the host: its timeout cut it off and it was not
    /// seen to end there.
    public var mayStillRun: Bool {
        if case .timedOut(_, _, let stopped) = outcome { return !stopped }
        return false
    }

    /// The last `count` lines of stdout then stderr, for reports.
    public func tail(lines count: Int = 10) -> String {
        let lines = (stdout.split(separator: "\n") + stderr.split(separator: "\n"))
        return lines.suffix(count).joined(separator: "\n")
    }

    /// The last non-empty line of stderr, else of stdout, for one-line reasons.
    public var lastLine: String? {
        for text in [stderr, stdout] {
            if let line = text.split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) }
            ) {
                return String(line)
            }
        }
        return nil
    }
}

/// Ctrl-C cut off the script a `RemoteShell` was running. Shells throw this instead of
/// `CancellationError` when they know what became of the script on the host.
public struct CommandInterrupted: Error, Sendable, Equatable {
    /// The fate of the script on the host, such as "it was stopped on the host with
    /// SIGTERM" or "it may still run on the host: ...".
    public var stop: String
    /// Whether the script is known to have ended on the host.
    public var stopped: Bool

    /// Creates the error.
    public init(stop: String, stopped: Bool) {
        self.stop = stop
        self.stopped = stopped
    }

    /// Returns whether `error` means that Ctrl-C interrupted the run: this error or a
    /// `CancellationError`.
    public static func isInterruption(_ error: any Error) -> Bool {
        error is CancellationError || error is CommandInterrupted
    }
}

/// The ways a remote script ends.
public enum RemoteOutcome: Sendable, Equatable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal killed it; the name has no `SIG` prefix.
    case signaled(String)
    /// The channel closed without an exit status.
    case noExitStatus
    /// It ran past the command timeout, in seconds, and its channel was closed. `stop` is
    /// what became of it on the host, such as "it was stopped on the host with SIGTERM".
    /// `stopped` is true only when it is known to have ended there.
    case timedOut(seconds: Double, stop: String? = nil, stopped: Bool = false)

    /// The exit status, when it exited.
    public var exitStatus: Int32? {
        if case .exited(let status) = self { return status }
        return nil
    }

    /// `exit 0`, `signal KILL`, `no exit status`, `timed out after 30 s`.
    public var description: String {
        switch self {
        // The SSH exit status is a uint32 that arrives as Int32, so 4294967295 reads as -1.
        case .exited(let status): return "exit \(UInt32(bitPattern: status))"
        case .signaled(let name): return "signal \(name)"
        case .noExitStatus: return "no exit status"
        case .timedOut(let seconds, let stop, _):
            return "timed out after \(Int(seconds)) s" + (stop.map { "; \($0)" } ?? "")
        }
    }
}
