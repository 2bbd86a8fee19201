/// How a remote command ended.
public enum CommandOutcome: Sendable, Equatable {
    /// The command exited with this status.
    case exited(Int32)
    /// The command was killed by this signal (name without `SIG`, e.g. `KILL`).
    case signaled(String)
    /// The channel closed without an exit status, e.g. the connection dropped.
    case noExitStatus
    /// The command did not finish within its timeout and its channel was closed.
    case timedOut(after: Duration)

    /// True only for exit status 0.
    public var succeeded: Bool { self == .exited(0) }
}

/// The outcome and output of one remote command.
public struct CommandResult: Sendable, Equatable {
    /// The command line as sent, after any `become` wrapping.
    public var command: String
    /// How it ended.
    public var outcome: CommandOutcome
    /// Standard output, bounded.
    public var stdout: CapturedOutput
    /// Standard error, bounded.
    public var stderr: CapturedOutput
    /// Wall time from opening the channel to its close.
    public var duration: Duration
    /// For a command its timeout cut off, what became of it on the host; nil otherwise.
    public var stop: RemoteStop?
    /// The error that ended the connection during the command, such as the server's disconnect
    /// message. Nil unless the outcome is `noExitStatus` because the connection was lost.
    public var lostConnection: SSHError?
}

/// The fate on its host of a command that its timeout or Ctrl-C cut off.
public enum RemoteStop: Sendable, Equatable {
    /// It ended after SIGTERM.
    case terminated
    /// It ended after SIGKILL, having outlived SIGTERM.
    case killed
    /// Its process group still held a live process after SIGKILL, such as one that runs
    /// as a user the login user may not signal (a command run through doas).
    case stillRunning
    /// The signals could not be sent, for the reason given.
    case notSignalled(String)

    /// Whether the command is known to have ended.
    public var ended: Bool { self == .terminated || self == .killed }

    /// A clause for messages, such as "it was stopped on the host with SIGTERM".
    public var description: String {
        switch self {
        case .terminated: return "it was stopped on the host with SIGTERM"
        case .killed: return "it outlived SIGTERM and was killed on the host with SIGKILL"
        case .stillRunning:
            return "it may still run on the host: its process group outlived SIGTERM and "
                + "SIGKILL, or the login user may not signal it"
        case .notSignalled(let reason): return "it may still run on the host: \(reason)"
        }
    }
}
