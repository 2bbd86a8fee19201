/// The one state each host ends a run in.
public enum HostState: String, Codable, Sendable, CaseIterable {
    /// Succeeded and changed nothing (or ran a command that exited 0).
    case ok
    /// Succeeded and changed the host.
    case changed
    /// Reached, but a command or step failed: non-zero exit, a signal, no exit status.
    case failed
    /// Never reached a working session: connect, handshake, host key or authentication.
    case unreachable
    /// A connect, command or host deadline passed.
    case timedOut = "timed-out"
    /// Never started, because the failure budget was spent or the run was interrupted.
    case notAttempted = "not-attempted"

    /// Whether the host counts against the failure budget.
    public var countsAsFailure: Bool {
        switch self {
        case .ok, .changed, .notAttempted: return false
        case .failed, .unreachable, .timedOut: return true
        }
    }

    /// Whether the host did what was asked.
    public var succeeded: Bool {
        switch self {
        case .ok, .changed: return true
        case .failed, .unreachable, .timedOut, .notAttempted: return false
        }
    }
}

/// One remote step as it ran: what, how it ended, how long, whether it changed the host.
public struct StepRecord: Codable, Sendable, Equatable {
    /// A short name, e.g. `snapshot skel`.
    public var name: String
    /// The exact command line sent to the host.
    public var command: String
    /// How it ended, e.g. `exit 0`, `signal KILL`, `no exit status`.
    public var result: String
    /// Whether it succeeded.
    public var succeeded: Bool
    /// Whether it changed the host.
    public var changed: Bool
    /// The last lines of stdout and stderr, joined, for the report.
    public var outputTail: String
    /// Wall time in seconds.
    public var seconds: Double

    /// Creates a record.
    public init(
        name: String, command: String, result: String, succeeded: Bool, changed: Bool,
        outputTail: String, seconds: Double
    ) {
        self.name = name
        self.command = command
        self.result = result
        self.succeeded = succeeded
        self.changed = changed
        self.outputTail = outputTail
        self.seconds = seconds
    }
}

/// How one host ended a run, with everything a report needs.
public struct HostOutcome: Codable, Sendable, Equatable {
    /// The inventory name.
    public var host: String
    /// The end state.
    public var state: HostState
    /// One line that explains a state other than ok, e.g. the failed step and its error.
    public var reason: String?
    /// The steps that ran, in order.
    public var steps: [StepRecord]
    /// Wall time in seconds from the host's start to its end.
    public var seconds: Double
    /// Command-specific facts, such as `skel` versions before and after.
    public var details: [String: String]
    /// The steps a `--check` run would have run; empty otherwise.
    public var plan: [PlannedStep]

    /// Creates an outcome.
    public init(
        host: String, state: HostState, reason: String? = nil, steps: [StepRecord] = [],
        seconds: Double = 0, details: [String: String] = [:], plan: [PlannedStep] = []
    ) {
        self.host = host
        self.state = state
        self.reason = reason
        self.steps = steps
        self.seconds = seconds
        self.details = details
        self.plan = plan
    }

    /// The name of the last step that succeeded, for hosts lost in the middle of a change.
    public var lastCompletedStep: String? {
        steps.last(where: \.succeeded)?.name
    }
}

/// A step that a `--check` run shows instead of running.
public struct PlannedStep: Codable, Sendable, Equatable {
    /// The step's short name.
    public var name: String
    /// The exact command it would send.
    public var command: String

    /// Creates a planned step.
    public init(name: String, command: String) {
        self.name = name
        self.command = command
    }
}
