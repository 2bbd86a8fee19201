/// The reason a host could not be reached, one per failing step.
public enum UnreachableReason: String, Sendable, CaseIterable {
    /// Name resolution or TCP connect failed.
    case connect
    /// No SSH banner, a foreign banner, or key exchange failed or stalled.
    case handshake
    /// The host key was unknown or changed, or known_hosts could not be used.
    case hostKey = "host key"
    /// No key was accepted, or the private key could not be used.
    case authentication
    /// The host stopped replying to keepalives on an open connection.
    case noResponse = "no response"
}

/// The single final state of one host in a run.
public enum HostState: Sendable, Equatable {
    /// Every command exited 0.
    case ok
    /// A command exited non-zero, died by a signal or ended without an exit status, or
    /// a later step failed on a working connection.
    case failed(HostFailure)
    /// The host was never usable.
    case unreachable(UnreachableReason, SSHError)
    /// A command or upload did not finish within its timeout.
    case timedOut(phase: SessionPhase, after: Duration)
    /// The run was interrupted while this host was in progress.
    case cancelled
    /// The run was interrupted before this host started.
    case notStarted
}

/// The cause of failure on a reachable host.
public enum HostFailure: Sendable, Equatable {
    /// The first command that did not exit 0.
    case command(CommandResult)
    /// An SSH error after authentication, e.g. a channel that could not be opened.
    case ssh(SSHError)
    /// An error thrown by the caller's own code for this host, as text.
    case other(String)
}

/// One host's outcome in a parallel run.
public struct HostResult: Sendable {
    /// The target as given.
    public var target: SSHTarget
    /// The final state.
    public var state: HostState
    /// Every command result, in order, including the failing one.
    public var commands: [CommandResult]
    /// Wall time from the host's start to its end; zero when it never started.
    public var duration: Duration
}

extension SSHError {
    /// The unreachable reason for errors before a usable session exists, and for a
    /// session whose peer stopped replying to keepalives; nil for other errors afterwards.
    public var unreachableReason: UnreachableReason? {
        if case .privateKey = reason { return .authentication }
        if case .keepalivesUnanswered = reason { return .noResponse }
        switch phase {
        case .resolving, .connecting: return .connect
        case .banner, .keyExchange: return .handshake
        case .hostKey: return .hostKey
        case .authentication: return .authentication
        case .channel, .command, .upload: return nil
        }
    }
}
