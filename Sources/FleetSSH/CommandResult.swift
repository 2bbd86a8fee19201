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
    /// The error that ended the connection during the command, such as the server's disconnect
    /// message. Nil unless the outcome is `noExitStatus` because the connection was lost.
    public var lostConnection: SSHError?
}
