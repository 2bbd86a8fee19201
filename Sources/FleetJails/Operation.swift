/// A jail operation on one host, as the CLI and playbooks request it.
public enum Operation: Sendable, Equatable {
    /// Installs the skel, the base jail every jail mounts read-only.
    case skelInstall
    /// Creates the jail `name` on the skel and writes its jail.conf file.
    case jailCreate(JailName)
    /// Starts the jail.
    case jailStart(JailName)
    /// Stops the jail and unmounts what its stop left behind.
    case jailStop(JailName)
    /// Stops the jail when it runs, then starts it.
    case jailRestart(JailName)
    /// Deletes the jail (or the skel): only when `confirmed`, and a running jail only when
    /// `stopFirst`.
    case jailDelete(JailName, stopFirst: Bool, confirmed: Bool)
    /// Upgrades the skel to its latest patch level, or to `targetRelease` when given.
    case skelUpgrade(targetRelease: String?)
    /// Runs `argv` in the jail with `jexec -l`.
    case jailExec(JailName, argv: [String])
    /// Runs `argv` on the host.
    case hostExec(argv: [String])
}

/// The result of planning: nothing to do, or the ordered steps to run.
public enum Plan: Sendable, Equatable {
    /// The host is already as requested; the note says why.
    case unchanged(String)
    /// The steps to run, in order, stopping at the first failure.
    case steps([Step])
}

/// One remote command of a plan.
public struct Step: Sendable, Equatable {
    /// A short name for reports, such as `create-dataset`.
    public var name: String
    /// The exact `/bin/sh` text to run; every name and path in it is quoted.
    public var command: String
    /// False only for steps that read state and change nothing.
    public var changesHost: Bool
    /// The command that undoes this step when a later step fails, if there is one.
    public var rollback: Rollback?
    /// How the apply layer reads the step's result.
    public var outputCheck: OutputCheck

    /// Creates a step.
    public init(
        name: String, command: String, changesHost: Bool = true, rollback: Rollback? = nil,
        outputCheck: OutputCheck = .exitStatus
    ) {
        self.name = name
        self.command = command
        self.changesHost = changesHost
        self.rollback = rollback
        self.outputCheck = outputCheck
    }
}

/// A command that undoes a step.
public struct Rollback: Sendable, Equatable {
    /// A short name for reports, such as `rollback-snapshot`.
    public var name: String
    /// The exact `/bin/sh` text to run.
    public var command: String
    /// Whether it also runs when its own step fails, because that step can fail part-way
    /// and leave changes behind (freebsd-update's install is one).
    public var undoesPartialFailure: Bool

    /// Creates a rollback command; by default it runs only when a later step fails.
    public init(name: String, command: String, undoesPartialFailure: Bool = false) {
        self.name = name
        self.command = command
        self.undoesPartialFailure = undoesPartialFailure
    }
}

/// How the apply layer decides what a step's result means.
public enum OutputCheck: Sendable, Equatable {
    /// Exit status 0 is success; anything else fails the step.
    case exitStatus
    /// `FreeBSDUpdateOutput.classify` decides. `.nothingToDo` after this step ends the plan
    /// as unchanged, without running the later steps.
    case freebsdUpdate
    /// Exit status 0 is success and stdout's first line is a `freebsd-version` string to
    /// report, such as the skel's version after an upgrade.
    case reportsVersion
}
